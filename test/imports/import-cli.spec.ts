import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { syntheticNik } from '../../src/seed/synthetic-identity';
import { createTestApp, TestApp } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');

/** `npm run import` runs this file once built; here it runs from source against a test app's database. */
function runCli(t: TestApp, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'imports', 'import.cli.ts'), ...args],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: t.db.url,
          ASUH_MASTER_KEY: t.started.runtime.config.masterKey!,
          ...(t.backend.eventStoreUrl ? { EVENTSTORE_URL: t.backend.eventStoreUrl } : {}),
          TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
          LOG_LEVEL: 'silent',
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const HEADER = 'nik,fullName,birthDate,gender,occupation,kecamatan,fundingSource,enrolledOn';

describe('npm run import (the CLI)', () => {
  let t: TestApp;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    t = await createTestApp({ today: '2026-03-12' });
    dir = await mkdtemp(join(tmpdir(), 'asuh-import-'));
    file = join(dir, 'apbd.csv');
    await writeFile(
      file,
      [
        HEADER,
        `${syntheticNik('1980-05-05', 'F', 1)},Sumarni,1980-05-05,F,DOMESTIC_HELPER,3374.04,APBD,2026-03-01`,
        `${syntheticNik('1982-07-07', 'M', 2)},Sugeng Riyadi,1982-07-07,M,CASUAL_WORKER,3374.08,DBHCHT,2026-03-01`,
        `${syntheticNik('1982-07-07', 'M', 3)},Tono,1982-07-07,M,CASUAL_WORKER,3374.99,APBD,2026-03-01`,
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('dry run: reports what would be recorded and records nothing', async () => {
    const run = await runCli(t, ['workers', file, '--dry-run']);
    expect(run.stdout).toMatch(/dry run: nothing recorded\): DONE; 3 rows, 3 processed: 2 would be recorded, 0 duplicates, 1 rejected/);
    expect(run.code).toBe(2);
    expect((await t.as('admin').get('/v1/workers').query({ nik: syntheticNik('1980-05-05', 'F', 1) }).expect(200)).body.items).toEqual([]);
  });

  it('records the good rows, shows the bad one and writes it to FILE.errors.csv; exit 2', async () => {
    const run = await runCli(t, ['workers', file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/\(workers\): DONE; 3 rows, 3 processed: 2 recorded, 0 duplicates, 1 rejected/);
    expect(run.stdout).toContain('row 4 kecamatan: VALIDATION_FAILED');
    const errors = parse(await readFile(`${file}.errors.csv`, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(errors).toEqual([expect.objectContaining({ fullName: 'Tono', kecamatan: '3374.99', row: '4', field: 'kecamatan', code: 'VALIDATION_FAILED' })]);
    // The job is the API's too.
    const importId = /Import ([0-9a-f-]{36})/.exec(run.stdout)![1];
    const report = (await t.as('admin').get(`/v1/imports/${importId}`).expect(200)).body;
    expect(report).toMatchObject({ status: 'DONE', accepted: 2, rejected: 1 });
    const found = await t.as('admin').get('/v1/workers').query({ nik: syntheticNik('1980-05-05', 'F', 1), minPosition: report.position }).expect(200);
    expect(found.body.items).toEqual([expect.objectContaining({ fullName: 'Sumarni', status: 'PENDING' })]);
  });

  it('the fixed errors file imports cleanly (exit 0); the original file again records nothing new', async () => {
    await writeFile(`${file}.errors.csv`, (await readFile(`${file}.errors.csv`, 'utf8')).replace('3374.99', '3374.09'));
    const fixed = await runCli(t, ['workers', `${file}.errors.csv`, `--errors=${join(dir, 'unused.csv')}`]);
    expect(fixed.stdout).toMatch(/1 rows, 1 processed: 1 recorded, 0 duplicates, 0 rejected/);
    expect(fixed.code).toBe(0);
    const again = await runCli(t, ['workers', file]);
    expect(again.stdout).toMatch(/3 rows, 3 processed: 0 recorded, 2 duplicates, 1 rejected/);
  });

  it('exit 1 with the reason for a refused file, an unknown kind or a missing file', async () => {
    await writeFile(join(dir, 'bad.csv'), 'nik,fullName\n1,2\n');
    const refused = await runCli(t, ['workers', join(dir, 'bad.csv')]);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('lacks the required column birthDate') });
    expect(await runCli(t, ['sponsors', file])).toMatchObject({ code: 1, stderr: expect.stringContaining('usage: npm run import') });
    expect(await runCli(t, ['workers', join(dir, 'missing.csv')])).toMatchObject({ code: 1, stderr: expect.stringContaining('ENOENT') });
  });
});
