/**
 * A small EventStoreDB gRPC emulator (TEST CODE ONLY): a `@grpc/grpc-js` server that speaks the wire
 * contract of the real server for what `@eventstore/db-client` v6 needs, backed by `InMemoryLog`.
 *
 * Served: ServerFeatures.GetSupportedMethods, Streams.Append, Streams.BatchAppend, Streams.Read
 * (stream forwards/backwards, stream-not-found, $all forwards/backwards with filters, catch-up
 * subscriptions to $all or a stream: confirmation, history, CaughtUp, live, filter checkpoints).
 * Not served: Delete, Tombstone, persistent subscriptions, projections, users, operations, gossip.
 *
 * It follows EventStoreDB's documented behaviour, read from the server source where the docs are
 * silent: forward reads from a position include the event at it, backward reads stop before it,
 * catch-up subscriptions start strictly after their position, revisions start at 0.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { AppendOutcome, Expected, InMemoryLog, ProposedEvent, StoredEvent } from './in-memory-log';
import {
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
  ReadReq,
  ReadResp,
  ServerFeaturesService,
  Status,
  StreamIdentifier,
  StreamsService,
  SupportedMethod,
  SupportedMethods,
  UUID,
  WrongExpectedVersion,
} from './proto';

export interface EsdbEmulatorOptions {
  /** Advertise and serve Streams.BatchAppend, as servers since 21.10 do (default true). Off: the client falls back to Streams.Append. */
  batchAppend?: boolean;
  /** Send ReadResp.CaughtUp in subscriptions, as servers since 23.10 do (default true). Off: like older servers, which never say so. */
  caughtUpMessages?: boolean;
  /**
   * After every N client appends, write a `$statsCollected` event to `$stats-emulator`, so the log holds
   * system events between user events as a real server's does (default 2; 0 turns it off).
   */
  systemEventEvery?: number;
}

export interface EsdbEmulator {
  /** Connection string for `@eventstore/db-client`, e.g. `esdb://127.0.0.1:40123?tls=false`. */
  url: string;
  stop(): Promise<void>;
}

const SERVER_VERSION = '23.10.0';
const DEFAULT_SEARCH_WINDOW = 32;

export async function startEsdbEmulator(options: EsdbEmulatorOptions = {}): Promise<EsdbEmulator> {
  const emulator = new Emulator({
    batchAppend: options.batchAppend ?? true,
    caughtUpMessages: options.caughtUpMessages ?? true,
    systemEventEvery: options.systemEventEvery ?? 2,
  });
  const server = new grpc.Server();
  server.addService(ServerFeaturesService, emulator.serverFeatures());
  server.addService(StreamsService, emulator.streams());
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    ),
  );
  return {
    url: `esdb://127.0.0.1:${port}?tls=false`,
    stop: async () => {
      emulator.stop();
      server.forceShutdown();
    },
  };
}

class Emulator {
  private readonly log = new InMemoryLog();
  private readonly subscriptions = new Set<SubscriptionPump>();
  private clientAppends = 0;

  constructor(private readonly options: Required<EsdbEmulatorOptions>) {
    if (options.systemEventEvery > 0) this.writeSystemEvent();
  }

  stop(): void {
    for (const subscription of this.subscriptions) subscription.close();
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
        if (this.options.batchAppend) methods.push(method(streams, 'batchappend', ['deadline_duration']));
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
        this.options.batchAppend
          ? this.batchAppend(call)
          : call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'BatchAppend is switched off' }),
      delete: unimplemented,
      tombstone: unimplemented,
    };
  }

  // ---------------------------------------------------------------- appends

  private appendToLog(streamId: string, expected: Expected, events: ProposedEvent[]): AppendOutcome {
    const before = this.log.all.length;
    const outcome = this.log.append(streamId, expected, events);
    if (this.log.all.length > before && this.options.systemEventEvery > 0) {
      this.clientAppends += 1;
      if (this.clientAppends % this.options.systemEventEvery === 0) this.writeSystemEvent();
    }
    return outcome;
  }

  private writeSystemEvent(): void {
    const data = Buffer.from(JSON.stringify({ 'proc-startTime': new Date().toISOString() }), 'utf8');
    this.log.append('$stats-emulator', { kind: 'any' }, [
      { id: randomUUID(), type: '$statsCollected', contentType: 'application/json', data, customMetadata: new Uint8Array() },
    ]);
  }

  /** Streams.Append: client streaming, first the options, then the proposed messages. */
  private appendCall(
    call: grpc.ServerReadableStream<AppendReq, AppendResp>,
    callback: grpc.sendUnaryData<AppendResp>,
  ): void {
    let header: AppendReq.Options | undefined;
    const events: ProposedEvent[] = [];
    let failed = false;
    call.on('data', (request: AppendReq) => {
      if (failed) return;
      if (request.hasOptions()) {
        header = request.getOptions();
      } else if (request.hasProposedMessage() && header) {
        events.push(toProposed(request.getProposedMessage()!));
      } else {
        failed = true;
        callback({ code: grpc.status.INVALID_ARGUMENT, details: 'Append must start with options, then proposed messages' });
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
      const outcome = this.appendToLog(streamId, expected, events);
      const reply = new AppendResp();
      if (outcome.ok) {
        const success = new AppendResp.Success();
        if (outcome.currentRevision < 0n) success.setNoStream(new Empty());
        else success.setCurrentRevision(outcome.currentRevision.toString());
        const position = new AppendResp.Position();
        position.setCommitPosition(outcome.position.toString());
        position.setPreparePosition(outcome.position.toString());
        success.setPosition(position);
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
    const pending = new Map<string, { options: BatchAppendReq.Options; events: ProposedEvent[] }>();
    call.on('data', (request: BatchAppendReq) => {
      const correlationId = request.getCorrelationId();
      const key = uuidToString(correlationId);
      if (request.hasOptions()) pending.set(key, { options: request.getOptions()!, events: [] });
      const entry = pending.get(key);
      if (!entry) return;
      entry.events.push(...request.getProposedMessagesList().map(toProposed));
      if (!request.getIsFinal()) return;
      pending.delete(key);

      const { options } = entry;
      const streamId = streamName(options.getStreamIdentifier());
      const expected = expectedOf(options, options.hasStreamPosition() ? options.getStreamPosition() : undefined);

      const reply = new BatchAppendResp();
      reply.setCorrelationId(correlationId);
      reply.setStreamIdentifier(streamIdentifier(streamId));
      if (!expected) {
        const status = new Status();
        status.setCode(Code.INVALID_ARGUMENT);
        status.setMessage('BatchAppend without expected stream position');
        reply.setError(status);
        call.write(reply);
        return;
      }
      const outcome = this.appendToLog(streamId, expected, entry.events);
      if (outcome.ok) {
        const success = new BatchAppendResp.Success();
        if (outcome.currentRevision < 0n) success.setNoStream(new GoogleEmpty());
        else success.setCurrentRevision(outcome.currentRevision.toString());
        success.setPosition(allPosition(outcome.position));
        reply.setSuccess(success);
      } else {
        const wrong = new WrongExpectedVersion();
        if (outcome.currentRevision === 'no_stream') wrong.setCurrentNoStream(new GoogleEmpty());
        else wrong.setCurrentStreamRevision(outcome.currentRevision.toString());
        if (expected.kind === 'revision') wrong.setExpectedStreamPosition(expected.revision.toString());
        else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new GoogleEmpty());
        else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new GoogleEmpty());
        else wrong.setExpectedAny(new GoogleEmpty());
        const details = new Any();
        details.pack(wrong.serializeBinary(), 'event_store.client.WrongExpectedVersion');
        const status = new Status();
        status.setCode(Code.FAILED_PRECONDITION);
        status.setMessage('Wrong expected version.');
        status.setDetails(details);
        reply.setError(status);
      }
      call.write(reply);
    });
    call.on('error', () => undefined);
    call.on('end', () => call.end());
  }

  // ---------------------------------------------------------------- reads

  private read(call: grpc.ServerWritableStream<ReadReq, ReadResp>): void {
    const options = call.request.getOptions();
    if (!options) {
      call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'Read without options' });
      return;
    }
    const uuidAsString = options.getUuidOption()?.hasString() ?? false;
    const filter = parseFilter(options);
    const toReadEvent = (event: StoredEvent, withPosition: boolean) => {
      const response = new ReadResp();
      response.setEvent(readEvent(event, uuidAsString, withPosition));
      return response;
    };

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
          start = next ? this.log.indexAtOrAfter(next.position) : this.log.all.length;
        }
      } else {
        const all = options.getAll()!;
        const Case = ReadReq.Options.AllOptions.AllOptionCase;
        isAll = true;
        matches = filter ? filter.matches : () => true;
        if (all.getAllOptionCase() === Case.END) start = this.log.all.length;
        else if (all.getAllOptionCase() === Case.POSITION) {
          start = this.log.indexAtOrAfter(BigInt(all.getPosition()!.getCommitPosition()) + 1n); // exclusive
        } else start = 0;
      }
      const pump = new SubscriptionPump(call, this.log, start, matches, (event) => toReadEvent(event, isAll), {
        caughtUpMessages: this.options.caughtUpMessages,
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
        // The server reads the revision range [from - count + 1, from] without clamping `from` to the
        // stream's end: backwards from past the end returns only what lies inside that window.
        const lowest = Math.max(0, Number(from) - count + 1);
        for (let i = Math.min(Number(from), last); i >= lowest; i--) {
          responses.push(toReadEvent(events[i], false));
        }
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
      if (backwards) {
        // Backwards from a position yields the events strictly before it.
        const start =
          all.getAllOptionCase() === Case.POSITION
            ? this.log.indexAtOrAfter(BigInt(all.getPosition()!.getCommitPosition())) - 1
            : all.getAllOptionCase() === Case.END
              ? log.length - 1
              : -1;
        for (let i = start; i >= 0 && responses.length < count; i--) {
          if (matches(log[i])) responses.push(toReadEvent(log[i], true));
        }
      } else {
        // Forwards from a position includes the event at it.
        const start =
          all.getAllOptionCase() === Case.POSITION
            ? this.log.indexAtOrAfter(BigInt(all.getPosition()!.getCommitPosition()))
            : all.getAllOptionCase() === Case.END
              ? log.length
              : 0;
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
    checkpoint.setCommitPosition(event.position.toString());
    checkpoint.setPreparePosition(event.position.toString());
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

function readEvent(event: StoredEvent, uuidAsString: boolean, withPosition: boolean): ReadResp.ReadEvent {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(uuidToProto(event.id, uuidAsString));
  recorded.setStreamIdentifier(streamIdentifier(event.streamId));
  recorded.setStreamRevision(event.revision.toString());
  recorded.setCommitPosition(event.position.toString());
  recorded.setPreparePosition(event.position.toString());
  recorded.getMetadataMap().set('type', event.type);
  recorded.getMetadataMap().set('content-type', event.contentType);
  recorded.getMetadataMap().set('created', event.createdTicks.toString());
  recorded.setData(event.data);
  recorded.setCustomMetadata(event.customMetadata);
  const read = new ReadResp.ReadEvent();
  read.setEvent(recorded);
  // $all reads carry the event's position; stream reads say "no position", as the server does.
  if (withPosition) read.setCommitPosition(event.position.toString());
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

function allPosition(position: bigint): AllStreamPosition {
  const result = new AllStreamPosition();
  result.setCommitPosition(position.toString());
  result.setPreparePosition(position.toString());
  return result;
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
