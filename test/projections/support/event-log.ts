import { randomUUID } from 'node:crypto';
import type { ApiKeyEvent } from '../../../src/api-keys/api-key.events';
import { EVENT_CATALOG } from '../../../src/event-catalog';
import type { RecordedEvent } from '../../../src/event-store/event-store.port';
import type { OpdEvent, OpdKind } from '../../../src/opds/opd.events';
import type { SponsorEvent } from '../../../src/sponsors/sponsor.events';
import type { UcjEvent } from '../../../src/ucj/ucj.events';
import type { FundingSource, Occupation, Payer, WorkerEvent, WorkerStatus } from '../../../src/workers/worker.events';

type AnyEvent = OpdEvent | SponsorEvent | WorkerEvent | UcjEvent | ApiKeyEvent;

/** Events as the helpers build them: the current shape, less the business date the log adds. */
type WithoutOccurredOn<E> = E extends { type: infer T; data: infer D } ? { type: T; data: Omit<D, 'occurredOn'> } : never;

/** The business date of each event type (what its decider sets as `occurredOn`). */
const BUSINESS_DATE: Record<string, string> = {
  OpdRegistered: 'registeredOn',
  OpdHeadcountSet: 'effectiveOn',
  OpdRetired: 'effectiveOn',
  SponsorRegistered: 'registeredOn',
  SponsorTransferred: 'effectiveOn',
  SponsorWithdrawn: 'withdrawnOn',
  WorkerEnrolled: 'enrolledOn',
  PremiumPaid: 'paidOn',
  CoverageLapsed: 'asOf',
  CoverageEnded: 'asOf',
  WorkerReenrolled: 'enrolledOn',
  UcjTargetSet: 'setOn',
};

/**
 * The version these fixtures claim: the current one, except that events with personal data are written in
 * clear here, so they claim the last version that stored it in clear (the codec seals from the next one on).
 */
function storedVersion(type: string): number {
  const personal = EVENT_CATALOG.schemaOf(type)?.personal;
  return personal ? personal.sealedFrom - 1 : EVENT_CATALOG.versionOf(type);
}

/**
 * Builds a log of RecordedEvents with increasing positions (with gaps, as EventStoreDB positions have), for
 * projection specs: `log.sponsorRegistered(...)` records the event and returns it (or the new id). Events are
 * stored as the service writes them now (current schema version, `occurredOn` set).
 */
export class EventLog {
  readonly events: RecordedEvent[] = [];
  private position: bigint;
  private readonly revisions = new Map<string, bigint>();

  constructor(options: { startAt?: bigint; step?: bigint } = {}) {
    this.position = options.startAt ?? 0n;
    this.step = options.step ?? 7n;
  }

  private readonly step: bigint;

  record(streamId: string, event: WithoutOccurredOn<AnyEvent>, metadata: Record<string, unknown> = {}): RecordedEvent {
    this.position += this.step;
    const revision = (this.revisions.get(streamId) ?? -1n) + 1n;
    this.revisions.set(streamId, revision);
    const id = randomUUID();
    const recorded: RecordedEvent = {
      streamId,
      id,
      type: event.type,
      revision,
      position: this.position,
      data: { ...event.data, occurredOn: (event.data as Record<string, string>)[BUSINESS_DATE[event.type]] ?? '2026-03-01' },
      metadata: {
        eventId: id,
        occurredAt: '2026-03-01T00:00:00+07:00',
        recordedAt: new Date(Date.UTC(2026, 2, 1) + Number(this.position) * 1000).toISOString(),
        recordedBy: 'operator-1',
        correlationId: id,
        causationId: id,
        schemaVersion: storedVersion(event.type),
        ...metadata,
      },
      created: new Date(Date.UTC(2026, 2, 1) + Number(this.position) * 1000),
    };
    this.events.push(recorded);
    return recorded;
  }

  /** Every event recorded since `mark` (a length of `events` taken earlier). */
  since(mark: number): RecordedEvent[] {
    return this.events.slice(mark);
  }

  opdRegistered(opdCode: string, options: { name?: string; kind?: OpdKind; pnsHeadcount?: number; registeredOn?: string } = {}): RecordedEvent {
    return this.record(`opd-${opdCode}`, {
      type: 'OpdRegistered',
      data: {
        opdCode,
        name: options.name ?? `Dinas ${opdCode}`,
        kind: options.kind ?? 'DINAS',
        pnsHeadcount: options.pnsHeadcount ?? 100,
        registeredOn: options.registeredOn ?? '2026-01-05',
      },
    });
  }

  opdHeadcountSet(opdCode: string, pnsHeadcount: number, previousHeadcount: number, effectiveOn: string): RecordedEvent {
    return this.record(`opd-${opdCode}`, { type: 'OpdHeadcountSet', data: { opdCode, pnsHeadcount, previousHeadcount, effectiveOn } });
  }

  opdDetailsCorrected(opdCode: string, fields: { name?: string; kind?: OpdKind }, reason = 'Perwal 12/2026'): RecordedEvent {
    return this.record(`opd-${opdCode}`, { type: 'OpdDetailsCorrected', data: { opdCode, ...fields, reason } });
  }

  opdRetired(opdCode: string, effectiveOn = '2026-08-01', reason = 'Merged'): RecordedEvent {
    return this.record(`opd-${opdCode}`, { type: 'OpdRetired', data: { opdCode, reason, effectiveOn } });
  }

  sponsorRegistered(opdCode: string, options: { sponsorId?: string; fullName?: string; registeredOn?: string } = {}): string {
    const sponsorId = options.sponsorId ?? randomUUID();
    this.record(`sponsor-${sponsorId}`, {
      type: 'SponsorRegistered',
      data: {
        sponsorId,
        nip: '198501012010011001',
        fullName: options.fullName ?? `Sponsor ${sponsorId.slice(0, 4)}`,
        opdCode,
        registeredOn: options.registeredOn ?? '2026-02-01',
      },
    });
    return sponsorId;
  }

  sponsorTransferred(sponsorId: string, fromOpdCode: string, toOpdCode: string, effectiveOn = '2026-06-01'): RecordedEvent {
    return this.record(`sponsor-${sponsorId}`, { type: 'SponsorTransferred', data: { sponsorId, fromOpdCode, toOpdCode, effectiveOn } });
  }

  sponsorWithdrawn(sponsorId: string, withdrawnOn = '2026-07-01'): RecordedEvent {
    return this.record(`sponsor-${sponsorId}`, { type: 'SponsorWithdrawn', data: { sponsorId, reason: 'retired', withdrawnOn } });
  }

  workerEnrolled(options: {
    workerId?: string;
    fundingSource?: FundingSource;
    sponsorId?: string;
    nik?: string;
    fullName?: string;
    occupation?: Occupation;
    kecamatan?: string;
    enrolledOn?: string;
  }): string {
    const workerId = options.workerId ?? randomUUID();
    const fundingSource = options.fundingSource ?? (options.sponsorId ? 'ASN_SPONSOR' : 'APBD');
    this.record(`worker-${workerId}`, {
      type: 'WorkerEnrolled',
      data: {
        workerId,
        nik: options.nik ?? '3374015505800001',
        fullName: options.fullName ?? `Worker ${workerId.slice(0, 4)}`,
        birthDate: '1980-05-15',
        gender: 'F',
        occupation: options.occupation ?? 'DOMESTIC_HELPER',
        kecamatan: options.kecamatan ?? '3374.01',
        fundingSource,
        ...(options.sponsorId ? { sponsorId: options.sponsorId } : {}),
        enrolledOn: options.enrolledOn ?? '2026-03-10',
      },
    });
    return workerId;
  }

  premiumPaid(
    workerId: string,
    options: {
      payer: Payer;
      opdCode?: string | null;
      months?: number;
      amount?: number;
      paidOn?: string;
      coveredFrom?: string;
      coveredThrough?: string;
      statusAfter?: WorkerStatus;
      paymentRef?: string;
    },
  ): RecordedEvent {
    const months = options.months ?? 3;
    return this.record(`worker-${workerId}`, {
      type: 'PremiumPaid',
      data: {
        workerId,
        paymentRef: options.paymentRef ?? `RCPT-${randomUUID().slice(0, 8)}`,
        months,
        amount: options.amount ?? months * 16_800,
        paidOn: options.paidOn ?? '2026-03-12',
        payer: options.payer,
        opdCode: options.opdCode ?? null,
        coveredFrom: options.coveredFrom ?? '2026-03',
        coveredThrough: options.coveredThrough ?? '2026-05',
        statusAfter: options.statusAfter ?? 'ACTIVE',
      },
    });
  }

  coverageLapsed(workerId: string, asOf = '2026-06-16', paidThrough: string | null = '2026-05'): RecordedEvent {
    return this.record(`worker-${workerId}`, { type: 'CoverageLapsed', data: { workerId, asOf, firstUnpaidMonth: '2026-06', paidThrough } });
  }

  coverageEnded(workerId: string, options: { asOf?: string; cause?: 'ARREARS_WINDOW_PASSED' | 'WITHDRAWN'; reason?: string } = {}): RecordedEvent {
    return this.record(`worker-${workerId}`, {
      type: 'CoverageEnded',
      data: {
        workerId,
        asOf: options.asOf ?? '2026-09-16',
        cause: options.cause ?? 'ARREARS_WINDOW_PASSED',
        ...(options.reason ? { reason: options.reason } : {}),
        firstUnpaidMonth: '2026-06',
        paidThrough: '2026-05',
      },
    });
  }

  workerReenrolled(workerId: string, enrolledOn = '2026-10-01'): RecordedEvent {
    return this.record(`worker-${workerId}`, { type: 'WorkerReenrolled', data: { workerId, enrolledOn } });
  }

  personalDataErased(workerId: string, erasedOn = '2026-10-01'): RecordedEvent {
    return this.record(`worker-${workerId}`, {
      type: 'PersonalDataErased',
      data: { workerId, reason: 'request of the person', requestRef: 'PDP-1', erasedAt: `${erasedOn}T03:00:00.000Z` },
    });
  }

  sponsorPersonalDataErased(sponsorId: string, erasedOn = '2026-10-01'): RecordedEvent {
    return this.record(`sponsor-${sponsorId}`, {
      type: 'PersonalDataErased',
      data: { sponsorId, reason: 'request of the person', requestRef: 'PDP-2', erasedAt: `${erasedOn}T03:00:00.000Z` },
    });
  }

  workerSponsorChanged(workerId: string, fromSponsorId: string | null, toSponsorId: string): RecordedEvent {
    return this.record(`worker-${workerId}`, {
      type: 'WorkerSponsorChanged',
      data: { workerId, fromSponsorId, toSponsorId, fundingSource: 'ASN_SPONSOR' },
    });
  }

  ucjTargetSet(year: number, target: number, options: { previousTarget?: number | null; setOn?: string } = {}): RecordedEvent {
    return this.record(`ucj-${year}`, {
      type: 'UcjTargetSet',
      data: { year, target, previousTarget: options.previousTarget ?? null, setOn: options.setOn ?? '2026-01-02' },
    });
  }

  apiKeyIssued(
    name: string,
    options: { keyId?: string; role?: 'admin' | 'operator' | 'auditor' | 'analyst'; opdCode?: string | null; expiresOn?: string | null; secretHash?: string; recordedBy?: string } = {},
  ): string {
    const keyId = options.keyId ?? randomUUID();
    this.record(
      `api-key-${keyId}`,
      {
        type: 'ApiKeyIssued',
        data: {
          keyId,
          name,
          role: options.role ?? 'operator',
          opdCode: options.opdCode ?? null,
          expiresOn: options.expiresOn ?? null,
          secretHash: options.secretHash ?? randomUUID().replace(/-/g, '').repeat(2),
        },
      },
      options.recordedBy ? { recordedBy: options.recordedBy } : {},
    );
    return keyId;
  }

  apiKeyRevoked(keyId: string, reason = 'no longer needed'): RecordedEvent {
    return this.record(`api-key-${keyId}`, { type: 'ApiKeyRevoked', data: { keyId, reason } });
  }
}

/** The same events, split into batches of the given size. */
export function inBatches<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}
