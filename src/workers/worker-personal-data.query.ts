import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { AccessLogEntry } from '../personal-data/access-log';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../personal-data/vault';
import { DomainError } from '../shared/domain-error';
import { type WorkerEvent, workerStream, workerSubject } from './worker.events';

export interface WorkerPersonalData {
  workerId: string;
  erased: boolean;
  personal: { nik: string; fullName: string; birthDate: string; phone: string | null; address: string | null } | null;
  accessLog: AccessLogEntry[];
}

/** The worker's personal data as held (UU PDP access request), straight from the log, with who has read it. */
export class WorkerPersonalDataQuery extends Query<WorkerPersonalData> {
  constructor(readonly workerId: string) {
    super();
  }
}

@QueryHandler(WorkerPersonalDataQuery)
export class WorkerPersonalDataHandler implements IQueryHandler<WorkerPersonalDataQuery> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ workerId }: WorkerPersonalDataQuery): Promise<WorkerPersonalData> {
    const events = await this.runner.read<WorkerEvent>(workerStream(workerId));
    if (events.length === 0) throw new DomainError('NOT_FOUND', `Worker ${workerId} is not known`);
    let personal: WorkerPersonalData['personal'] = null;
    let erased = false;
    for (const event of events) {
      if (event.type === 'WorkerEnrolled') {
        const d = event.data;
        personal = d.nik === null || d.fullName === null || d.birthDate === null
          ? null
          : { nik: d.nik, fullName: d.fullName, birthDate: d.birthDate, phone: d.phone ?? null, address: d.address ?? null };
      }
      if (event.type === 'PersonalDataErased') erased = true;
    }
    return { workerId, erased, personal: erased ? null : personal, accessLog: await this.vault.accessLog.of(workerSubject(workerId)) };
  }
}
