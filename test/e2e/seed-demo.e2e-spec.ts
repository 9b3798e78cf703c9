import { join } from 'node:path';
import { planDemoCity } from '../../src/seed/demo-city';
import { seedDemo, SystemNotEmptyError } from '../../src/seed/seed-demo';
import { createTestApp, TestApp } from '../support/test-app';

/** The demo city is played through the command bus and shows the programme's reported figures. */
describe('seed:demo', () => {
  let t: TestApp;
  const today = '2026-11-23';

  beforeAll(async () => {
    t = await createTestApp({ today });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('fills an empty system with a city that shows the reported figures', async () => {
    const summary = await seedDemo(t.app, planDemoCity(today, join(__dirname, '..', '..', 'data')));
    expect(summary).toMatchObject({ opds: 63, sponsors: 120, workers: 458, reversals: 1 });
    expect(summary.corrections).toBeGreaterThanOrEqual(8);
    const head = (await t.started.runtime.eventStore.headPosition()).toString();
    const stats = await t.as('analyst').get('/v1/stats/summary').query({ minPosition: head }).expect(200);
    expect(stats.body).toMatchObject({
      pnsHeadcount: 8031,
      sponsorsActive: 90,
      opdsNotParticipating: 22,
      workersRegistered: 458,
      workersActive: 313,
    });
    // The reversed duplicate is in the ledger as its own line, and the totals are net of it.
    const ledger = await t.as('auditor').get('/v1/ledger').query({ minPosition: head }).expect(200);
    const reversals = ledger.body.items.filter((line: { kind: string }) => line.kind === 'REVERSAL');
    expect(reversals).toHaveLength(1);
    expect(ledger.body.totals.amount).toBe(stats.body.premiumsCollected);

    // Spread over kecamatan as people are: the big suburbs hold several times the workers of the smallest.
    const byKecamatan = await t.as('analyst').get('/v1/stats/coverage').query({ groupBy: 'kecamatan', minPosition: head }).expect(200);
    const registered = byKecamatan.body.items.map((item: { registered: number }) => item.registered);
    expect(byKecamatan.body.items).toHaveLength(16);
    expect(Math.max(...registered)).toBeGreaterThanOrEqual(3 * Math.min(...registered));
  });

  it('refuses a system that already holds events, with a message saying what to do', async () => {
    const error = await seedDemo(t.app, planDemoCity(today, join(__dirname, '..', '..', 'data'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SystemNotEmptyError);
    expect((error as Error).message).toMatch(/remove its data directory \(ASUH_DATA_DIR/);
  });
});
