import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../personal-data/vault';
import { equals, keysetPage } from '../read-models/keyset-page';
import { withNames } from '../read-models/personal-columns';
import type { Page } from '../read-models/read-query.dto';
import type { WorkerStatus } from './worker.events';
import { WORKER_VIEW_COLUMNS, type WorkerView, type WorkerViewRow } from './worker-view';

export interface WorkerFilters {
  status?: WorkerStatus;
  opdCode?: string;
  sponsorId?: string;
  kecamatan?: string;
  /** Exact NIK, found through its keyed hash (never a scan of clear NIKs). */
  nik?: string;
  /** Part of the name (at least 3 characters, any case), found through keyed trigram hashes, then checked. */
  q?: string;
}

export class ListWorkersQuery extends Query<Page<WorkerView>> {
  constructor(
    readonly filters: WorkerFilters,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

const normalize = (text: string) => text.toLocaleLowerCase('id-ID').normalize('NFKD').replace(/\p{M}/gu, '');

/** Registered workers (erased ones are not), by id; with `nik` or `q`, only those. */
@QueryHandler(ListWorkersQuery)
export class ListWorkersHandler implements IQueryHandler<ListWorkersQuery> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ filters, limit, cursor }: ListWorkersQuery): Promise<Page<WorkerView>> {
    const trigrams = filters.q ? this.vault.nameTrigrams(filters.q, { part: true }) : [];
    const wanted = filters.q ? normalize(filters.q.trim()) : null;
    let named: WorkerView[] = [];
    const page = await keysetPage<WorkerViewRow & Record<string, unknown>>(
      this.db,
      { select: WORKER_VIEW_COLUMNS, table: 'worker_status', key: 'worker_id', idField: 'workerId' },
      {
        conditions: [
          () => 'NOT erased',
          equals('status', filters.status),
          equals('opd_code', filters.opdCode),
          equals('sponsor_id', filters.sponsorId),
          equals('kecamatan', filters.kecamatan),
          equals('nik_hash', filters.nik === undefined ? undefined : this.vault.digest('nik', filters.nik)),
          trigrams.length === 0
            ? undefined
            : (param) =>
                `worker_id IN (SELECT worker_id FROM worker_name_trigrams WHERE trigram = ANY(${param(trigrams)}::text[])
                                GROUP BY worker_id HAVING count(*) = ${param(trigrams.length)})`,
        ],
        keep: async (rows) => {
          const withName = await withNames(this.vault, rows);
          const kept = wanted === null ? withName : withName.filter((w) => w.fullName !== null && normalize(w.fullName).includes(wanted));
          named = [...named, ...(kept as unknown as WorkerView[])];
          const ids = new Set(kept.map((w) => w.workerId));
          return rows.filter((row) => ids.has(row.workerId));
        },
      },
      cursor,
      limit,
    );
    const byId = new Map(named.map((w) => [w.workerId, w]));
    return { items: page.items.map((row) => byId.get(row.workerId)!), nextCursor: page.nextCursor };
  }
}
