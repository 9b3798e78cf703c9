import { deciderSpec } from '../../test/support/given-when-then';
import { type ApiKeyCommand, type ApiKeyState, apiKeyDecider, type IssueApiKey, revokeApiKey } from './api-key.decider';
import type { ApiKeyEvent, ApiKeyIssued } from './api-key.events';

const spec = deciderSpec<ApiKeyCommand, ApiKeyState, ApiKeyEvent, undefined>(apiKeyDecider, undefined);

const keyId = '6f1c7c1e-58f5-4d8e-9a53-2f0b8a7f2c11';
const secretHash = 'a'.repeat(64);

const issue = (overrides: Partial<IssueApiKey['data']> = {}): ApiKeyCommand => ({
  type: 'IssueApiKey',
  data: {
    keyId,
    name: 'dinkes-coordinator',
    role: 'operator',
    opdCode: 'DINKES',
    expiresOn: '2027-06-30',
    secretHash,
    today: '2026-11-23',
    opd: { exists: true, retired: false },
    ...overrides,
  },
});

const issued: ApiKeyIssued = {
  type: 'ApiKeyIssued',
  data: { keyId, name: 'dinkes-coordinator', role: 'operator', opdCode: 'DINKES', expiresOn: '2027-06-30', secretHash, occurredOn: '2026-11-23' },
};

const revoke = (reason = 'Coordinator moved to another OPD', today = '2026-12-01'): ApiKeyCommand => ({ type: 'RevokeApiKey', data: { reason, today } });

describe('IssueApiKey', () => {
  it('issues an operator key bound to its OPD, with the hash of its secret and the expiry, dated today', () => {
    spec.given([]).when(issue()).then([issued]);
  });

  it('issues a city-wide key of any role without OPD or expiry', () => {
    for (const role of ['admin', 'operator', 'auditor', 'analyst'] as const) {
      spec
        .given([])
        .when(issue({ role, opdCode: null, expiresOn: null, opd: null }))
        .then([{ type: 'ApiKeyIssued', data: { ...issued.data, role, opdCode: null, expiresOn: null } }]);
    }
  });

  it('refuses a role that is not one of the four', () => {
    spec.given([]).when(issue({ role: 'superuser', opdCode: null, opd: null })).thenFails('VALIDATION_FAILED', 'role');
  });

  it('binds only operator keys to an OPD', () => {
    spec.given([]).when(issue({ role: 'admin' })).thenFails('VALIDATION_FAILED', 'opdCode');
    spec.given([]).when(issue({ role: 'auditor' })).thenFails('VALIDATION_FAILED', 'opdCode');
  });

  it('refuses an OPD that is not registered (UNKNOWN_OPD) or is retired (OPD_RETIRED)', () => {
    spec.given([]).when(issue({ opd: { exists: false, retired: false } })).thenFails('UNKNOWN_OPD', 'opdCode');
    spec.given([]).when(issue({ opd: null })).thenFails('UNKNOWN_OPD', 'opdCode');
    spec.given([]).when(issue({ opd: { exists: true, retired: true } })).thenFails('OPD_RETIRED', 'opdCode');
  });

  it('wants expiresOn to be a real date after today: the key works through that day', () => {
    spec.given([]).when(issue({ expiresOn: '2026-11-23' })).thenFails('VALIDATION_FAILED', 'expiresOn');
    spec.given([]).when(issue({ expiresOn: '2026-11-01' })).thenFails('VALIDATION_FAILED', 'expiresOn');
    spec.given([]).when(issue({ expiresOn: '2027-02-30' })).thenFails('VALIDATION_FAILED', 'expiresOn');
    spec
      .given([])
      .when(issue({ expiresOn: '2026-11-24' }))
      .then([{ type: 'ApiKeyIssued', data: { ...issued.data, expiresOn: '2026-11-24' } }]);
  });

  it('refuses names that could pass for another principal or another spelling of a name', () => {
    for (const name of ['system:lapse-check', 'Dinkes', 'a', '-dash-first', 'with space', 'x'.repeat(65)]) {
      spec.given([]).when(issue({ name })).thenFails('VALIDATION_FAILED', 'name');
    }
  });

  it('never issues a second key on the same id', () => {
    spec.given([issued]).when(issue()).thenFails('CONCURRENCY_CONFLICT');
  });
});

describe('RevokeApiKey', () => {
  it('revokes an issued key with the reason, dated today', () => {
    spec
      .given([issued])
      .when(revoke())
      .then([{ type: 'ApiKeyRevoked', data: { keyId, reason: 'Coordinator moved to another OPD', occurredOn: '2026-12-01' } }]);
  });

  it('is NOT_FOUND for a key that was never issued', () => {
    spec.given([]).when(revoke()).thenFails('NOT_FOUND');
  });

  it('changes nothing the second time, and answers with the first revocation', () => {
    const revoked: ApiKeyEvent = { type: 'ApiKeyRevoked', data: { keyId, reason: 'first', occurredOn: '2026-12-01' } };
    spec.given([issued, revoked]).when(revoke('again', '2026-12-02')).thenNothing();
    const state = [issued, { ...revoked, position: 4711n }].reduce(apiKeyDecider.evolve, apiKeyDecider.initialState());
    expect(revokeApiKey({ type: 'RevokeApiKey', data: { reason: 'again', today: '2026-12-02' } }, state)).toEqual({ kind: 'replay', events: [], position: 4711n });
  });
});
