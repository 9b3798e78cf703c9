import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { AccessLogEntry } from '../personal-data/access-log';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../personal-data/vault';
import { DomainError } from '../shared/domain-error';
import { fold } from '../shared/domain-event';
import { workerDecider } from './worker.decider';
import { type WorkerEvent, workerStream, workerSubject } from './worker.events';

export interface WorkerPersonalData {
  workerId: string;
  erased: boolean;
  personal: { nik: string; fullName: string; birthDate: string; phone: string | null; address: string | null } | null;
  accessLog: AccessLogEntry[];
}

/** The worker's personal data as held now (UU PDP access request), straight from the log with corrections applied, with who has read it. */
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
    // The worker decider's own fold: the enrolment's details with every correction since applied.
    const state = fold(workerDecider, events);
    const erased = state.enrolled && state.erasure !== null;
    const personal =
      state.enrolled && !erased && state.nik !== null && state.fullName !== null && state.birthDate !== null
        ? { nik: state.nik, fullName: state.fullName, birthDate: state.birthDate, phone: state.phone, address: state.address }
        : null;
    return { workerId, erased, personal, accessLog: await this.vault.accessLog.of(workerSubject(workerId)) };
  }
}
