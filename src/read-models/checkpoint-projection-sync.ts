import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ProjectionSync } from '../coverage/projection-sync';

const POLL_MS = 20;

/**
 * Read-your-writes against the committed projector checkpoint in the read-model database, so it works
 * the same whether the projector runs in this process or in its own (docker-compose `projector`).
 */
@Injectable()
export class CheckpointProjectionSync implements ProjectionSync {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async current(): Promise<bigint> {
    const rows: { position: string | null }[] = await this.db.query(`SELECT max(position)::text AS position FROM projection_checkpoint`);
    return rows[0]?.position ? BigInt(rows[0].position) : 0n;
  }

  async waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.current()) >= position) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
