/**
 * A small EventStoreDB gRPC emulator (TEST CODE ONLY): a `@grpc/grpc-js` server that speaks the wire
 * contract of the real server for what `@eventstore/db-client` v6 needs, backed by `InMemoryLog`.
 *
 * Served: ServerFeatures.GetSupportedMethods, Streams.Append, Streams.BatchAppend, Streams.Read
 * (stream forwards/backwards, stream-not-found, $all forwards/backwards with filters, catch-up
 * subscriptions to $all or a stream: confirmation, history, CaughtUp, live, filter checkpoints).
 * Not served: Delete, Tombstone, persistent subscriptions, projections, users, operations, gossip.
 *
 * Server behaviour it copies, and where it was read (EventStore/EventStore, `src/EventStore.Core`, the
 * 24.x line; KurrentDB 25 keeps these paths under `KurrentDB.Core`):
 * 1. Append size. `MaxAppendSize` defaults to 1 MiB (`ClusterVNodeOptions.Application.MaxAppendSize`
 *    = 1_024 * 1_024). The size of an append is the sum over its events of data + metadata bytes + 2 ×
 *    the type's length (`Event.SizeOnDisk`); over the limit the whole append is refused and nothing is
 *    written: Append throws INVALID_ARGUMENT with `exception: maximum-append-size-exceeded` and
 *    `maximum-append-size` metadata (`RpcExceptions.MaxAppendSizeExceeded`); BatchAppend answers a
 *    `MaximumAppendSizeExceeded` status as soon as the pieces received pass the limit and ignores the
 *    rest of that append (`Streams.BatchAppend.cs`, `Status.MaximumAppendSizeExceeded`).
 * 2. Deadlines. BatchAppend takes min(the request's deadline, `WriteTimeoutMs`) and answers a `Timeout`
 *    status (gRPC DEADLINE_EXCEEDED; the client throws DeadlineExceededError) when it runs out; Append
 *    answers ABORTED "Operation timed out" (`RpcExceptions.Timeout`; the client throws TimeoutError) on a
 *    commit timeout. Either way the write may already be in the log: the timeout is raised by the request
 *    manager, not by the writer, which goes on. A deadline already past on arrival times out unwritten.
 *    Tests force the ambiguous case with `timeOutNextAppend({ written })` (see `EsdbEmulator`).
 * 3. Position of idempotent appends. A repeated append is answered from the first write
 *    (`RequestManagerBase.Handle(AlreadyCommitted)`), and its position is the log position found by
 *    re-reading the last event, or none when that read fails (`IndexWriter.CheckCommit`: `logPos = -1`;
 *    `BatchAppendResp.Success.Completed` then sets `no_position`, and so does Append). The emulator
 *    answers every idempotent append without a position unless `positionOnIdempotentAppend` is set:
 *    the strict case, so that callers are made to cope with it.
 * 4. Secure mode (`secure`): TLS, basic credentials, and the legacy ACLs: `$all` reads and
 *    subscriptions for `$admins` only unless `$$$all` metadata grants more (e.g. `$ops`); anonymous
 *    stream access refused. See `access-control.ts` for the sources.
 * 5. System events. The log starts with an `$epoch-information` event (the epoch written at first
 *    start, `EpochManager`); `$statsCollected` is written to `$stats-<node>` every `StatsPeriodSec`
 *    (30 s by default, `MonitoringService`), here every `statsPeriodMs`; `setStreamMetadata` writes
 *    `$metadata` events to `$$stream`; `scavenge()` writes `$scavengeStarted`/`$scavengeCompleted` to
 *    `$scavenges` and `$scavenges-<id>` (`TFChunkScavengerLog`); with `systemProjections` every user event
 *    is followed by `$>` link events in `$ce-<category>` and `$et-<type>`, as the `$by_category` and
 *    `$by_event_type` projections write them.
 * 6. Backward stream reads start at min(from, last revision) and return up to `count` events, so
 *    reading 20 backwards from revision 60 of a 30-event stream returns revisions 29…10
 *    (`ReadStreamsBackwardTests.when_reading_backward_from_past_the_end_of_the_stream`).
 * 7. Idempotency by event id (`IndexWriter.CheckCommit`): for an exact revision or `no_stream` the
 *    events after the expected revision are compared through the index, however old; for `any` and
 *    `stream_exists` only a bounded first-in-first-out cache of committed event ids is consulted
 *    (`BoundedCache<Guid, EventInfo>`, `ESConsts.CommitedEventsMemCacheLimit` = 8 MiB): an evicted id
 *    is written again. `idempotencyCacheBytes` sets the budget.
 * 8. Positions. $all is ordered by (commit, prepare) (`TFPos`). gRPC appends are self-committed
 *    (commit == prepare, per event); events of a legacy explicit transaction share the commit position
 *    of their commit record and keep their own prepare positions (`AllReader`); `legacyTransaction()`
 *    writes such events, with other writes allowed between its prepares and its commit. Stream reads
 *    give such events no position (`ResolvedEvent.CalculatePosition`: -1, sent as uint64 max). Forward
 *    `$all` reads from a position include the event at it, backward reads stop before it, catch-up
 *    subscriptions start strictly after it (`Enumerator.AllSubscription*`: `eventPosition <= checkpoint`
 *    is skipped), and a read from a commit position that is not the start of a record fails with
 *    INVALID_ARGUMENT "Trying to read from an invalid position." (`RpcExceptions.InvalidPositionException`).
 * Revisions start at 0. Deletes, tombstones and scavenging itself (removing events) are not emulated.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { authenticate, DEFAULT_USERS, EmulatorUser, mayAccess, Principal } from './access-control';
import { testCertificates } from './certificates';
import { AppendOutcome, Expected, InMemoryLog, LogPosition, ProposedEvent, StoredEvent } from './in-memory-log';
import {
  AccessDenied,
  Any,
  AllStreamPosition,
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
  Code,
  Empty,
  GoogleEmpty,
  IServerFeaturesServer,
  IStreamsServer,
  MaximumAppendSizeExceeded,
  ReadReq,
  ReadResp,
  ServerFeaturesService,
  Status,
  StreamIdentifier,
  StreamsService,
  SupportedMethod,
  SupportedMethods,
  Timeout,
  UUID,
  WrongExpectedVersion,
} from './proto';

export interface EsdbEmulatorOptions {
  /** Advertise and serve Streams.BatchAppend, as servers since 21.10 do (default true). Off: the client falls back to Streams.Append. */
  batchAppend?: boolean;
  /** Send ReadResp.CaughtUp in subscriptions, as servers since 23.10 do (default true). Off: like older servers, which never say so. */
  caughtUpMessages?: boolean;
  /** Period of `$statsCollected` events (default 30 000, the server's `StatsPeriodSec`; 0: none). */
  statsPeriodMs?: number;
  /** Write `$>` links to `$ce-…`/`$et-…` after every user event, as running system projections do (default false). */
  systemProjections?: boolean;
  /** Bytes (default 1 MiB, the server's default `MaxAppendSize`). */
  maxAppendSize?: number;
  /** Budget of the committed-event-id cache for `any`/`stream_exists` idempotency (default 8 MiB). */
  idempotencyCacheBytes?: number;
  /** Answer idempotent appends with their position (default false: no position, the strict case). */
  positionOnIdempotentAppend?: boolean;
  /** TLS, credentials and ACLs. `users` adds to admin/changeit ($admins) and ops/changeit ($ops). */
  secure?: boolean | { users?: Record<string, EmulatorUser> };
}

export interface EmulatorEvent {
  id?: string;
  type: string;
  data: Record<string, unknown>;
}

export interface EsdbEmulator {
  /** Connection string for `@eventstore/db-client`; in secure mode with the admin's credentials and the test CA. */
  url: string;
  /** Secure mode: the connection string for these credentials (none: anonymous). Insecure: `url`. */
  urlFor(credentials?: { username: string; password: string }): string;
  /** The next matching append times out as the server's deadline does; `written` says whether it reached the log first. */
  timeOutNextAppend(options: { written: boolean; streamId?: string }): void;
  /** A legacy explicit transaction (TCP API), so that its events share one commit position. */
  legacyTransaction(streamId: string): { write(events: EmulatorEvent[]): void; commit(): void };
  /** Writes a `$statsCollected` event now (as the stats timer does). */
  collectStats(): void;
  /** Writes a `$metadata` event to `$$<streamId>`. */
  setStreamMetadata(streamId: string, metadata: Record<string, unknown>): void;
  /** Records a scavenge in `$scavenges` (nothing is removed). */
  scavenge(): void;
  stop(): Promise<void>;
}

const SERVER_VERSION = '24.10.0';
const DEFAULT_SEARCH_WINDOW = 32;
const ONE_MIB = 1024 * 1024;
const NODE_NAME = '127.0.0.1:2113';
/** Position.FromInt64(-1, -1): what the server sends for "no position" inside a recorded event. */
const NO_POSITION = '18446744073709551615';

export async function startEsdbEmulator(options: EsdbEmulatorOptions = {}): Promise<EsdbEmulator> {
  const secure = options.secure ? { users: { ...DEFAULT_USERS, ...(options.secure === true ? {} : options.secure.users) } } : undefined;
  const emulator = new Emulator({
    batchAppend: options.batchAppend ?? true,
    caughtUpMessages: options.caughtUpMessages ?? true,
    statsPeriodMs: options.statsPeriodMs ?? 30_000,
    systemProjections: options.systemProjections ?? false,
    maxAppendSize: options.maxAppendSize ?? ONE_MIB,
    idempotencyCacheBytes: options.idempotencyCacheBytes ?? 8 * ONE_MIB,
    positionOnIdempotentAppend: options.positionOnIdempotentAppend ?? false,
    users: secure?.users,
  });
  const server = new grpc.Server();
  server.addService(ServerFeaturesService, emulator.serverFeatures());
  server.addService(StreamsService, emulator.streams());
  const certificates = secure ? testCertificates() : undefined;
  const credentials = certificates
    ? grpc.ServerCredentials.createSsl(certificates.ca, [{ private_key: certificates.nodeKey, cert_chain: certificates.nodeCertificate }], false)
    : grpc.ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (error, boundPort) => (error ? reject(error) : resolve(boundPort))),
  );
  const urlFor = (user?: { username: string; password: string }) => {
    if (!certificates) return `esdb://127.0.0.1:${port}?tls=false`;
    const auth = user ? `${encodeURIComponent(user.username)}:${encodeURIComponent(user.password)}@` : '';
    return `esdb://${auth}localhost:${port}?tls=true&tlsCAFile=${encodeURIComponent(certificates.caFile)}`;
  };
  let stopped = false;
  return {
    url: urlFor(secure ? { username: 'admin', password: 'changeit' } : undefined),
    urlFor,
    timeOutNextAppend: (control) => emulator.timeOuts.push(control),
    legacyTransaction: (streamId) => emulator.legacyTransaction(streamId),
    collectStats: () => emulator.collectStats(),
    setStreamMetadata: (streamId, metadata) => emulator.writeSystemEvent(`$$${streamId}`, '$metadata', metadata),
    scavenge: () => emulator.scavenge(),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      emulator.stop();
      server.forceShutdown();
    },
  };
}

interface Settings {
  batchAppend: boolean;
  caughtUpMessages: boolean;
  statsPeriodMs: number;
  systemProjections: boolean;
  maxAppendSize: number;
  idempotencyCacheBytes: number;
  positionOnIdempotentAppend: boolean;
  users: Record<string, EmulatorUser> | undefined;
}

type Authorised = { ok: true; principal: Principal | undefined } | { ok: false; error: grpc.ServiceError };

class Emulator {
  private readonly log: InMemoryLog;
  private readonly subscriptions = new Set<SubscriptionPump>();
  private readonly statsTimer: NodeJS.Timeout | undefined;
  readonly timeOuts: { written: boolean; streamId?: string }[] = [];

  constructor(private readonly settings: Settings) {
    this.log = new InMemoryLog({ idempotencyCacheBytes: settings.idempotencyCacheBytes });
    this.writeSystemEvent('$epoch-information', '$epoch-information', {
      epochId: randomUUID(),
      epochNumber: 0,
      epochPosition: 0,
      leaderInstanceId: randomUUID(),
      time: new Date().toISOString(),
    });
    if (settings.statsPeriodMs > 0) {
      this.statsTimer = setInterval(() => this.collectStats(), settings.statsPeriodMs);
      this.statsTimer.unref();
    }
  }

  stop(): void {
    if (this.statsTimer) clearInterval(this.statsTimer);
    for (const subscription of this.subscriptions) subscription.close();
  }

  collectStats(): void {
    this.writeSystemEvent(`$stats-${NODE_NAME}`, '$statsCollected', { 'proc-startTime': new Date().toISOString(), 'proc-cpu': 1.5 });
  }

  scavenge(): void {
    const scavengeId = randomUUID();
    const started = { scavengeId, nodeEndpoint: NODE_NAME };
    this.writeSystemEvent('$scavenges', '$scavengeStarted', started);
    this.writeSystemEvent(`$scavenges-${scavengeId}`, '$scavengeStarted', started);
    const completed = { ...started, result: 'Success', error: null, timeTaken: '00:00:00.01', spaceSaved: 0 };
    this.writeSystemEvent(`$scavenges-${scavengeId}`, '$scavengeCompleted', completed);
    this.writeSystemEvent('$scavenges', '$scavengeCompleted', completed);
  }

  writeSystemEvent(streamId: string, type: string, data: unknown): void {
    this.log.append(streamId, { kind: 'any' }, [jsonEvent(type, data)]);
  }

  legacyTransaction(streamId: string): { write(events: EmulatorEvent[]): void; commit(): void } {
    const transaction = this.log.beginTransaction(streamId);
    return {
      write: (events) => transaction.write(events.map((event) => jsonEvent(event.type, event.data, event.id))),
      commit: () => void transaction.commit(),
    };
  }

  serverFeatures(): IServerFeaturesServer {
    return {
      getSupportedMethods: (_call, callback) => {
        const method = (service: string, name: string, features: string[] = []) => {
          const supported = new SupportedMethod();
          supported.setServiceName(service);
          supported.setMethodName(name);
          supported.setFeaturesList(features);
          return supported;
        };
        const streams = 'event_store.client.streams.streams';
        const methods = [
          method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
          method(streams, 'read', ['position', 'events']),
          method(streams, 'append'),
        ];
        if (this.settings.batchAppend) methods.push(method(streams, 'batchappend', ['deadline_duration']));
        const reply = new SupportedMethods();
        reply.setEventStoreServerVersion(SERVER_VERSION);
        reply.setMethodsList(methods);
        callback(null, reply);
      },
    };
  }

  streams(): IStreamsServer {
    const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<never>) =>
      callback({ code: grpc.status.UNIMPLEMENTED, details: 'Not implemented by the ESDB emulator' });
    return {
      read: (call) => this.read(call),
      append: (call, callback) => this.appendCall(call, callback),
      batchAppend: (call) =>
        this.settings.batchAppend
          ? this.batchAppend(call)
          : call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'BatchAppend is switched off' }),
      delete: unimplemented,
      tombstone: unimplemented,
    };
  }

  // ---------------------------------------------------------------- access

  private authorise(metadata: grpc.Metadata): Authorised {
    if (!this.settings.users) return { ok: true, principal: undefined };
    const header = metadata.get('authorization')[0];
    const result = authenticate(this.settings.users, typeof header === 'string' ? header : header?.toString('utf8'));
    if (!result.ok) return { ok: false, error: serviceError(grpc.status.UNAUTHENTICATED, 'Unauthenticated') };
    return result;
  }

  private mayAccess(principal: Principal | undefined, streamId: string, action: 'read' | 'write'): boolean {
    return !this.settings.users || mayAccess(this.log, principal, streamId, action);
  }

  // ---------------------------------------------------------------- appends

  private appendToLog(streamId: string, expected: Expected, events: ProposedEvent[]): AppendOutcome {
    const outcome = this.log.append(streamId, expected, events);
    if (outcome.ok && !outcome.idempotent && this.settings.systemProjections && !streamId.startsWith('$')) {
      const stream = this.log.stream(streamId)!;
      for (const event of stream.slice(stream.length - events.length)) {
        const link = `${event.revision}@${streamId}`;
        const category = streamId.includes('-') ? streamId.slice(0, streamId.indexOf('-')) : streamId;
        this.log.append(`$ce-${category}`, { kind: 'any' }, [linkEvent(link)]);
        this.log.append(`$et-${event.type}`, { kind: 'any' }, [linkEvent(link)]);
      }
    }
    return outcome;
  }

  /** A forced timeout for this append, if a test asked for one. */
  private takeTimeOut(streamId: string): { written: boolean } | undefined {
    const index = this.timeOuts.findIndex((control) => control.streamId === undefined || control.streamId === streamId);
    return index < 0 ? undefined : this.timeOuts.splice(index, 1)[0];
  }

  private successPosition(outcome: Extract<AppendOutcome, { ok: true }>): LogPosition | undefined {
    return outcome.idempotent && !this.settings.positionOnIdempotentAppend ? undefined : outcome.position;
  }

  /** Streams.Append: client streaming, first the options, then the proposed messages. */
  private appendCall(call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>): void {
    let header: AppendReq.Options | undefined;
    const events: ProposedEvent[] = [];
    let size = 0;
    let failed = false;
    const fail = (error: Partial<grpc.StatusObject>) => {
      failed = true;
      callback(error);
    };
    const access = this.authorise(call.metadata);
    if (!access.ok) {
      fail(access.error);
      return;
    }
    call.on('data', (request: AppendReq) => {
      if (failed) return;
      if (request.hasOptions()) {
        header = request.getOptions();
        if (!this.mayAccess(access.principal, streamName(header!.getStreamIdentifier()), 'write')) fail(accessDenied());
      } else if (request.hasProposedMessage() && header) {
        const event = toProposed(request.getProposedMessage()!);
        size += sizeOnDisk(event);
        if (size > this.settings.maxAppendSize) {
          const metadata = new grpc.Metadata();
          metadata.set('exception', 'maximum-append-size-exceeded');
          metadata.set('maximum-append-size', String(this.settings.maxAppendSize));
          fail({ code: grpc.status.INVALID_ARGUMENT, details: `Maximum Append Size of ${this.settings.maxAppendSize} Exceeded.`, metadata });
          return;
        }
        events.push(event);
      } else {
        fail({ code: grpc.status.INVALID_ARGUMENT, details: 'Append must start with options, then proposed messages' });
      }
    });
    call.on('error', () => undefined);
    call.on('end', () => {
      if (failed) return;
      if (!header) {
        callback({ code: grpc.status.INVALID_ARGUMENT, details: 'Append without options' });
        return;
      }
      const streamId = streamName(header.getStreamIdentifier());
      const expected = expectedOf(header, header.hasRevision() ? header.getRevision() : undefined);
      if (!expected) {
        callback({ code: grpc.status.INVALID_ARGUMENT, details: 'Append without expected revision' });
        return;
      }
      const timeOut = this.takeTimeOut(streamId);
      if (timeOut) {
        if (timeOut.written) this.appendToLog(streamId, expected, events);
        callback({ code: grpc.status.ABORTED, details: 'Operation timed out: Commit phase timeout.' });
        return;
      }
      const outcome = this.appendToLog(streamId, expected, events);
      const reply = new AppendResp();
      if (outcome.ok) {
        const success = new AppendResp.Success();
        if (outcome.currentRevision < 0n) success.setNoStream(new Empty());
        else success.setCurrentRevision(outcome.currentRevision.toString());
        const position = this.successPosition(outcome);
        if (position) {
          const wire = new AppendResp.Position();
          wire.setCommitPosition(position.commit.toString());
          wire.setPreparePosition(position.prepare.toString());
          success.setPosition(wire);
        } else success.setNoPosition(new Empty());
        reply.setSuccess(success);
      } else {
        const wrong = new AppendResp.WrongExpectedVersion();
        if (outcome.currentRevision === 'no_stream') wrong.setCurrentNoStream(new Empty());
        else wrong.setCurrentRevision(outcome.currentRevision.toString());
        if (expected.kind === 'revision') wrong.setExpectedRevision(expected.revision.toString());
        else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new Empty());
        else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new Empty());
        else wrong.setExpectedAny(new Empty());
        reply.setWrongExpectedVersion(wrong);
      }
      callback(null, reply);
    });
  }

  /**
   * Streams.BatchAppend: one long-lived bidirectional call carrying many appends, told apart by
   * correlation id; the first request of an append carries the options, the one with `is_final` ends it.
   */
  private batchAppend(call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void {
    const access = this.authorise(call.metadata);
    if (!access.ok) {
      call.emit('error', access.error);
      return;
    }
    const pending = new Map<string, { options: BatchAppendReq.Options; events: ProposedEvent[]; size: number }>();
    call.on('data', (request: BatchAppendReq) => {
      const correlationId = request.getCorrelationId();
      const key = uuidToString(correlationId);
      const reply = new BatchAppendResp();
      reply.setCorrelationId(correlationId);
      const answer = (status: Status, streamId: string) => {
        reply.setStreamIdentifier(streamIdentifier(streamId));
        reply.setError(status);
        call.write(reply);
      };
      if (request.hasOptions()) {
        const options = request.getOptions()!;
        const streamId = streamName(options.getStreamIdentifier());
        if (!this.mayAccess(access.principal, streamId, 'write')) return answer(status(Code.PERMISSION_DENIED, 'AccessDenied', new AccessDenied(), 'AccessDenied'), streamId);
        const deadline = options.getDeadline();
        if (deadline && deadline.toDate().getTime() <= Date.now()) return answer(timeoutStatus(), streamId);
        pending.set(key, { options, events: [], size: 0 });
      }
      const entry = pending.get(key);
      if (!entry) return;
      const streamId = streamName(entry.options.getStreamIdentifier());
      for (const event of request.getProposedMessagesList().map(toProposed)) {
        entry.events.push(event);
        entry.size += sizeOnDisk(event);
      }
      if (entry.size > this.settings.maxAppendSize) {
        pending.delete(key);
        const exceeded = new MaximumAppendSizeExceeded();
        exceeded.setMaxappendsize(this.settings.maxAppendSize);
        return answer(status(Code.INVALID_ARGUMENT, 'MaximumAppendSizeExceeded', exceeded, 'MaximumAppendSizeExceeded'), streamId);
      }
      if (!request.getIsFinal()) return;
      pending.delete(key);

      const { options } = entry;
      const expected = expectedOf(options, options.hasStreamPosition() ? options.getStreamPosition() : undefined);
      if (!expected) {
        const badRequest = new Status();
        badRequest.setCode(Code.INVALID_ARGUMENT);
        badRequest.setMessage('BatchAppend without expected stream position');
        return answer(badRequest, streamId);
      }
      const timeOut = this.takeTimeOut(streamId);
      if (timeOut) {
        if (timeOut.written) this.appendToLog(streamId, expected, entry.events);
        return answer(timeoutStatus(), streamId);
      }
      const outcome = this.appendToLog(streamId, expected, entry.events);
      reply.setStreamIdentifier(streamIdentifier(streamId));
      if (outcome.ok) {
        const success = new BatchAppendResp.Success();
        if (outcome.currentRevision < 0n) success.setNoStream(new GoogleEmpty());
        else success.setCurrentRevision(outcome.currentRevision.toString());
        const position = this.successPosition(outcome);
        if (position) success.setPosition(allPosition(position));
        else success.setNoPosition(new GoogleEmpty());
        reply.setSuccess(success);
        call.write(reply);
        return;
      }
      const wrong = new WrongExpectedVersion();
      if (outcome.currentRevision === 'no_stream') wrong.setCurrentNoStream(new GoogleEmpty());
      else wrong.setCurrentStreamRevision(outcome.currentRevision.toString());
      if (expected.kind === 'revision') wrong.setExpectedStreamPosition(expected.revision.toString());
      else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new GoogleEmpty());
      else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new GoogleEmpty());
      else wrong.setExpectedAny(new GoogleEmpty());
      answer(status(Code.ALREADY_EXISTS, 'WrongExpectedVersion', wrong, 'WrongExpectedVersion'), streamId);
    });
    call.on('error', () => undefined);
    call.on('end', () => call.end());
  }

  // ---------------------------------------------------------------- reads

  private read(call: grpc.ServerWritableStream<ReadReq, ReadResp>): void {
    const fail = (error: Partial<grpc.StatusObject>): void => void call.emit('error', error);
    const options = call.request.getOptions();
    if (!options) return fail({ code: grpc.status.INVALID_ARGUMENT, details: 'Read without options' });
    const access = this.authorise(call.metadata);
    if (!access.ok) return fail(access.error);
    const readStreamId = options.hasStream() ? streamName(options.getStream()!.getStreamIdentifier()) : '$all';
    if (!this.mayAccess(access.principal, readStreamId, 'read')) return fail(accessDenied());

    const uuidAsString = options.getUuidOption()?.hasString() ?? false;
    const filter = parseFilter(options);
    const toReadEvent = (event: StoredEvent, fromAll: boolean) => {
      const response = new ReadResp();
      response.setEvent(readEvent(event, uuidAsString, fromAll));
      return response;
    };
    const allPositionOf = (all: ReadReq.Options.AllOptions): LogPosition | undefined => {
      const position = all.getPosition();
      return position ? { commit: BigInt(position.getCommitPosition()), prepare: BigInt(position.getPreparePosition()) } : undefined;
    };
    if (options.hasAll()) {
      const from = allPositionOf(options.getAll()!);
      if (from && !this.log.isReadablePosition(from.commit)) {
        return fail({ code: grpc.status.INVALID_ARGUMENT, details: 'Trying to read from an invalid position.' });
      }
    }

    if (options.hasSubscription()) {
      let start: number;
      let matches: (event: StoredEvent) => boolean;
      let isAll: boolean;
      if (options.hasStream()) {
        const stream = options.getStream()!;
        const name = streamName(stream.getStreamIdentifier());
        const Case = ReadReq.Options.StreamOptions.RevisionOptionCase;
        isAll = false;
        // Starts strictly after the given revision (or at the start / only new events for START / END).
        const after = stream.getRevisionOptionCase() === Case.REVISION ? BigInt(stream.getRevision()) : -1n;
        matches = (event) => event.streamId === name && event.revision > after;
        if (stream.getRevisionOptionCase() === Case.END) start = this.log.all.length;
        else {
          const next = this.log.stream(name)?.[Number(after + 1n)];
          start = next ? this.log.indexAtOrAfter(next) : this.log.all.length;
        }
      } else {
        const all = options.getAll()!;
        const Case = ReadReq.Options.AllOptions.AllOptionCase;
        isAll = true;
        matches = filter ? filter.matches : () => true;
        if (all.getAllOptionCase() === Case.END) start = this.log.all.length;
        else if (all.getAllOptionCase() === Case.POSITION) start = this.log.indexAfter(allPositionOf(all)!);
        else start = 0;
      }
      const pump = new SubscriptionPump(call, this.log, start, matches, (event) => toReadEvent(event, isAll), {
        caughtUpMessages: this.settings.caughtUpMessages,
        checkpointEvery: isAll ? filter?.checkpointEvery : undefined,
        onClosed: () => this.subscriptions.delete(pump),
      });
      this.subscriptions.add(pump);
      void pump.start();
      return;
    }

    const count = toCount(options.getCount());
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    const responses: ReadResp[] = [];

    if (options.hasStream()) {
      const stream = options.getStream()!;
      const name = streamName(stream.getStreamIdentifier());
      const events = this.log.stream(name);
      if (!events || events.length === 0) {
        const notFound = new ReadResp.StreamNotFound();
        notFound.setStreamIdentifier(streamIdentifier(name));
        const response = new ReadResp();
        response.setStreamNotFound(notFound);
        call.write(response);
        call.end();
        return;
      }
      const Case = ReadReq.Options.StreamOptions.RevisionOptionCase;
      const last = events.length - 1;
      const from =
        stream.getRevisionOptionCase() === Case.REVISION
          ? BigInt(stream.getRevision())
          : stream.getRevisionOptionCase() === Case.END
            ? BigInt(backwards ? last : events.length)
            : 0n;
      if (backwards) {
        // From past the end the server starts at the last event and still returns up to `count`.
        const first = from > BigInt(last) ? last : Number(from);
        for (let i = first; i >= 0 && responses.length < count; i--) responses.push(toReadEvent(events[i], false));
      } else {
        for (let i = Number(from); i < events.length && responses.length < count; i++) {
          responses.push(toReadEvent(events[i], false));
        }
      }
    } else {
      const all = options.getAll()!;
      const Case = ReadReq.Options.AllOptions.AllOptionCase;
      const matches = filter ? filter.matches : () => true;
      const log = this.log.all;
      const from = allPositionOf(all);
      if (backwards) {
        // Backwards from a position yields the events strictly before it.
        const start = from ? this.log.indexAtOrAfter(from) - 1 : all.getAllOptionCase() === Case.END ? log.length - 1 : -1;
        for (let i = start; i >= 0 && responses.length < count; i--) {
          if (matches(log[i])) responses.push(toReadEvent(log[i], true));
        }
      } else {
        // Forwards from a position includes the event at it.
        const start = from ? this.log.indexAtOrAfter(from) : all.getAllOptionCase() === Case.END ? log.length : 0;
        for (let i = start; i < log.length && responses.length < count; i++) {
          if (matches(log[i])) responses.push(toReadEvent(log[i], true));
        }
      }
    }
    void writeAll(call, responses).then(() => call.end());
  }
}

/**
 * One subscription: a cursor into the log. It writes what lies past the cursor (respecting
 * backpressure), sends CaughtUp the first time it reaches the end, then sleeps until an append.
 */
class SubscriptionPump {
  private closed = false;
  private pumping = false;
  private caughtUpSent = false;
  private scannedSinceCheckpoint = 0;
  private readonly unlisten: () => void;

  constructor(
    private readonly call: grpc.ServerWritableStream<ReadReq, ReadResp>,
    private readonly log: InMemoryLog,
    private cursor: number,
    private readonly matches: (event: StoredEvent) => boolean,
    private readonly toResponse: (event: StoredEvent) => ReadResp,
    private readonly options: { caughtUpMessages: boolean; checkpointEvery?: number; onClosed(): void },
  ) {
    this.unlisten = log.onAppended(() => void this.pump());
    call.on('cancelled', () => this.close());
    call.on('error', () => this.close());
    call.on('close', () => this.close());
  }

  async start(): Promise<void> {
    const confirmation = new ReadResp.SubscriptionConfirmation();
    confirmation.setSubscriptionId(randomUUID());
    const response = new ReadResp();
    response.setConfirmation(confirmation);
    await this.write(response);
    await this.pump();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unlisten();
    this.options.onClosed();
    if (!this.call.cancelled) this.call.end();
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    try {
      while (!this.closed) {
        if (this.cursor < this.log.all.length) {
          const event = this.log.all[this.cursor++];
          if (this.matches(event)) await this.write(this.toResponse(event));
          await this.maybeCheckpoint(event);
        } else if (!this.caughtUpSent) {
          this.caughtUpSent = true;
          if (this.options.caughtUpMessages) {
            const response = new ReadResp();
            response.setCaughtUp(new ReadResp.CaughtUp());
            await this.write(response);
          }
        } else {
          break;
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private async maybeCheckpoint(event: StoredEvent): Promise<void> {
    if (!this.options.checkpointEvery) return;
    this.scannedSinceCheckpoint += 1;
    if (this.scannedSinceCheckpoint < this.options.checkpointEvery) return;
    this.scannedSinceCheckpoint = 0;
    const checkpoint = new ReadResp.Checkpoint();
    checkpoint.setCommitPosition(event.commit.toString());
    checkpoint.setPreparePosition(event.prepare.toString());
    const response = new ReadResp();
    response.setCheckpoint(checkpoint);
    await this.write(response);
  }

  private write(response: ReadResp): Promise<void> {
    if (this.closed) return Promise.resolve();
    return writeOne(this.call, response);
  }
}

// ---------------------------------------------------------------- wire helpers

function writeOne(call: grpc.ServerWritableStream<ReadReq, ReadResp>, response: ReadResp): Promise<void> {
  if (call.write(response)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      call.off('drain', done);
      call.off('close', done);
      call.off('cancelled', done);
      resolve();
    };
    call.on('drain', done);
    call.on('close', done);
    call.on('cancelled', done);
  });
}

async function writeAll(call: grpc.ServerWritableStream<ReadReq, ReadResp>, responses: ReadResp[]): Promise<void> {
  for (const response of responses) {
    if (call.cancelled) return;
    await writeOne(call, response);
  }
}

interface Filter {
  matches(event: StoredEvent): boolean;
  /** Send a checkpoint after this many scanned events (search window × multiplier). */
  checkpointEvery: number;
}

function parseFilter(options: ReadReq.Options): Filter | undefined {
  if (!options.hasFilter()) return undefined;
  const filter = options.getFilter()!;
  const onType = filter.hasEventType();
  const expression = onType ? filter.getEventType()! : filter.getStreamIdentifier()!;
  const regex = expression.getRegex();
  const prefixes = expression.getPrefixList();
  const pattern = regex ? new RegExp(regex) : undefined;
  const test = (value: string) =>
    pattern ? pattern.test(value) : prefixes.length === 0 || prefixes.some((prefix) => value.startsWith(prefix));
  const window = filter.hasMax() ? filter.getMax() : DEFAULT_SEARCH_WINDOW;
  return {
    matches: (event) => test(onType ? event.type : event.streamId),
    checkpointEvery: window * Math.max(1, filter.getCheckpointintervalmultiplier()),
  };
}

/** The expected-revision oneof of Append and BatchAppend options (they name the exact case differently). */
function expectedOf(
  options: { hasNoStream(): boolean; hasAny(): boolean; hasStreamExists(): boolean },
  revision: string | undefined,
): Expected | undefined {
  if (revision !== undefined) return { kind: 'revision', revision: BigInt(revision) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasAny()) return { kind: 'any' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return undefined;
}

function toCount(value: string): number {
  const count = BigInt(value || '0');
  return count > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(count);
}

function toProposed(message: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  return {
    id: uuidToString(message.getId()),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

/**
 * `$all` reads carry the event's (commit, prepare) position and the read-level commit position; stream
 * reads carry no read-level position, and no event position either for events of legacy transactions.
 */
function readEvent(event: StoredEvent, uuidAsString: boolean, fromAll: boolean): ReadResp.ReadEvent {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(uuidToProto(event.id, uuidAsString));
  recorded.setStreamIdentifier(streamIdentifier(event.streamId));
  recorded.setStreamRevision(event.revision.toString());
  const positionKnown = fromAll || event.selfCommitted;
  recorded.setCommitPosition(positionKnown ? event.commit.toString() : NO_POSITION);
  recorded.setPreparePosition(positionKnown ? event.prepare.toString() : NO_POSITION);
  recorded.getMetadataMap().set('type', event.type);
  recorded.getMetadataMap().set('content-type', event.contentType);
  recorded.getMetadataMap().set('created', event.createdTicks.toString());
  recorded.setData(event.data);
  recorded.setCustomMetadata(event.customMetadata);
  const read = new ReadResp.ReadEvent();
  read.setEvent(recorded);
  if (fromAll) read.setCommitPosition(event.commit.toString());
  else read.setNoPosition(new Empty());
  return read;
}

function streamName(identifier: StreamIdentifier | undefined): string {
  return identifier ? Buffer.from(identifier.getStreamName_asU8()).toString('utf8') : '';
}

function streamIdentifier(name: string): StreamIdentifier {
  const identifier = new StreamIdentifier();
  identifier.setStreamName(Uint8Array.from(Buffer.from(name, 'utf8')));
  return identifier;
}

function allPosition(position: LogPosition): AllStreamPosition {
  const result = new AllStreamPosition();
  result.setCommitPosition(position.commit.toString());
  result.setPreparePosition(position.prepare.toString());
  return result;
}

/** `Event.SizeOnDisk`: what counts towards `MaxAppendSize` (a .NET string's length is in UTF-16 units, as in JS). */
function sizeOnDisk(event: ProposedEvent): number {
  return event.data.length + event.customMetadata.length + event.type.length * 2;
}

function jsonEvent(type: string, data: unknown, id: string = randomUUID()): ProposedEvent {
  return {
    id,
    type,
    contentType: 'application/json',
    data: Uint8Array.from(Buffer.from(JSON.stringify(data), 'utf8')),
    customMetadata: new Uint8Array(),
  };
}

/** A link event as system projections write it: type `$>`, data "revision@stream". */
function linkEvent(target: string): ProposedEvent {
  return {
    id: randomUUID(),
    type: '$>',
    contentType: 'application/octet-stream',
    data: Uint8Array.from(Buffer.from(target, 'utf8')),
    customMetadata: Uint8Array.from(Buffer.from(JSON.stringify({ $v: '1:-1:1:4' }), 'utf8')),
  };
}

/** A google.rpc.Status as BatchAppend answers errors: code, message and typed details. */
function status(code: Code, message: string, details: { serializeBinary(): Uint8Array }, detailsType: string): Status {
  const packed = new Any();
  packed.pack(details.serializeBinary(), `event_store.client.${detailsType}`);
  const result = new Status();
  result.setCode(code);
  result.setMessage(message);
  result.setDetails(packed);
  return result;
}

const timeoutStatus = () => status(Code.DEADLINE_EXCEEDED, 'Timeout', new Timeout(), 'Timeout');

function serviceError(code: grpc.status, details: string, metadata = new grpc.Metadata()): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata });
}

/** `RpcExceptions.AccessDenied`: PERMISSION_DENIED with `exception: access-denied`. */
function accessDenied(): grpc.ServiceError {
  const metadata = new grpc.Metadata();
  metadata.set('exception', 'access-denied');
  return serviceError(grpc.status.PERMISSION_DENIED, 'Access Denied', metadata);
}

/** UUIDs travel either as a string or as two signed 64-bit halves ("structured"). */
function uuidToString(uuid: UUID | undefined): string {
  if (!uuid) return '';
  if (uuid.hasString()) return uuid.getString().toLowerCase();
  const structured = uuid.getStructured()!;
  const most = BigInt.asUintN(64, BigInt(structured.getMostSignificantBits()));
  const least = BigInt.asUintN(64, BigInt(structured.getLeastSignificantBits()));
  const hex = most.toString(16).padStart(16, '0') + least.toString(16).padStart(16, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function uuidToProto(id: string, asString: boolean): UUID {
  const uuid = new UUID();
  if (asString) {
    uuid.setString(id);
    return uuid;
  }
  const hex = id.replace(/-/g, '');
  const structured = new UUID.Structured();
  structured.setMostSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)).toString());
  structured.setLeastSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`)).toString());
  uuid.setStructured(structured);
  return uuid;
}
