import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore } from '../../../src/event-store/event-store.port';
import { planDemoCity } from '../../../src/seed/demo-city';
import { seedDemo } from '../../../src/seed/seed-demo';
import type { TestApp } from '../../support/test-app';

const DATA_DIR = join(__dirname, '..', '..', '..', 'data');

/** Fills the app's empty system with the demo city through the command bus (as `npm run seed:demo`). */
export async function seedDemoCity(t: TestApp): Promise<void> {
  await seedDemo(t.app, planDemoCity(t.clock.today(), DATA_DIR));
  await readModelsCaughtUp(t);
}

/** Waits (through the API's own minPosition) until the read models have applied the whole log. */
export async function readModelsCaughtUp(t: TestApp): Promise<string> {
  const head = (await t.app.get<EventStore>(EVENT_STORE).headPosition()).toString();
  for (let attempt = 0; attempt < 60; attempt++) {
    const res = await t.as('analyst').get(`/v1/stats/summary?minPosition=${head}`);
    if (res.status === 200) return head;
    if (res.status !== 503) throw new Error(`summary answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  throw new Error(`the read models did not reach position ${head}`);
}

/** Serves the app on a free port of the loopback interface; returns its base URL. */
export async function listenOnLoopback(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}
