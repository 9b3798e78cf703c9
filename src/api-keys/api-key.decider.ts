import { DomainError } from '../shared/domain-error';
import type { Evolving } from '../shared/domain-event';
import { isCalendarDate } from '../shared/identity';
import { ROLES, type Role } from '../shared/roles';
import type { ApiKeyEvent, ApiKeyIssued, ApiKeyRevoked } from './api-key.events';

// ---------------------------------------------------------------- commands

/** What the command handler found about the OPD a key is to be bound to: null when none was named. */
export type OpdLookup = { exists: boolean; retired: boolean } | null;

/**
 * The handler makes the id and the secret (and hashes it), reserves the name, and looks the OPD up; this
 * decider judges the rest. `today` is the issuing day in the programme's time zone.
 */
export type IssueApiKey = {
  type: 'IssueApiKey';
  data: {
    keyId: string;
    name: string;
    role: string;
    opdCode: string | null;
    expiresOn: string | null;
    secretHash: string;
    today: string;
    opd: OpdLookup;
  };
};

export type RevokeApiKey = { type: 'RevokeApiKey'; data: { reason: string; today: string } };

export type ApiKeyCommand = IssueApiKey | RevokeApiKey;

// ---------------------------------------------------------------- state

export type ApiKeyState =
  | { issued: false }
  | {
      issued: true;
      keyId: string;
      name: string;
      role: Role;
      opdCode: string | null;
      expiresOn: string | null;
      /** The revocation once recorded (its position null while only decided, in specs): asked again, it answers with it. */
      revocation: { position: bigint | null } | null;
    };

export const initialState = (): ApiKeyState => ({ issued: false });

// ---------------------------------------------------------------- evolve

export function evolve(state: ApiKeyState, event: Evolving<ApiKeyEvent>): ApiKeyState {
  switch (event.type) {
    case 'ApiKeyIssued': {
      const { keyId, name, role, opdCode, expiresOn } = event.data;
      return { issued: true, keyId, name, role, opdCode, expiresOn, revocation: null };
    }
    case 'ApiKeyRevoked':
      if (!state.issued || state.revocation) return state;
      return { ...state, revocation: { position: event.position ?? null } };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

// ---------------------------------------------------------------- decide

/**
 * A key name: 2–64 lower-case letters, digits, `.`, `_` or `-`, starting with a letter or digit. It becomes the
 * `recordedBy` of events, so it never holds a `:` (that is how `system:…` principals are told apart), and one
 * spelling per name keeps two keys from looking alike in the audit trail.
 */
export const KEY_NAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/**
 * Checks, in this order: the key id is new (CONCURRENCY_CONFLICT: the handler made a fresh one, retry); the
 * name's shape, the role (one of admin, operator, auditor, analyst), that only an operator key is bound to an
 * OPD, and that `expiresOn` is a real date after today (VALIDATION_FAILED, by field); then the OPD: registered
 * (UNKNOWN_OPD) and not retired (OPD_RETIRED). Whether the name is free is the handler's (a reservation).
 */
export function issueApiKey(command: IssueApiKey, state: ApiKeyState): [ApiKeyIssued] {
  const { keyId, name, role, opdCode, expiresOn, secretHash, today, opd } = command.data;
  if (state.issued) throw new DomainError('CONCURRENCY_CONFLICT', `Key id ${keyId} is already in use; retry the request`);
  if (!KEY_NAME.test(name)) {
    throw new DomainError('VALIDATION_FAILED', 'name must be 2–64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit', 'name');
  }
  if (!(ROLES as readonly string[]).includes(role)) throw new DomainError('VALIDATION_FAILED', `role must be one of ${ROLES.join(', ')}`, 'role');
  if (opdCode !== null && role !== 'operator') {
    throw new DomainError('VALIDATION_FAILED', 'Only an operator key can be bound to an OPD (opdCode)', 'opdCode');
  }
  if (expiresOn !== null && !isCalendarDate(expiresOn)) throw new DomainError('VALIDATION_FAILED', 'expiresOn must be a real date YYYY-MM-DD', 'expiresOn');
  if (expiresOn !== null && expiresOn <= today) {
    throw new DomainError('VALIDATION_FAILED', `expiresOn must be after today (${today}): the key works through that day`, 'expiresOn');
  }
  if (opdCode !== null && !opd?.exists) throw new DomainError('UNKNOWN_OPD', `OPD ${opdCode} is not registered`, 'opdCode');
  if (opdCode !== null && opd?.retired) throw new DomainError('OPD_RETIRED', `OPD ${opdCode} is retired: no key can be bound to it`, 'opdCode');
  return [{ type: 'ApiKeyIssued', data: { keyId, name, role: role as Role, opdCode, expiresOn, secretHash, occurredOn: today } }];
}

/** A revocation, or the first one again (nothing appended; the answer carries the position it was recorded at). */
export type RevocationDecision = { kind: 'revoked'; events: [ApiKeyRevoked] } | { kind: 'replay'; events: []; position: bigint | null };

/** Unknown key: NOT_FOUND. Revoking a revoked key again changes nothing and answers the first revocation. */
export function revokeApiKey(command: RevokeApiKey, state: ApiKeyState): RevocationDecision {
  if (!state.issued) throw new DomainError('NOT_FOUND', 'No API key with this id');
  if (state.revocation) return { kind: 'replay', events: [], position: state.revocation.position };
  return { kind: 'revoked', events: [{ type: 'ApiKeyRevoked', data: { keyId: state.keyId, reason: command.data.reason, occurredOn: command.data.today } }] };
}

export function decide(command: ApiKeyCommand, state: ApiKeyState): ApiKeyEvent[] {
  switch (command.type) {
    case 'IssueApiKey':
      return issueApiKey(command, state);
    case 'RevokeApiKey':
      return revokeApiKey(command, state).events;
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown API key command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

export const apiKeyDecider = { decide, evolve, initialState };
