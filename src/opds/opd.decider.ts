import { DomainError } from '../shared/domain-error';
import type { OpdDetailsCorrected, OpdEvent, OpdHeadcountSet, OpdKind, OpdRegistered, OpdRetired } from './opd.events';

// ---------------------------------------------------------------- commands

export type RegisterOpd = {
  type: 'RegisterOpd';
  data: { opdCode: string; name: string; kind: OpdKind; pnsHeadcount: number; today: string };
};

/** `effectiveOn` defaults to today in the HTTP shell; it may be in the past, never in the future. */
export type SetOpdHeadcount = {
  type: 'SetOpdHeadcount';
  data: { opdCode: string; pnsHeadcount: number; effectiveOn: string; today: string };
};

/** A rename or re-kind; fields left out are not corrected. */
export type CorrectOpdDetails = {
  type: 'CorrectOpdDetails';
  data: { opdCode: string; name?: string; kind?: OpdKind; reason: string; today: string };
};

/**
 * Closing the OPD from `effectiveOn` (today by default in the HTTP shell). The shell looks up what lies
 * outside this stream and passes it in: how many registered sponsors the OPD still has (`sponsorsRegistered`).
 */
export type RetireOpd = {
  type: 'RetireOpd';
  data: { opdCode: string; reason: string; effectiveOn: string; today: string; sponsorsRegistered: number };
};

export type OpdCommand = RegisterOpd | SetOpdHeadcount | CorrectOpdDetails | RetireOpd;

// ---------------------------------------------------------------- state

export type OpdState =
  | { registered: false }
  | {
      registered: true;
      opdCode: string;
      name: string;
      kind: OpdKind;
      registeredOn: string;
      pnsHeadcount: number;
      /** Effective date of the current headcount (the registration day until a change). */
      headcountEffectiveOn: string;
      /** Effective date of the retirement; null while the OPD is current. */
      retiredOn: string | null;
    };

export const initialState = (): OpdState => ({ registered: false });

// ---------------------------------------------------------------- evolve

export function evolve(state: OpdState, event: OpdEvent): OpdState {
  switch (event.type) {
    case 'OpdRegistered':
      return {
        registered: true,
        opdCode: event.data.opdCode,
        name: event.data.name,
        kind: event.data.kind,
        registeredOn: event.data.registeredOn,
        pnsHeadcount: event.data.pnsHeadcount,
        headcountEffectiveOn: event.data.registeredOn,
        retiredOn: null,
      };
    case 'OpdHeadcountSet':
      if (!state.registered) return state;
      return { ...state, pnsHeadcount: event.data.pnsHeadcount, headcountEffectiveOn: event.data.effectiveOn };
    case 'OpdDetailsCorrected':
      if (!state.registered) return state;
      return { ...state, name: event.data.name ?? state.name, kind: event.data.kind ?? state.kind };
    case 'OpdRetired':
      if (!state.registered) return state;
      return { ...state, retiredOn: event.data.effectiveOn };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

// ---------------------------------------------------------------- decide

type RegisteredOpd = Extract<OpdState, { registered: true }>;

function requireRegistered(state: OpdState, opdCode: string): RegisteredOpd {
  if (!state.registered) throw new DomainError('NOT_FOUND', `OPD ${opdCode} is not registered`);
  return state;
}

function requireText(value: string | undefined, field: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new DomainError('VALIDATION_FAILED', `${field} is required`, field);
}

export function registerOpd(command: RegisterOpd, state: OpdState): [OpdRegistered] {
  const { opdCode, name, kind, pnsHeadcount, today } = command.data;
  if (state.registered) throw new DomainError('OPD_ALREADY_REGISTERED', `OPD ${opdCode} is already registered`);
  return [{ type: 'OpdRegistered', data: { opdCode, name, kind, pnsHeadcount, registeredOn: today, occurredOn: today } }];
}

/**
 * Headcount history is kept in effective-date order: a change may not take effect before the current
 * headcount did, nor in the future. Setting the current value again changes nothing. A retired OPD has no
 * headcount to change.
 */
export function setOpdHeadcount(command: SetOpdHeadcount, state: OpdState): OpdHeadcountSet[] {
  const { opdCode, pnsHeadcount, effectiveOn, today } = command.data;
  const opd = requireRegistered(state, opdCode);
  if (opd.retiredOn !== null) throw new DomainError('OPD_RETIRED', `OPD ${opdCode} was retired on ${opd.retiredOn}`);
  if (effectiveOn > today) throw new DomainError('VALIDATION_FAILED', 'effectiveOn may not be in the future', 'effectiveOn');
  if (effectiveOn < opd.headcountEffectiveOn) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `effectiveOn may not precede the current headcount's effective date ${opd.headcountEffectiveOn}`,
      'effectiveOn',
    );
  }
  if (pnsHeadcount === opd.pnsHeadcount) return [];
  return [
    {
      type: 'OpdHeadcountSet',
      data: { opdCode: opd.opdCode, pnsHeadcount, previousHeadcount: opd.pnsHeadcount, effectiveOn, occurredOn: effectiveOn },
    },
  ];
}

/**
 * Records only the fields that differ from the current ones; a correction that changes nothing records
 * nothing. A retired OPD may still be corrected: its name and kind stay in the reports of its past.
 */
export function correctOpdDetails(command: CorrectOpdDetails, state: OpdState): OpdDetailsCorrected[] {
  const { opdCode, reason, today } = command.data;
  const opd = requireRegistered(state, opdCode);
  requireText(reason, 'reason');
  if (command.data.name !== undefined) requireText(command.data.name, 'name');
  const changed: Pick<OpdDetailsCorrected['data'], 'name' | 'kind'> = {};
  if (command.data.name !== undefined && command.data.name !== opd.name) changed.name = command.data.name;
  if (command.data.kind !== undefined && command.data.kind !== opd.kind) changed.kind = command.data.kind;
  if (Object.keys(changed).length === 0) return [];
  return [{ type: 'OpdDetailsCorrected', data: { opdCode: opd.opdCode, ...changed, reason, occurredOn: today } }];
}

/**
 * Closes the OPD from `effectiveOn`: not in the future, not before it was registered, and only once no
 * registered sponsor remains in it. Retiring it again changes nothing.
 */
export function retireOpd(command: RetireOpd, state: OpdState): OpdRetired[] {
  const { opdCode, reason, effectiveOn, today, sponsorsRegistered } = command.data;
  const opd = requireRegistered(state, opdCode);
  requireText(reason, 'reason');
  if (opd.retiredOn !== null) return [];
  if (effectiveOn > today) throw new DomainError('VALIDATION_FAILED', 'effectiveOn may not be in the future', 'effectiveOn');
  if (effectiveOn < opd.registeredOn) {
    throw new DomainError('VALIDATION_FAILED', `effectiveOn may not precede the registration date ${opd.registeredOn}`, 'effectiveOn');
  }
  if (sponsorsRegistered > 0) {
    throw new DomainError('OPD_HAS_SPONSORS', `OPD ${opdCode} still has ${sponsorsRegistered} registered sponsor(s): transfer or withdraw them first`);
  }
  return [{ type: 'OpdRetired', data: { opdCode: opd.opdCode, reason, effectiveOn, occurredOn: effectiveOn } }];
}

export function decide(command: OpdCommand, state: OpdState): OpdEvent[] {
  switch (command.type) {
    case 'RegisterOpd':
      return registerOpd(command, state);
    case 'SetOpdHeadcount':
      return setOpdHeadcount(command, state);
    case 'CorrectOpdDetails':
      return correctOpdDetails(command, state);
    case 'RetireOpd':
      return retireOpd(command, state);
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown OPD command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

export const opdDecider = { decide, evolve, initialState };
