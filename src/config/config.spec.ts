import { ConfigError, loadConfig } from './config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('starts with no configuration at all, with the domain.md policy values', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, timezone: 'Asia/Jakarta', consistencyWaitMs: 5000, apiKeys: [], production: false });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.policy).toEqual({
      dueDay: 15,
      arrearsWindowMonths: 3,
      paymentPeriods: [1, 3, 6, 12],
      maxEnrolmentAgeMonths: 779,
      maxPrepayMonths: 12,
      tariffs: [{ from: '2015-07', jkk: 10000, jkm: 6800 }],
    });
  });

  it('reads an operator key bound to one OPD, and keeps colons of other secrets', () => {
    const config = loadConfig({ ASUH_API_KEYS: 'dinkes:operator:0123456789abcdef:DINKES,city:operator:0123456789:abcdef,a:admin:0123456789abcdef:XY' });
    expect(config.apiKeys).toEqual([
      { name: 'dinkes', role: 'operator', secret: '0123456789abcdef', opdCode: 'DINKES' },
      { name: 'city', role: 'operator', secret: '0123456789:abcdef' },
      { name: 'a', role: 'admin', secret: '0123456789abcdef:XY' },
    ]);
  });

  it('reads API keys and policy values', () => {
    const config = loadConfig({
      ASUH_API_KEYS: 'ops:operator:0123456789abcdef,bpk:auditor:fedcba9876543210xx',
      ASUH_PAYMENT_PERIODS: '1,3',
      ASUH_TARIFFS: '2027-01:11000:7000;2015-07:10000:6800',
    });
    expect(config.apiKeys).toEqual([
      { name: 'ops', role: 'operator', secret: '0123456789abcdef' },
      { name: 'bpk', role: 'auditor', secret: 'fedcba9876543210xx' },
    ]);
    expect(config.policy.paymentPeriods).toEqual([1, 3]);
    expect(config.policy.tariffs.map((t) => t.from)).toEqual(['2015-07', '2027-01']);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ EVENTSTORE_URL: 'http://localhost:2113' }, 'EVENTSTORE_URL'],
    [{ ASUH_TIMEZONE: 'Mars/Olympus' }, 'ASUH_TIMEZONE'],
    [{ ASUH_DUE_DAY: '31' }, 'ASUH_DUE_DAY'],
    [{ ASUH_PAYMENT_PERIODS: '1,two' }, 'ASUH_PAYMENT_PERIODS'],
    [{ ASUH_TARIFFS: '2015-07:16800' }, 'ASUH_TARIFFS'],
    [{ ASUH_API_KEYS: 'admin:superuser:0123456789abcdef' }, 'ASUH_API_KEYS'],
    [{ ASUH_API_KEYS: 'admin:admin:short' }, 'ASUH_API_KEYS'],
    [{ ASUH_LAPSE_CHECK_CRON: 'every day' }, 'ASUH_LAPSE_CHECK_CRON'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ ASUH_DB_TIMEOUT_MS: '0' }, 'ASUH_DB_TIMEOUT_MS'],
    [{ ASUH_DB_TIMEOUT_MS: 'soon' }, 'ASUH_DB_TIMEOUT_MS'],
    [{ ASUH_RATE_LIMIT_PER_MINUTE: '0' }, 'ASUH_RATE_LIMIT_PER_MINUTE'],
    [{ ASUH_RATE_LIMIT_PER_MINUTE: '1.5' }, 'ASUH_RATE_LIMIT_PER_MINUTE'],
    [{ ASUH_CORS_ORIGINS: '*' }, 'ASUH_CORS_ORIGINS'],
    [{ ASUH_CORS_ORIGINS: 'https://ok.example,https://dash.example/path' }, 'ASUH_CORS_ORIGINS'],
    [{ ASUH_CORS_ORIGINS: 'ftp://files.example' }, 'ASUH_CORS_ORIGINS'],
    [{ HOST: 'not a host' }, 'HOST'],
  ])('refuses %j with a message naming %s', (env, name) => {
    const problems = problemsOf(env);
    expect(problems.some((p) => p.startsWith(`${name}:`))).toBe(true);
  });

  it('bounds database calls, limits rates and allows no browser origin by default', () => {
    expect(loadConfig({})).toMatchObject({ dbTimeoutMs: 5000, rateLimitPerMinute: 6000, corsOrigins: [] });
  });

  it('reads the database bound, the rate limit and the CORS origins', () => {
    const config = loadConfig({
      ASUH_DB_TIMEOUT_MS: '1500',
      ASUH_RATE_LIMIT_PER_MINUTE: '120',
      ASUH_CORS_ORIGINS: 'https://dashboard.semarangkota.go.id, http://localhost:5173/',
    });
    expect(config).toMatchObject({
      dbTimeoutMs: 1500,
      rateLimitPerMinute: 120,
      corsOrigins: ['https://dashboard.semarangkota.go.id', 'http://localhost:5173'],
    });
  });

  it('binds the loopback address outside production and every address in production, unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'production', ASUH_API_KEYS: 'a:admin:0123456789abcdef', ASUH_MASTER_KEY: 'ab'.repeat(32) }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '::' }).host).toBe('::');
    expect(loadConfig({ HOST: 'api.internal' }).host).toBe('api.internal');
  });

  it('never echoes a secret in its messages', () => {
    const problems = problemsOf({ ASUH_API_KEYS: 'admin:root:s3cret-s3cret-s3cret' });
    expect(problems.join('\n')).not.toContain('s3cret');
  });

  it('requires API keys and the master key in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^ASUH_API_KEYS: required in production/),
      expect.stringMatching(/^ASUH_MASTER_KEY: required in production/),
    ]);
  });

  it('refuses a master key that is not 64 hexadecimal characters, without echoing it', () => {
    const problems = problemsOf({ ASUH_MASTER_KEY: 'not-a-key-secret-value' });
    expect(problems).toEqual([expect.stringMatching(/^ASUH_MASTER_KEY: expected 64 hexadecimal characters/)]);
    expect(problems.join(' ')).not.toContain('not-a-key-secret-value');
  });
});
