import type { DecodedEvent } from '../event-sourcing/event-codec';
import { formatPosition, type JsonObject } from '../event-store/event-store.port';
import { maskNik } from '../shared/identity';

export interface HistoryEntry {
  /** Log position (decimal string). */
  position: string;
  /** Revision in the worker's stream (decimal string, 0-based). */
  revision: string;
  eventId: string;
  type: string;
  occurredAt: string | null;
  recordedAt: string | null;
  recordedBy: string | null;
  correlationId: string | null;
  causationId: string | null;
  data: JsonObject;
}

export interface WorkerHistory {
  workerId: string;
  events: HistoryEntry[];
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * Every `nik` field, at any depth, masked (`3374**********01`): no answer carries a whole NIK, whichever
 * event shape or future field holds one. Everything else is passed through as recorded.
 */
export function maskPersonalIdentifiers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskPersonalIdentifiers);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, field]) => [
      key,
      key === 'nik' && typeof field === 'string' ? maskNik(field) : maskPersonalIdentifiers(field),
    ]),
  );
}

/** A stored event as an auditor reads it: where it sits in the log, who caused it and when, and what it says. */
export function historyEntry(event: DecodedEvent): HistoryEntry {
  const m = event.metadata;
  return {
    position: formatPosition(event.position),
    revision: event.revision.toString(10),
    eventId: event.id,
    type: event.type,
    occurredAt: text(m.occurredAt),
    recordedAt: text(m.recordedAt) ?? event.created.toISOString(),
    recordedBy: text(m.recordedBy),
    correlationId: text(m.correlationId),
    causationId: text(m.causationId),
    data: maskPersonalIdentifiers(event.data) as JsonObject,
  };
}

export function workerHistory(workerId: string, events: readonly DecodedEvent[]): WorkerHistory {
  return { workerId, events: events.map(historyEntry) };
}
