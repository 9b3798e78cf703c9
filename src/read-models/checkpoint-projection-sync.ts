import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { READ_MODEL_PROJECTIONS } from '../../projections/read-model-projections';
import type { ProjectionSync } from './projection-sync';

const NAMES = READ_MODEL_PROJECTIONS.map((p) => p.name);

const POLL_MS = 20;

/**
 * Read-your-writes against the committed projector checkpoint in the read-model database, so it works
 * the same whether the projector runs in this process or in its own (docker-compose `projector`).
 */
@Injectable()
export class CheckpointProjectionSync implements ProjectionSync {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Where every read model has got to: the least advanced projection's committed checkpoint (0 for one without any). */
  async current(): Promise<bigint> {
    const rows: { position: string }[] = await this.db.query(
      `SELECT min(coalesce(c.position, 0))::text AS position FROM unnest($1::text[]) AS n(name) LEFT JOIN projection_checkpoint c USING (name)`,
      [NAMES],
    );
    return BigInt(rows[0].position);
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
