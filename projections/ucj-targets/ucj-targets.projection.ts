import { projection } from '../projection';
import type { Column } from '../row-batch';

export const UCJ_TARGETS_COLUMNS: readonly Column[] = [
  { name: 'year', type: 'int' },
  { name: 'target', type: 'int' },
  { name: 'set_on', type: 'date' },
  { name: 'last_position', type: 'bigint' },
];

/**
 * One row per year with a target: the latest UcjTargetSet of that year. The batch is reduced to each year's
 * last event first (one upsert touches a row once), and a row only takes an event after its last_position,
 * so the same events twice change nothing.
 */
export const ucjTargetsProjection = projection({
  name: 'ucj-targets',
  canHandle: ['UcjTargetSet'],
  tables: [{ name: 'ucj_targets', columns: UCJ_TARGETS_COLUMNS }],
  async handle(events, { db, table }) {
    const latest = new Map<number, { year: number; target: number; set_on: string; last_position: string }>();
    for (const event of events) {
      const { year, target, setOn } = event.data;
      latest.set(year, { year, target, set_on: setOn, last_position: event.position.toString() });
    }
    const rows = [...latest.values()];
    await db.query(
      `INSERT INTO ${table('ucj_targets')} AS t (year, target, set_on, last_position)
       SELECT * FROM unnest($1::int[], $2::int[], $3::date[], $4::bigint[])
       ON CONFLICT (year) DO UPDATE
          SET target = EXCLUDED.target, set_on = EXCLUDED.set_on, last_position = EXCLUDED.last_position
        WHERE t.last_position < EXCLUDED.last_position`,
      [rows.map((r) => r.year), rows.map((r) => r.target), rows.map((r) => r.set_on), rows.map((r) => r.last_position)],
    );
  },
});
