import { EventLog } from './support/event-log';
import { type ReadModelDatabase, useReadModelDatabase } from './support/read-model-database';

const targets = (db: ReadModelDatabase) =>
  db.rows(`SELECT year, target, to_char(set_on, 'YYYY-MM-DD') AS "setOn" FROM ucj_targets ORDER BY year`);

describe('ucj-targets projection', () => {
  let db: ReadModelDatabase;
  useReadModelDatabase((created) => (db = created));

  it("keeps each year's latest target, with the day it was set", async () => {
    const log = new EventLog();
    log.ucjTargetSet(2026, 100_000, { setOn: '2026-01-05' });
    log.ucjTargetSet(2027, 110_000, { setOn: '2026-01-05' });
    log.ucjTargetSet(2026, 120_000, { previousTarget: 100_000, setOn: '2026-06-30' });

    await db.apply(log.events);

    expect(await targets(db)).toEqual([
      { year: 2026, target: 120_000, setOn: '2026-06-30' },
      { year: 2027, target: 110_000, setOn: '2026-01-05' },
    ]);
  });

  it('takes each year once per batch, whatever the batch size', async () => {
    const log = new EventLog();
    log.ucjTargetSet(2026, 100_000);
    log.ucjTargetSet(2026, 90_000, { previousTarget: 100_000 });
    log.ucjTargetSet(2026, 95_000, { previousTarget: 90_000, setOn: '2026-03-01' });

    await db.apply(log.events, { batchSize: 2 });

    expect(await targets(db)).toEqual([{ year: 2026, target: 95_000, setOn: '2026-03-01' }]);
  });

  it('gives the same rows when events come twice, also in batches mixing applied and new events', async () => {
    const log = new EventLog();
    log.ucjTargetSet(2026, 100_000, { setOn: '2026-01-05' });
    log.ucjTargetSet(2027, 110_000, { setOn: '2026-01-05' });
    log.ucjTargetSet(2026, 120_000, { previousTarget: 100_000, setOn: '2026-06-30' });
    log.ucjTargetSet(2027, 105_000, { previousTarget: 110_000, setOn: '2026-07-01' });

    await db.apply(log.events.slice(0, 3));
    // The second delivery overlaps the first: an older target must never replace a newer one.
    await db.apply(log.events.slice(1), { batchSize: 1 });
    const once = await db.snapshot();
    await db.apply(log.events, { batchSize: 3 });
    await db.apply(log.events.slice(0, 1));

    expect(await db.snapshot()).toEqual(once);
    expect(await targets(db)).toEqual([
      { year: 2026, target: 120_000, setOn: '2026-06-30' },
      { year: 2027, target: 105_000, setOn: '2026-07-01' },
    ]);
  });
});
