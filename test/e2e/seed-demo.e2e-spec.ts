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
    expect(summary).toMatchObject({ opds: 63, sponsors: 120, workers: 458 });
    const head = (await t.started.runtime.eventStore.headPosition()).toString();
    const stats = await t.as('analyst').get('/v1/stats/summary').query({ minPosition: head }).expect(200);
    expect(stats.body).toMatchObject({
      pnsHeadcount: 8031,
      sponsorsActive: 90,
      opdsNotParticipating: 22,
      workersRegistered: 458,
      workersActive: 313,
    });
  });

  it('refuses a system that already holds events, with a message saying what to do', async () => {
    const error = await seedDemo(t.app, planDemoCity(today, join(__dirname, '..', '..', 'data'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SystemNotEmptyError);
    expect((error as Error).message).toMatch(/remove its data directory \(ASUH_DATA_DIR/);
  });
});
