/** Events of the OPD stream `opd-{code}`. Names are part of the public contract. */
export type OpdRegistered = {
  type: 'OpdRegistered';
  data: { opdCode: string; name: string; kind: string; pnsHeadcount: number; registeredOn: string };
};

export type OpdHeadcountSet = {
  type: 'OpdHeadcountSet';
  data: { opdCode: string; pnsHeadcount: number; previousHeadcount: number; effectiveOn: string };
};

export type OpdEvent = OpdRegistered | OpdHeadcountSet;

export const opdStream = (code: string): string => `opd-${code}`;
