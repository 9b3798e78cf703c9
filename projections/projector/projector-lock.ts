import { Client } from 'pg';
import { LOCK_NAMESPACE, LockKey } from '../advisory-locks';
import type { ReadSideLogger } from '../logger';
import type { Stopper } from './stopper';

export interface LockHolder {
  pid: number;
  applicationName: string;
  clientAddr: string | null;
}

/**
 * The projector lock: a session-level advisory lock on a connection of its own, so it goes away with the
 * process. One projector works per database; a second instance waits, and says who holds the lock.
 */
export class ProjectorLock {
  private client: Client | null = null;
  /** Set when the lock's connection failed: the lock is gone. */
  lost: Error | null = null;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: ReadSideLogger,
    private readonly options: { retryMs: number; waitLogMs: number; onLost: () => void; onWaiting: () => void; connectTimeoutMs?: number },
  ) {}

  get held(): boolean {
    return this.client !== null && this.lost === null;
  }

  /** True once held; false when stopped while waiting. */
  async acquire(stopper: Stopper): Promise<boolean> {
    if (this.held) return true;
    await this.release();
    this.lost = null;
    // Connecting is bounded (ASUH_DB_TIMEOUT_MS); the session itself only holds the lock and polls for it.
    const client = new Client({
      connectionString: this.databaseUrl,
      application_name: 'asuh-projector-lock',
      ...(this.options.connectTimeoutMs ? { connectionTimeoutMillis: this.options.connectTimeoutMs } : {}),
    });
    client.on('error', (error) => {
      this.lost = error;
      this.logger.error({ err: error }, 'projector lost its lock connection');
      this.options.onLost();
    });
    await client.connect();
    let lastWaitLog: number | null = null;
    try {
      while (!stopper.requested) {
        const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [LOCK_NAMESPACE, LockKey.PROJECTOR]);
        if (rows[0].locked) {
          this.client = client;
          return true;
        }
        if (lastWaitLog === null || Date.now() - lastWaitLog >= this.options.waitLogMs) {
          const holder = await this.holder(client);
          this.logger.info({ holder }, lastWaitLog === null ? 'another projector holds the lock; waiting for it' : 'projector still waiting for the lock');
          this.options.onWaiting();
          lastWaitLog = Date.now();
        }
        await stopper.pause(this.options.retryMs);
      }
      await client.end().catch(() => undefined);
      return false;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    // Ending the session releases a session-level advisory lock; unlock first to say so explicitly.
    if (!this.lost) await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_NAMESPACE, LockKey.PROJECTOR]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  private async holder(client: Client): Promise<LockHolder | null> {
    const { rows } = await client.query<{ pid: number; application_name: string; client_addr: string | null }>(
      `SELECT a.pid, a.application_name, a.client_addr::text AS client_addr
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid = $1::int::oid AND l.objid = $2::int::oid AND l.objsubid = 2`,
      [LOCK_NAMESPACE, LockKey.PROJECTOR],
    );
    return rows[0] ? { pid: rows[0].pid, applicationName: rows[0].application_name, clientAddr: rows[0].client_addr } : null;
  }
}
