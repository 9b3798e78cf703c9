import type { EventSchemas } from '../event-sourcing/event-catalog';
import { withOccurredOnFrom } from '../event-sourcing/upcasters';

/** Events of the OPD stream `opd-{code}`. Names are part of the public contract. */
export type OpdRegistered = {
  type: 'OpdRegistered';
  data: { opdCode: string; name: string; kind: string; pnsHeadcount: number; registeredOn: string; occurredOn: string };
};

export type OpdHeadcountSet = {
  type: 'OpdHeadcountSet';
  data: { opdCode: string; pnsHeadcount: number; previousHeadcount: number; effectiveOn: string; occurredOn: string };
};

export type OpdEvent = OpdRegistered | OpdHeadcountSet;

/** Schema versions and upcasters (see event-sourcing/event-catalog.ts). */
export const OPD_EVENT_SCHEMAS: EventSchemas = {
  OpdRegistered: { version: 2, upcasters: { 1: withOccurredOnFrom('registeredOn') } },
  OpdHeadcountSet: { version: 2, upcasters: { 1: withOccurredOnFrom('effectiveOn') } },
};

export const opdStream = (code: string): string => `opd-${code}`;
