import type { EventSchemas, Upcaster } from '../event-sourcing/event-catalog';
import { withOccurredOnFrom } from '../event-sourcing/upcasters';

/** Events of the OPD stream `opd-{code}`. Names are part of the public contract. */
export const OPD_KINDS = ['DINAS', 'BADAN', 'BAGIAN', 'KECAMATAN', 'INSPEKTORAT', 'SEKRETARIAT', 'SATUAN', 'RUMAH_SAKIT', 'OTHER'] as const;
export type OpdKind = (typeof OPD_KINDS)[number];

export type OpdRegistered = {
  type: 'OpdRegistered';
  data: {
    opdCode: string;
    name: string;
    kind: OpdKind;
    /** The free-text kind a v1/v2 event was stored with, kept (v3) only when it is not the kind it reads as. */
    kindAsRegistered?: string;
    pnsHeadcount: number;
    registeredOn: string;
    occurredOn: string;
  };
};

export type OpdHeadcountSet = {
  type: 'OpdHeadcountSet';
  data: { opdCode: string; pnsHeadcount: number; previousHeadcount: number; effectiveOn: string; occurredOn: string };
};

/** A rename or re-kind: only the fields that changed, and why. Dated the day it was recorded. */
export type OpdDetailsCorrected = {
  type: 'OpdDetailsCorrected';
  data: { opdCode: string; name?: string; kind?: OpdKind; reason: string; occurredOn: string };
};

/** The OPD closed from `effectiveOn` (never in the future), once no registered sponsor remained in it. */
export type OpdRetired = {
  type: 'OpdRetired';
  data: { opdCode: string; reason: string; effectiveOn: string; occurredOn: string };
};

export type OpdEvent = OpdRegistered | OpdHeadcountSet | OpdDetailsCorrected | OpdRetired;

/** Free-text kinds the first releases accepted, as they were commonly written, by their normalised form. */
const KIND_ALIASES: Readonly<Record<string, OpdKind>> = {
  SETDA: 'SEKRETARIAT',
  SEKDA: 'SEKRETARIAT',
  'SEKRETARIAT DAERAH': 'SEKRETARIAT',
  SETWAN: 'SEKRETARIAT',
  'SEKRETARIAT DPRD': 'SEKRETARIAT',
  RSUD: 'RUMAH_SAKIT',
  RS: 'RUMAH_SAKIT',
  'RUMAH SAKIT UMUM DAERAH': 'RUMAH_SAKIT',
  'SATPOL PP': 'SATUAN',
  SATPOLPP: 'SATUAN',
  'SATUAN POLISI PAMONG PRAJA': 'SATUAN',
  'INSPEKTORAT DAERAH': 'INSPEKTORAT',
  KEC: 'KECAMATAN',
};

/** Case, spaces, underscores, hyphens and dots do not matter: ' rumah-sakit ' reads as RUMAH SAKIT. */
const normalisedKind = (kind: string): string =>
  kind
    .toUpperCase()
    .replace(/[\s_.-]+/g, ' ')
    .trim();

/** The kind a stored free-text kind reads as: one of OPD_KINDS by name or a known alias, else OTHER. */
export function opdKindOf(stored: string): OpdKind {
  const normalised = normalisedKind(stored);
  const byName = OPD_KINDS.find((kind) => kind.replace(/_/g, ' ') === normalised);
  return byName ?? KIND_ALIASES[normalised] ?? 'OTHER';
}

/** v3 of OpdRegistered: `kind` is one of OPD_KINDS; a stored kind that reads otherwise is kept as `kindAsRegistered`. */
const kindOntoEnum: Upcaster = (data) => {
  const stored = typeof data.kind === 'string' ? data.kind : '';
  const kind = opdKindOf(stored);
  return kind === stored ? data : { ...data, kind, kindAsRegistered: stored };
};

/** Schema versions and upcasters (see event-sourcing/event-catalog.ts). */
export const OPD_EVENT_SCHEMAS: EventSchemas = {
  OpdRegistered: { version: 3, upcasters: { 1: withOccurredOnFrom('registeredOn'), 2: kindOntoEnum } },
  OpdHeadcountSet: { version: 2, upcasters: { 1: withOccurredOnFrom('effectiveOn') } },
  OpdDetailsCorrected: { version: 1 },
  OpdRetired: { version: 1 },
};

export const opdStream = (code: string): string => `opd-${code}`;
