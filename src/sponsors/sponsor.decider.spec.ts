import { deciderSpec } from '../../test/support/given-when-then';
import { OpdLookup, RegisterSponsor, SponsorCommand, SponsorState, decide, evolve, initialState } from './sponsor.decider';
import type { SponsorEvent } from './sponsor.events';

const spec = deciderSpec<SponsorCommand, SponsorState, SponsorEvent, undefined>({ decide, evolve, initialState }, undefined);

const SPONSOR_ID = '7d3f4c52-1f0e-4a4b-9a51-0c3f1b0e7a10';
const PNS_NIP = '198503152010011001';
const PPPK_NIP = '198507232023211003';

const OPEN_OPD: OpdLookup = { exists: true, retired: false };
const UNKNOWN_OPD: OpdLookup = { exists: false, retired: false };
const RETIRED_OPD: OpdLookup = { exists: true, retired: true };

const registered: SponsorEvent = {
  type: 'SponsorRegistered',
  data: { sponsorId: SPONSOR_ID, nip: PNS_NIP, fullName: 'Sri Wahyuni', opdCode: 'DINKES', registeredOn: '2026-02-01', occurredOn: '2026-02-01' },
};
const withdrawn: SponsorEvent = {
  type: 'SponsorWithdrawn',
  data: { sponsorId: SPONSOR_ID, reason: 'retired', withdrawnOn: '2026-04-01', occurredOn: '2026-04-01' },
};

const register = (overrides: Partial<RegisterSponsor['data']> = {}): SponsorCommand => ({
  type: 'RegisterSponsor',
  data: {
    sponsorId: SPONSOR_ID,
    nip: PNS_NIP,
    fullName: 'Sri Wahyuni',
    opdCode: 'DINKES',
    today: '2026-02-01',
    opd: OPEN_OPD,
    ...overrides,
  },
});

const transfer = (toOpdCode: string, effectiveOn = '2026-03-01', opd: OpdLookup = OPEN_OPD): SponsorCommand => ({
  type: 'TransferSponsor',
  data: { sponsorId: SPONSOR_ID, toOpdCode, effectiveOn, today: '2026-03-10', opd },
});

const withdraw = (reason = 'retired'): SponsorCommand => ({
  type: 'WithdrawSponsor',
  data: { reason, today: '2026-04-01' },
});

describe('RegisterSponsor', () => {
  it('registers a PNS sponsor in an OPD, dated today', () => {
    spec.given([]).when(register()).then([registered]);
  });

  it('registers a PPPK sponsor', () => {
    spec
      .given([])
      .when(register({ nip: PPPK_NIP }))
      .then([{ ...registered, data: { ...registered.data, nip: PPPK_NIP } }]);
  });

  it('refuses a NIP of the wrong shape', () => {
    spec.given([]).when(register({ nip: '12345' })).thenFails('VALIDATION_FAILED', 'nip');
    spec.given([]).when(register({ nip: '198502302010011001' })).thenFails('VALIDATION_FAILED', 'nip');
  });

  it('refuses a NIP whose TMT is less than 18 years after birth', () => {
    spec.given([]).when(register({ nip: '199005202008041001' })).thenFails('VALIDATION_FAILED', 'nip');
  });

  it('refuses an OPD that is not registered', () => {
    spec.given([]).when(register({ opd: UNKNOWN_OPD })).thenFails('UNKNOWN_OPD', 'opdCode');
  });

  it('treats a second registration on the same stream as a concurrency conflict', () => {
    spec.given([registered]).when(register()).thenFails('CONCURRENCY_CONFLICT');
  });
});

describe('TransferSponsor', () => {
  it('moves the sponsor to another OPD from the effective date', () => {
    spec
      .given([registered])
      .when(transfer('DISBUDPAR'))
      .then([
        {
          type: 'SponsorTransferred',
          data: { sponsorId: SPONSOR_ID, fromOpdCode: 'DINKES', toOpdCode: 'DISBUDPAR', effectiveOn: '2026-03-01', occurredOn: '2026-03-01' },
        },
      ]);
  });

  it('moves from the OPD of the latest transfer', () => {
    const moved: SponsorEvent = {
      type: 'SponsorTransferred',
      data: { sponsorId: SPONSOR_ID, fromOpdCode: 'DINKES', toOpdCode: 'DISBUDPAR', effectiveOn: '2026-03-01', occurredOn: '2026-03-01' },
    };
    spec
      .given([registered, moved])
      .when(transfer('DISDAG', '2026-03-05'))
      .then([
        {
          type: 'SponsorTransferred',
          data: { sponsorId: SPONSOR_ID, fromOpdCode: 'DISBUDPAR', toOpdCode: 'DISDAG', effectiveOn: '2026-03-05', occurredOn: '2026-03-05' },
        },
      ]);
  });

  it('changes nothing when the sponsor is already in that OPD', () => {
    spec.given([registered]).when(transfer('DINKES')).thenNothing();
  });

  it('is NOT_FOUND for a sponsor never registered', () => {
    spec.given([]).when(transfer('DISBUDPAR')).thenFails('NOT_FOUND');
  });

  it('refuses a withdrawn sponsor', () => {
    spec.given([registered, withdrawn]).when(transfer('DISBUDPAR')).thenFails('SPONSOR_WITHDRAWN');
  });

  it('refuses an OPD that is not registered', () => {
    spec.given([registered]).when(transfer('NOWHERE', '2026-03-01', UNKNOWN_OPD)).thenFails('UNKNOWN_OPD', 'opdCode');
  });

  it('refuses an effective date in the future or before the sponsor joined the current OPD', () => {
    spec.given([registered]).when(transfer('DISBUDPAR', '2026-03-11')).thenFails('VALIDATION_FAILED', 'effectiveOn');
    spec.given([registered]).when(transfer('DISBUDPAR', '2026-01-31')).thenFails('VALIDATION_FAILED', 'effectiveOn');
  });
});

describe('a retired OPD refuses sponsors', () => {
  it('refuses to register a sponsor into it (OPD_RETIRED on opdCode)', () => {
    spec.given([]).when(register({ opd: RETIRED_OPD })).thenFails('OPD_RETIRED', 'opdCode');
  });

  it('refuses to transfer a sponsor to it (OPD_RETIRED on opdCode)', () => {
    spec.given([registered]).when(transfer('DISBUDPAR', '2026-03-01', RETIRED_OPD)).thenFails('OPD_RETIRED', 'opdCode');
  });
});

describe('WithdrawSponsor', () => {
  it('withdraws the sponsor with the reason, dated today', () => {
    spec.given([registered]).when(withdraw()).then([withdrawn]);
  });

  it('changes nothing when already withdrawn', () => {
    spec.given([registered, withdrawn]).when(withdraw()).thenNothing();
  });

  it('is NOT_FOUND for a sponsor never registered', () => {
    spec.given([]).when(withdraw()).thenFails('NOT_FOUND');
  });
});

describe('EraseSponsorPersonalData', () => {
  const erase = (today = '2026-05-01'): SponsorCommand => ({
    type: 'EraseSponsorPersonalData',
    data: { reason: 'request of the person', requestRef: 'PDP-9', today, now: `${today}T03:00:00.000Z` },
  });
  const erasedEvent: SponsorEvent = {
    type: 'PersonalDataErased',
    data: { sponsorId: SPONSOR_ID, reason: 'request of the person', requestRef: 'PDP-9', erasedAt: '2026-05-01T03:00:00.000Z', occurredOn: '2026-05-01' },
  };

  it('is refused while the sponsor has not withdrawn', () => {
    spec.given([registered]).when(erase()).thenFails('ERASURE_NOT_ALLOWED');
  });

  it('records the request once the sponsor has withdrawn, and nothing the second time', () => {
    spec.given([registered, withdrawn]).when(erase()).then([erasedEvent]);
    spec.given([registered, withdrawn, erasedEvent]).when(erase('2026-06-01')).thenNothing();
  });

  it('forgets the NIP and name in the state once erased', () => {
    const state = spec.given([registered, withdrawn, erasedEvent]).state;
    expect(state).toMatchObject({ nip: null, fullName: null, erasure: { erasedAt: '2026-05-01T03:00:00.000Z' } });
  });
});
