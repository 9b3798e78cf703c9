import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { masterKeyFile, resolveMasterKey } from '../../src/personal-data/master-key';
import { newMasterKey } from '../../src/personal-data/sealing';
import { MasterKeyMismatchError, PersonalDataVault, SubjectErasedError } from '../../src/personal-data/vault';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('the personal-data vault (key store on PostgreSQL)', () => {
  let db: TestDatabase;
  const masterKey = newMasterKey();
  const open: PersonalDataVault[] = [];
  const vault = async (key = masterKey) => {
    const v = await PersonalDataVault.open(db.url, key);
    open.push(v);
    return v;
  };

  beforeAll(async () => {
    db = await createTestDatabase('asuh_vault');
  });

  afterAll(async () => {
    await Promise.all(open.map((v) => v.close()));
    await db.drop();
  });

  const keyRows = async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<{ subject: string; wrapped: Buffer }>(`SELECT subject, wrapped FROM key_store.data_keys ORDER BY subject`)).rows;
    } finally {
      await client.end();
    }
  };

  it('seals a person’s fields with a key of that person, kept only wrapped, and opens them again in another process', async () => {
    const a = await vault();
    const sealed = await a.seal('worker:1', { fullName: 'Siti Aminah', nik: '3374015503850001' });
    expect(JSON.stringify(sealed)).not.toMatch(/Siti|Aminah|3374015503850001/);
    expect(sealed.s).toBe('worker:1');
    const [row] = (await keyRows()).filter((r) => r.subject === 'worker:1');
    expect(row.wrapped.length).toBe(12 + 16 + 32);

    const b = await vault();
    expect(await b.open(sealed)).toEqual({ fullName: 'Siti Aminah', nik: '3374015503850001' });
  });

  it('seals the same fields the same way when asked to be deterministic, and differently otherwise', async () => {
    const v = await vault();
    const fields = { fullName: 'Budi' };
    expect(await v.seal('worker:2', fields, { deterministic: true })).toEqual(await v.seal('worker:2', fields, { deterministic: true }));
    expect(await v.seal('worker:2', fields)).not.toEqual(await v.seal('worker:2', fields));
  });

  it('refuses to start with another master key than the store was made with, before anything is written', async () => {
    await vault();
    await expect(PersonalDataVault.open(db.url, newMasterKey())).rejects.toThrow(MasterKeyMismatchError);
  });

  it('destroys a key on erasure: unreadable everywhere (other processes too), never made again', async () => {
    const a = await vault();
    const b = await vault();
    const sealed = await a.seal('worker:3', { fullName: 'Sri' });
    expect(await b.open(sealed)).toEqual({ fullName: 'Sri' });
    await a.destroy('worker:3');
    expect((await keyRows()).map((r) => r.subject)).not.toContain('worker:3');
    expect(await a.open(sealed)).toBeNull();
    await expect(a.seal('worker:3', { fullName: 'Sri' })).rejects.toThrow(SubjectErasedError);
    // b had the key cached: the erasure reaches it through the key store's notification.
    const deadline = Date.now() + 10_000;
    while ((await b.open(sealed)) !== null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await b.open(sealed)).toBeNull();
    expect([...(await b.erased(['worker:3', 'worker:1']))]).toEqual(['worker:3']);
    expect(await a.keysOfErasedSubjects()).toEqual([]);
  });

  it('rotates the master key: every key re-wrapped, everything readable with the new key only, hashes unchanged', async () => {
    const old = await vault();
    const sealed = await old.seal('sponsor:9', { nip: '198503152010011001' });
    const hash = old.keyedHash('nik', '3374015503850001');
    const next = newMasterKey();
    expect(await old.rotateMasterKey(next)).toBeGreaterThanOrEqual(3);
    await expect(PersonalDataVault.open(db.url, masterKey)).rejects.toThrow(MasterKeyMismatchError);
    const rotated = await vault(next);
    expect(await rotated.open(sealed)).toEqual({ nip: '198503152010011001' });
    expect(rotated.keyedHash('nik', '3374015503850001')).toBe(hash);
    await rotated.rotateMasterKey(masterKey);
  });

  it('keeps an access log per person, newest first', async () => {
    const v = await vault();
    await v.accessLog.record('admin-1', 'GET /v1/workers/:workerId', ['worker:1', 'worker:1', 'worker:2']);
    await v.accessLog.record('operator-1', 'GET /v1/workers', ['worker:1']);
    expect((await v.accessLog.of('worker:1')).map((e) => [e.principal, e.route])).toEqual([
      ['operator-1', 'GET /v1/workers'],
      ['admin-1', 'GET /v1/workers/:workerId'],
    ]);
  });
});

describe('the master key', () => {
  it('is generated outside production under ASUH_DATA_DIR, mode 0600, said once, and reused', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'asuh-key-'));
    try {
      const said: string[] = [];
      const key = resolveMasterKey({ dataDir, production: false }, (line) => said.push(line));
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect(statSync(masterKeyFile(dataDir)).mode & 0o777).toBe(0o600);
      expect(said).toEqual([expect.stringContaining('generated a master key')]);
      expect(said[0]).not.toContain(key);
      expect(resolveMasterKey({ dataDir, production: false }, (line) => said.push(line))).toBe(key);
      expect(said).toHaveLength(1);
      expect(readFileSync(masterKeyFile(dataDir), 'utf8').trim()).toBe(key);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('is never generated in production', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'asuh-key-'));
    try {
      expect(() => resolveMasterKey({ dataDir, production: true }, () => undefined)).toThrow('ASUH_MASTER_KEY is required in production');
      expect(existsSync(masterKeyFile(dataDir))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
