import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Download, Page } from 'playwright-core';
import { createTestApp, createTestBackend, KEYS, TestApp, TestBackend } from '../support/test-app';
import { launchChromium, recordProblems, type Chromium } from './support/chromium';
import { listenOnLoopback, readModelsCaughtUp, seedDemoCity } from './support/demo-city';

/**
 * Issue #13: the dashboard in headless Chromium against the real service, on the demo city seeded
 * through the command handlers. Every figure the page shows is compared with the API's own answer, in
 * the Indonesian formats the page promises; downloads are parsed back; the page runs under its strict
 * Content-Security-Policy, so a refused inline style or script would show up as a console error.
 */
const TODAY = '2026-11-23';
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
const DOWNLOADS = join(ARTIFACTS, 'downloads');
const SEED_TIMEOUT = 240_000;
const STEP_TIMEOUT = 120_000;

const grouped = new Intl.NumberFormat('id-ID');
const percent = new Intl.NumberFormat('id-ID', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const day = new Intl.DateTimeFormat('id-ID', { dateStyle: 'medium', timeZone: 'UTC' });
const id = {
  date: (isoDate: string) => day.format(new Date(`${isoDate}T00:00:00Z`)),
  number: (n: number) => grouped.format(n),
  percent: (fraction: number) => percent.format(fraction),
  rupiah: (n: number) => `Rp${grouped.format(n)}`,
};

interface OpdStats {
  opdCode: string;
  name: string;
  kind: string;
  pnsHeadcount: number;
  sponsorsRegistered: number;
  sponsorsActive: number;
  participationRate: number;
  activeParticipationRate: number;
  workersRegistered: number;
  workersActive: number;
  premiumsCollected: number;
  participating: boolean;
}
type MonthlyItem = Record<string, number | string> & { month: string };
interface CoverageItem {
  key: string | null;
  registered: number;
  inactive: number;
  byStatus: Record<string, number>;
}

/** The downloads' column headers and the API field each holds (the files' contract). */
const OPD_FILE_COLUMNS: [string, keyof OpdStats][] = [
  ['Kode OPD', 'opdCode'],
  ['Nama OPD', 'name'],
  ['Jenis', 'kind'],
  ['Jumlah PNS', 'pnsHeadcount'],
  ['ASN peserta terdaftar', 'sponsorsRegistered'],
  ['ASN peserta aktif', 'sponsorsActive'],
  ['Tingkat partisipasi', 'participationRate'],
  ['Tingkat partisipasi aktif', 'activeParticipationRate'],
  ['Pekerja terdaftar', 'workersRegistered'],
  ['Pekerja aktif', 'workersActive'],
  ['Iuran terkumpul (Rp)', 'premiumsCollected'],
  ['Berpartisipasi', 'participating'],
];
const MONTHLY_FILE_COLUMNS: [string, string][] = [
  ['Pendaftaran', 'enrolments'],
  ['Pembayaran', 'payments'],
  ['Jumlah iuran (Rp)', 'amount'],
  ['Menjadi tertunggak', 'lapses'],
  ['Berakhir', 'ends'],
  ['Pembatalan pembayaran', 'reversals'],
  ['Nilai dibatalkan (Rp)', 'reversedAmount'],
];
/** The monthly columns the page shows (every field of the API's monthly series). */
const monthlyColumns = (items: MonthlyItem[]) => MONTHLY_FILE_COLUMNS.filter(([, key]) => items.some((item) => item[key] !== undefined));

async function saveDownload(page: Page, click: () => Promise<void>): Promise<string> {
  const [download]: [Download, void] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = join(DOWNLOADS, download.suggestedFilename());
  await download.saveAs(path);
  return path;
}

async function readXlsx(path: string): Promise<{ header: unknown[]; rows: unknown[][]; formats: string[] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.worksheets[0];
  const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
  const rows: unknown[][] = [];
  for (let n = 2; n <= sheet.rowCount; n++) rows.push(values(n));
  const formats = values(1).map((_, i) => sheet.getCell(2, i + 1).numFmt ?? '');
  return { header: values(1), rows, formats };
}

const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();

describe('the dashboard in headless Chromium, on the demo city', () => {
  let backend: TestBackend;

  beforeAll(async () => {
    mkdirSync(DOWNLOADS, { recursive: true });
    backend = await createTestBackend();
    const seeding = await createTestApp({ backend, today: TODAY });
    try {
      await seedDemoCity(seeding);
    } finally {
      await seeding.close();
    }
  }, SEED_TIMEOUT);

  afterAll(async () => {
    await backend?.release();
  });

  describe('with analyst keys (ASUH_PUBLIC_STATS unset)', () => {
    let t: TestApp;
    let base: string;
    let browser: Chromium;
    let page: Page;
    let problems: string[];
    const requested: { url: string; authorization?: string }[] = [];
    const api = async <T>(path: string): Promise<T> => (await t.as('analyst').get(path).expect(200)).body as T;

    beforeAll(async () => {
      t = await createTestApp({ backend, today: TODAY });
      await readModelsCaughtUp(t);
      base = await listenOnLoopback(t);
      browser = await launchChromium();
      page = await browser.context.newPage();
      problems = recordProblems(page);
      page.on('request', (request) => requested.push({ url: request.url(), authorization: request.headers().authorization }));
      // A controllable clock, so that the polling refresh can be brought forward instead of waited for.
      await page.clock.install();
    }, STEP_TIMEOUT);

    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    it('asks for the analyst key before showing figures, and keeps it for the session only, never in a URL', async () => {
      await page.goto(`${base}/dashboard`);
      await page.locator('#key-dialog[open]').waitFor();
      expect(await page.locator('body').getAttribute('data-state')).toBe('loading');
      expect(requested.filter((r) => r.url.includes('/v1/'))).toEqual([]);

      await page.locator('#key-input').fill('not-the-analyst-key-000');
      await page.locator('#key-dialog button[type="submit"]').click();
      await page.locator('#key-error:not([hidden])').waitFor();
      expect(await page.locator('#key-error').textContent()).toContain('Kunci tidak dikenal');
      // That refusal is the one expected HTTP error of this journey.
      expect(problems.splice(0)).toEqual([
        expect.stringMatching(/^HTTP 401: GET .*\/v1\/stats\/summary$/),
        expect.stringMatching(/^console error: Failed to load resource: .* 401/),
      ]);

      await page.locator('#key-input').fill(KEYS.analyst);
      await page.locator('#key-dialog button[type="submit"]').click();
      await page.locator('body[data-state="ready"]').waitFor();
      expect(await page.locator('#key-dialog').evaluate((dialog) => dialog.open)).toBe(false);
      expect(await page.evaluate('sessionStorage.getItem("asuh.dashboard.apiKey")')).toBe(KEYS.analyst);
      expect(await page.evaluate('localStorage.length')).toBe(0);
      expect((await browser.context.cookies()).length).toBe(0);

      // Asked once: a reload within the session goes straight to the figures.
      await page.reload();
      await page.locator('body[data-state="ready"]').waitFor();
      expect(await page.locator('#key-dialog').evaluate((dialog) => dialog.open)).toBe(false);

      const dataCalls = requested.filter((r) => r.url.includes('/v1/'));
      expect(dataCalls.length).toBeGreaterThan(10);
      for (const call of dataCalls) {
        expect(call.url).not.toContain(KEYS.analyst);
        expect(call.authorization).toMatch(/^Bearer /);
      }
      expect(page.url()).toBe(`${base}/dashboard`);
    }, STEP_TIMEOUT);

    it('shows every headline figure of /v1/stats/summary, in Indonesian number formats', async () => {
      const summary = await api<Record<string, unknown> & { workersByStatus: Record<string, number> }>('/v1/stats/summary');
      const shown: { path: string; format: 'number' | 'percent' | 'rupiah'; text: string }[] = await page
        .locator('[data-figure]')
        .evaluateAll((nodes) => nodes.map((n) => ({ path: n.dataset.figure, format: n.dataset.format ?? 'number', text: n.textContent })));
      for (const { path, format, text } of shown) {
        const value = path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], summary) as number;
        expect({ path, text }).toEqual({ path, text: id[format](value) });
      }
      const paths = new Set(shown.map((s) => s.path));
      for (const field of Object.keys(summary).filter((f) => f !== 'workersByStatus')) expect(paths).toContain(field);
      for (const status of ['PENDING', 'LAPSED', 'ENDED']) expect(paths).toContain(`workersByStatus.${status}`);

      // The demo city as reported, written the Indonesian way.
      const figure = (path: string) => page.locator(`[data-figure="${path}"]`).first().textContent();
      expect(await figure('pnsHeadcount')).toBe('8.031');
      expect(await figure('workersRegistered')).toBe('458');
      expect(await figure('opdsNotParticipating')).toBe('22');
      expect(await figure('participationRate')).toMatch(/^\d+,\d\d%$/);
      expect(await figure('premiumsCollected')).toMatch(/^Rp\d{1,3}(\.\d{3})+$/);
    }, STEP_TIMEOUT);

    it('shows UCJ progress as /v1/stats/ucj reports it, with every funding source', async () => {
      const ucj = await api<{ year: number; target: number; covered: number; progress: number; bySource: Record<string, number> }>('/v1/stats/ucj');
      expect(await page.locator('[data-ucj="year"]').textContent()).toBe(String(ucj.year));
      expect(await page.locator('[data-ucj="covered"]').textContent()).toBe(id.number(ucj.covered));
      expect(await page.locator('[data-ucj="target"]').textContent()).toBe(id.number(ucj.target));
      expect(await page.locator('[data-ucj="progress"]').textContent()).toBe(id.percent(ucj.progress));
      expect(Number(await page.locator('#ucj-progress').evaluate((progress) => progress.value))).toBeCloseTo(ucj.progress, 4);
      for (const [source, covered] of Object.entries(ucj.bySource)) {
        expect(await page.locator(`#ucj-sources [data-source="${source}"] strong`).textContent()).toBe(id.number(covered));
      }
    }, STEP_TIMEOUT);

    it('lists exactly the OPDs the API reports as not participating', async () => {
      const summary = await api<{ opdsNotParticipating: number }>('/v1/stats/summary');
      const { items } = await api<{ items: OpdStats[] }>('/v1/stats/opds');
      const listed = await page.locator('#opd-nonparticipating li').evaluateAll((nodes) => nodes.map((n) => n.dataset.opd));
      expect(listed).toHaveLength(summary.opdsNotParticipating);
      expect([...listed].sort()).toEqual(items.filter((o) => !o.participating).map((o) => o.opdCode).sort());
      expect(await page.locator('#non-participating-count').textContent()).toBe(id.number(summary.opdsNotParticipating));
    }, STEP_TIMEOUT);

    it('sorts the OPD table by a column header, descending then ascending, and marks the sorted column', async () => {
      const { items } = await api<{ items: OpdStats[] }>('/v1/stats/opds');
      const byCode = new Map(items.map((o) => [o.opdCode, o]));
      const order = () => page.locator('#opd-rows tr').evaluateAll((rows) => rows.map((r) => r.dataset.opd!));
      const headcounts = async () => (await order()).map((code) => byCode.get(code)!.pnsHeadcount);

      // Default: the leaders first (participation rate, highest first).
      const rates = (await order()).map((code) => byCode.get(code)!.participationRate);
      expect(rates).toEqual([...rates].sort((a, b) => b - a));
      expect(await page.locator('#opd-table th[aria-sort]').textContent()).toContain('Partisipasi');

      const pnsHeader = page.locator('#opd-table thead button[data-sort="pnsHeadcount"]');
      await pnsHeader.click();
      const descending = await headcounts();
      expect(descending).toHaveLength(items.length);
      expect(descending).toEqual([...descending].sort((a, b) => b - a));
      expect(await page.locator('#opd-table th[aria-sort="descending"]').textContent()).toBe('PNS');

      await pnsHeader.click();
      const ascending = await headcounts();
      expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
      expect(await page.locator('#opd-table th[aria-sort="ascending"]').textContent()).toBe('PNS');

      await page.locator('#opd-table thead button[data-sort="name"]').click();
      const names = (await order()).map((code) => byCode.get(code)!.name);
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'id')));
      // Each row shows the API's figures for its OPD.
      const first = byCode.get((await order())[0])!;
      const cells = await page.locator('#opd-rows tr').first().locator('td').allTextContents();
      expect(cells.slice(1)).toEqual([
        id.number(first.pnsHeadcount),
        id.number(first.sponsorsRegistered),
        id.number(first.sponsorsActive),
        id.percent(first.participationRate),
        id.percent(first.activeParticipationRate),
        id.number(first.workersRegistered),
        id.number(first.workersActive),
        id.rupiah(first.premiumsCollected),
      ]);
    }, STEP_TIMEOUT);

    it('filters the OPD table by name or code, and by participation', async () => {
      const { items } = await api<{ items: OpdStats[] }>('/v1/stats/opds');
      const shownCodes = async () => (await page.locator('#opd-rows tr').evaluateAll((rows) => rows.map((r) => r.dataset.opd!))).sort();
      const matching = (term: string) =>
        items
          .filter((o) => o.name.toLowerCase().includes(term) || o.opdCode.toLowerCase().includes(term))
          .map((o) => o.opdCode)
          .sort();

      await page.locator('#opd-filter').fill('Kecamatan');
      const kecamatan = matching('kecamatan');
      expect(kecamatan.length).toBeGreaterThan(1);
      expect(kecamatan.length).toBeLessThan(items.length);
      expect(await shownCodes()).toEqual(kecamatan);
      expect(await page.locator('#opd-count').textContent()).toBe(`Menampilkan ${id.number(kecamatan.length)} dari ${id.number(items.length)} OPD.`);

      await page.locator('#opd-filter').fill('dinkes');
      expect(await shownCodes()).toEqual(['DINKES']);

      await page.locator('#opd-filter').fill('');
      await page.locator('#opd-show').selectOption('not');
      expect(await shownCodes()).toEqual(items.filter((o) => !o.participating).map((o) => o.opdCode).sort());
      await page.locator('#opd-show').selectOption('participating');
      expect(await shownCodes()).toEqual(items.filter((o) => o.participating).map((o) => o.opdCode).sort());
      await page.locator('#opd-show').selectOption('all');
      expect(await shownCodes()).toHaveLength(items.length);
    }, STEP_TIMEOUT);

    it("opens an OPD's detail with its figures and headcount history, and closes it", async () => {
      const detail = await api<{ name: string; headcountHistory: { pnsHeadcount: number; effectiveOn: string }[] }>('/v1/opds/DINKES');
      const { items } = await api<{ items: OpdStats[] }>('/v1/stats/opds');
      const dinkes = items.find((o) => o.opdCode === 'DINKES')!;

      await page.locator('#opd-rows a[href="#opd/DINKES"]').click();
      await page.locator('#opd-detail[open] table.history').waitFor();
      expect(await page.locator('#opd-detail-title').textContent()).toBe(detail.name);
      const facts = await page.locator('#opd-detail dl.facts dd').allTextContents();
      expect(facts).toEqual(
        expect.arrayContaining([id.number(dinkes.pnsHeadcount), id.percent(dinkes.participationRate), id.rupiah(dinkes.premiumsCollected), 'Berpartisipasi']),
      );
      const history = await page.locator('#opd-detail table.history tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
      expect(history).toEqual(detail.headcountHistory.map((h) => [id.date(h.effectiveOn), id.number(h.pnsHeadcount)]));
      expect(page.url()).toBe(`${base}/dashboard#opd/DINKES`);

      await page.locator('#opd-detail-close').click();
      expect(await page.locator('#opd-detail').evaluate((dialog) => dialog.open)).toBe(false);
    }, STEP_TIMEOUT);

    it('shows the monthly trend of /v1/stats/monthly, for the default range and a chosen one', async () => {
      const rowsShown = () =>
        page.locator('#monthly-table tbody tr').evaluateAll((rows) =>
          rows.map((r) => ({ month: r.dataset.month, cells: [...r.querySelectorAll('td')].map((c) => [c.dataset.field, c.textContent]) })),
        );
      const expected = (items: MonthlyItem[]) =>
        items.map((item) => ({
          month: item.month,
          cells: monthlyColumns(items).map(([, key]) => [key, /amount|Amount/.test(key) ? id.rupiah(item[key] as number) : id.number(item[key] as number)]),
        }));

      const defaults = await api<{ items: MonthlyItem[] }>('/v1/stats/monthly');
      expect(defaults.items).toHaveLength(12);
      expect(await rowsShown()).toEqual(expected(defaults.items));
      expect(await page.locator('#chart-monthly').getAttribute('aria-label')).toMatch(/Tren bulanan/);

      await page.locator('#monthly-from').fill('2026-01');
      await page.locator('#monthly-to').fill('2026-06');
      await page.locator('#monthly-form button[type="submit"]').click();
      // The table sits in a closed <details> (the chart is what shows): present, not visible.
      await page.locator('#monthly-table tbody tr[data-month="2026-01"]').waitFor({ state: 'attached' });
      const chosen = await api<{ items: MonthlyItem[] }>('/v1/stats/monthly?from=2026-01&to=2026-06');
      expect(await rowsShown()).toEqual(expected(chosen.items));
      expect(chosen.items.some((m) => (m.payments as number) > 0)).toBe(true);
    }, STEP_TIMEOUT);

    it('shows coverage by kecamatan (names), occupation (Bahasa labels) and funding source with the API counts', async () => {
      const reference = {
        kecamatan: (await api<{ items: { code: string; name: string }[] }>('/v1/reference/kecamatan')).items.map((k) => [k.code, k.name]),
        occupation: (await api<{ items: { code: string; label: string }[] }>('/v1/reference/occupations')).items.map((o) => [o.code, o.label]),
        fundingSource: [
          ['ASN_SPONSOR', 'ASN (orang tua asuh)'],
          ['APBD', 'APBD Kota Semarang'],
          ['DBHCHT', 'DBHCHT (bagi hasil cukai)'],
          ['CSR', 'CSR (perusahaan/yayasan)'],
          ['SELF', 'Mandiri'],
        ],
      };
      for (const [groupBy, labels] of Object.entries(reference)) {
        const { items } = await api<{ items: CoverageItem[] }>(`/v1/stats/coverage?groupBy=${groupBy}`);
        const counts = new Map(items.map((i) => [i.key, i]));
        const shown = await page.locator(`#table-${groupBy} tbody tr`).evaluateAll((rows) =>
          rows.map((r) => ({
            key: r.dataset.key,
            label: r.querySelector('th')!.textContent,
            registered: r.querySelector('[data-field="registered"]')!.textContent,
            active: r.querySelector('[data-field="ACTIVE"]')!.textContent,
            inactive: r.querySelector('[data-field="inactive"]')!.textContent,
          })),
        );
        expect(shown).toEqual(
          labels.map(([key, label]) => ({
            key,
            label,
            registered: id.number(counts.get(key)?.registered ?? 0),
            active: id.number(counts.get(key)?.byStatus.ACTIVE ?? 0),
            inactive: id.number(counts.get(key)?.inactive ?? 0),
          })),
        );
        expect(await page.locator(`#chart-${groupBy}`).getAttribute('aria-label')).toMatch(/^Grafik/);
      }
      expect(await texts(page, '#table-kecamatan tbody th')).not.toContainEqual(expect.stringMatching(/^3374\./));
    }, STEP_TIMEOUT);

    it('downloads the OPD table as CSV and XLSX that parse back to /v1/stats/opds', async () => {
      const { items } = await api<{ items: OpdStats[] }>('/v1/stats/opds');
      const byCode = (rows: OpdStats[]) => [...rows].sort((a, b) => a.opdCode.localeCompare(b.opdCode));
      const fromCells = (header: unknown[], row: unknown[]) =>
        Object.fromEntries(
          OPD_FILE_COLUMNS.map(([label, key]) => {
            const value = row[header.indexOf(label)];
            if (key === 'participating') return [key, value === 'Ya'];
            return [key, typeof items[0][key] === 'number' ? Number(value) : value];
          }),
        ) as unknown as OpdStats;

      const csvPath = await saveDownload(page, () => page.locator('#opd-csv').click());
      expect(csvPath).toMatch(/\.csv$/);
      const [header, ...records] = parse(readFileSync(csvPath), { bom: true }) as string[][];
      expect(header).toEqual(OPD_FILE_COLUMNS.map(([label]) => label));
      expect(byCode(records.map((r) => fromCells(header, r)))).toEqual(byCode(items));

      const xlsxPath = await saveDownload(page, () => page.locator('#opd-xlsx').click());
      expect(xlsxPath).toMatch(/\.xlsx$/);
      const sheet = await readXlsx(xlsxPath);
      expect(sheet.header).toEqual(OPD_FILE_COLUMNS.map(([label]) => label));
      expect(byCode(sheet.rows.map((r) => fromCells(sheet.header, r)))).toEqual(byCode(items));
      expect(sheet.formats[sheet.header.indexOf('Tingkat partisipasi')]).toBe('0.00%');
      for (const row of sheet.rows) expect(typeof row[sheet.header.indexOf('Jumlah PNS')]).toBe('number');
    }, STEP_TIMEOUT);

    it('downloads the monthly series shown (CSV and XLSX) that parse back to /v1/stats/monthly', async () => {
      const { items } = await api<{ items: MonthlyItem[] }>('/v1/stats/monthly?from=2026-01&to=2026-06');
      const columns = monthlyColumns(items);
      const expected = items.map((item) => ({ month: item.month, ...Object.fromEntries(columns.map(([, key]) => [key, item[key]])) }));
      const fromCells = (header: unknown[], row: unknown[]) => ({
        month: row[header.indexOf('Bulan')],
        ...Object.fromEntries(columns.map(([label, key]) => [key, Number(row[header.indexOf(label)])])),
      });

      const csvPath = await saveDownload(page, () => page.locator('#monthly-csv').click());
      expect(csvPath).toMatch(/2026-01-sd-2026-06\.csv$/);
      const [header, ...records] = parse(readFileSync(csvPath), { bom: true }) as string[][];
      expect(header).toEqual(['Bulan', ...columns.map(([label]) => label)]);
      expect(records.map((r) => fromCells(header, r))).toEqual(expected);

      const xlsxPath = await saveDownload(page, () => page.locator('#monthly-xlsx').click());
      const sheet = await readXlsx(xlsxPath);
      expect(sheet.header).toEqual(['Bulan', ...columns.map(([label]) => label)]);
      expect(sheet.rows.map((r) => fromCells(sheet.header, r))).toEqual(expected);
    }, STEP_TIMEOUT);

    it("shows the demo city's payment reversal in the trend and its downloads, as /v1/stats/monthly counts it", async () => {
      // The demo city reverses one duplicated payment today: the series counts it in today's month.
      const month = TODAY.slice(0, 7);
      const { items } = await api<{ items: MonthlyItem[] }>(`/v1/stats/monthly?from=2026-06&to=${month}`);
      const withReversal = items.find((item) => item.month === month);
      expect(withReversal).toMatchObject({ reversals: 1, reversedAmount: 16800 });

      await page.locator('#monthly-from').fill('2026-06');
      await page.locator('#monthly-to').fill(month);
      await page.locator('#monthly-form button[type="submit"]').click();
      const row = page.locator(`#monthly-table tbody tr[data-month="${month}"]`);
      await row.waitFor({ state: 'attached' });
      expect(await row.locator('[data-field="reversals"]').textContent()).toBe('1');
      expect(await row.locator('[data-field="reversedAmount"]').textContent()).toBe('Rp16.800');

      const csvPath = await saveDownload(page, () => page.locator('#monthly-csv').click());
      const records = parse(readFileSync(csvPath), { bom: true, columns: true }) as Record<string, string>[];
      expect(records.find((r) => r.Bulan === month)).toMatchObject({ 'Pembatalan pembayaran': '1', 'Nilai dibatalkan (Rp)': '16800' });
      expect(records.find((r) => r.Bulan === '2026-06')).toMatchObject({ 'Pembatalan pembayaran': '0', 'Nilai dibatalkan (Rp)': '0' });
    }, STEP_TIMEOUT);

    it('refreshes itself when the projection moves, without reloading the page', async () => {
      const before = await api<{ pnsHeadcount: number; opdsTotal: number; opdsNotParticipating: number }>('/v1/stats/summary');
      const positionBefore = await page.locator('body').getAttribute('data-position');
      await page.evaluate('window.samePage = true');

      const created = await t.as('admin').post('/v1/opds').send({ code: 'UJI_PERAMBAN', name: 'OPD Uji Peramban', kind: 'OTHER', pnsHeadcount: 12 }).expect(201);
      await t.as('analyst').get(`/v1/stats/summary?minPosition=${created.body.position}`).expect(200);
      // The page polls every 60 s: bring its clock past the next poll.
      await page.clock.fastForward(61_000);

      await page.locator('[data-figure="opdsNotParticipating"]', { hasText: new RegExp(`^${id.number(before.opdsNotParticipating + 1)}$`) }).waitFor();
      expect(await page.locator('[data-figure="pnsHeadcount"]').textContent()).toBe(id.number(before.pnsHeadcount + 12));
      expect(await page.locator('#opd-nonparticipating li[data-opd="UJI_PERAMBAN"]').count()).toBe(1);
      expect(await page.locator('body').getAttribute('data-position')).not.toBe(positionBefore);
      expect(await page.locator('[data-freshness="position"]').textContent()).toMatch(/^\d{1,3}(\.\d{3})*$/);
      expect(await page.evaluate('window.samePage')).toBe(true);
    }, STEP_TIMEOUT);

    it('has no critical or serious accessibility violations (axe-core), on the page and in the OPD detail', async () => {
      await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
      const audit = async () => {
        const { violations } = (await page.evaluate('axe.run(document)')) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
        return violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
      };
      const onPage = await audit();
      expect(onPage.filter((v) => v.impact === 'critical' || v.impact === 'serious')).toEqual([]);

      await page.locator('#opd-rows a[href="#opd/DISBUDPAR"]').click();
      await page.locator('#opd-detail[open] table.history').waitFor();
      const inDialog = await audit();
      expect(inDialog.filter((v) => v.impact === 'critical' || v.impact === 'serious')).toEqual([]);
      await page.locator('#opd-detail-close').click();
    }, STEP_TIMEOUT);

    it('fits a phone screen, prints to A4, and leaves desktop and phone screenshots for CI', async () => {
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-desktop.png'), fullPage: true });

      await page.setViewportSize({ width: 390, height: 844 });
      // Two frames: the charts' ResizeObserver has redrawn them for the narrow screen.
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-phone.png'), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });

      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.page-nav').isVisible()).toBe(false);
      expect(await page.locator('#opd-csv').isVisible()).toBe(false);
      expect(await page.locator('#opd-table').isVisible()).toBe(true);
      const pdf = await page.pdf({ path: join(ARTIFACTS, 'dashboard-a4.pdf'), format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      await page.emulateMedia({ media: 'screen' });
    }, STEP_TIMEOUT);

    it('logged no console error, uncaught exception or failed request along the way', () => {
      expect(problems).toEqual([]);
    });
  });

  describe('with ASUH_PUBLIC_STATS=true', () => {
    let t: TestApp;
    let base: string;
    let browser: Chromium;

    beforeAll(async () => {
      t = await createTestApp({ backend, today: TODAY, env: { ASUH_PUBLIC_STATS: 'true' } });
      await readModelsCaughtUp(t);
      base = await listenOnLoopback(t);
      browser = await launchChromium();
    }, STEP_TIMEOUT);

    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    it('shows the figures without asking for a key, and sends none', async () => {
      const page = await browser.context.newPage();
      const problems = recordProblems(page);
      const calls: { path: string; authorization?: string }[] = [];
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.pathname.startsWith('/v1/')) calls.push({ path: url.pathname, authorization: request.headers().authorization });
      });

      await page.goto(`${base}/dashboard`);
      await page.locator('body[data-state="ready"]').waitFor();
      expect(await page.locator('#key-dialog').evaluate((dialog) => dialog.open)).toBe(false);
      expect(await page.locator('#forget-key').isHidden()).toBe(true);

      const summary = (await t.as().get('/v1/stats/summary').expect(200)).body;
      expect(await page.locator('[data-figure="pnsHeadcount"]').textContent()).toBe(id.number(summary.pnsHeadcount));
      expect(await page.locator('[data-figure="workersActive"]').textContent()).toBe(id.number(summary.workersActive));
      expect(await page.locator('[data-figure="premiumsCollected"]').textContent()).toBe(id.rupiah(summary.premiumsCollected));
      expect(await page.locator('#opd-nonparticipating li').count()).toBe(summary.opdsNotParticipating);

      expect(new Set(calls.map((c) => c.path))).toEqual(
        new Set(['/v1/stats/summary', '/v1/stats/opds', '/v1/stats/ucj', '/v1/stats/monthly', '/v1/stats/coverage', '/v1/reference/kecamatan', '/v1/reference/occupations']),
      );
      expect(calls.filter((c) => c.authorization !== undefined)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-public.png') });
      expect(problems).toEqual([]);
      await page.close();
    }, STEP_TIMEOUT);
  });
});
