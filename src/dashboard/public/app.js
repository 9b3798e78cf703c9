// The dashboard page: loads the aggregate endpoints, renders cards, the OPD table, the trend and the
// coverage charts, and refreshes itself while open (polling on the projection position).
import { ApiError, AuthRequiredError, forgetKey, getJson, storeKey, storedKey } from './api.js';
import { renderCoverageChart, renderMonthlyChart, resizeChartsFor } from './charts.js';
import { byId, el, replace } from './dom.js';
import { downloadCsv, downloadXlsx } from './exports.js';
import { formatDate, formatDateTime, formatMonthLong, formatNumber, formatPercent, formatPosition, formatRupiah, jakartaDate } from './format.js';
import { FUNDING_SOURCE_LABELS, FUNDING_SOURCES, MONTHLY_FIELDS, OPD_COLUMNS, STATUSES, STATUS_LABELS, kindLabel } from './labels.js';

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';
const PUBLIC_STATS = meta('asuh-public-stats') === 'true';
const REFRESH_SECONDS = Math.max(5, Number(meta('asuh-refresh-seconds')) || 60);
const MAX_MONTHS = 120;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

const state = {
  position: null,
  answeredAt: null,
  checkedAt: null,
  summary: null,
  opds: [],
  ucj: null,
  monthly: [],
  /** The range the reader chose; null: the service's default (the last 12 months). */
  monthlyRange: null,
  coverage: { kecamatan: [], occupation: [], fundingSource: [], opd: [] },
  kecamatanNames: null,
  occupationLabels: null,
  sort: { key: 'participationRate', dir: 'desc' },
  filter: '',
  show: 'all',
  loading: null,
};

const FORMATTERS = { number: formatNumber, percent: formatPercent, rupiah: formatRupiah };

// ---------------------------------------------------------------- key

/** Resolves once the reader has given a key that the service accepts (checked with the summary). */
function askForKey(message) {
  const dialog = byId('key-dialog');
  const form = byId('key-form');
  const input = byId('key-input');
  const error = byId('key-error');
  replace(error, message ?? '');
  error.hidden = !message;
  input.value = '';
  return new Promise((resolve) => {
    const submit = async (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (!key) return;
      try {
        await getJson('/v1/stats/summary', {}, { key });
      } catch (problem) {
        replace(error, problem instanceof AuthRequiredError ? 'Kunci tidak dikenal. Periksa lalu coba lagi.' : describe(problem));
        error.hidden = false;
        input.focus();
        return;
      }
      storeKey(key);
      form.removeEventListener('submit', submit);
      dialog.close();
      byId('forget-key').hidden = false;
      resolve();
    };
    form.addEventListener('submit', submit);
    if (!dialog.open) dialog.showModal();
    input.focus();
  });
}

function describe(problem) {
  if (problem instanceof ApiError) {
    if (problem.status === 403) return 'Kunci ini tidak berwenang membaca statistik (diperlukan kunci analis).';
    if (problem.code === 'PROJECTION_LAGGING') return 'Data sedang diproses; dicoba lagi otomatis.';
    return `Layanan menjawab ${problem.status}${problem.code ? ` (${problem.code})` : ''}: ${problem.message}`;
  }
  return `Layanan tidak dapat dihubungi (${problem?.message ?? problem}).`;
}

// ---------------------------------------------------------------- loading

const get = (path, params) => getJson(path, params, { key: PUBLIC_STATS ? null : storedKey() });

/**
 * Reads the summary first and, when the projection moved (or `full`), everything else at least as far as
 * the summary's position, so that the page shows one consistent state of the read models.
 */
async function load({ full }) {
  const summary = await get('/v1/stats/summary');
  state.checkedAt = summary.answeredAt;
  if (!full && summary.position === state.position) {
    renderFreshness();
    return;
  }
  const at = { minPosition: summary.position ?? undefined };
  // Reference data (names and labels) once per page; the figures on every change.
  const references = state.kecamatanNames ? [] : [get('/v1/reference/kecamatan', at), get('/v1/reference/occupations', at)];
  const [opds, ucj, monthly, kecamatan, occupation, fundingSource, opd, kec, occ] = await Promise.all([
    get('/v1/stats/opds', at),
    get('/v1/stats/ucj', at),
    get('/v1/stats/monthly', { ...at, ...(state.monthlyRange ?? {}) }),
    get('/v1/stats/coverage', { ...at, groupBy: 'kecamatan' }),
    get('/v1/stats/coverage', { ...at, groupBy: 'occupation' }),
    get('/v1/stats/coverage', { ...at, groupBy: 'fundingSource' }),
    get('/v1/stats/coverage', { ...at, groupBy: 'opd' }),
    ...references,
  ]);
  if (kec && occ) {
    state.kecamatanNames = new Map(kec.body.items.map((k) => [k.code, k.name]));
    state.occupationLabels = new Map(occ.body.items.map((o) => [o.code, o.label]));
  }
  state.summary = summary.body;
  state.position = summary.position;
  state.answeredAt = summary.answeredAt;
  state.opds = opds.body.items;
  state.ucj = ucj.body;
  state.monthly = monthly.body.items;
  state.coverage = { kecamatan: kecamatan.body.items, occupation: occupation.body.items, fundingSource: fundingSource.body.items, opd: opd.body.items };
  render();
}

/** One load at a time; a refused key asks for the key again and retries. */
function refresh({ full = false } = {}) {
  if (state.loading) return state.loading;
  state.loading = (async () => {
    try {
      for (let complete = full; ; complete = true) {
        try {
          await load({ full: complete || state.summary === null });
          showError(null);
          return;
        } catch (problem) {
          if (!(problem instanceof AuthRequiredError) || PUBLIC_STATS) {
            showError(`Gagal memuat data. ${describe(problem)}`);
            return;
          }
          forgetKey();
          await askForKey('Kunci tersimpan ditolak oleh layanan. Masukkan kunci lagi.');
        }
      }
    } finally {
      state.loading = null;
    }
  })();
  return state.loading;
}

function showError(message) {
  const node = byId('load-error');
  replace(node, message ?? '');
  node.hidden = !message;
}

// ---------------------------------------------------------------- rendering

function render() {
  renderFreshness();
  renderSummary();
  renderUcj();
  renderOpdTable();
  renderNonParticipating();
  renderMonthly();
  renderCoverage();
  if (currentOpdCode()) void renderOpdDetail(currentOpdCode());
  document.body.dataset.state = 'ready';
  document.body.dataset.position = state.position ?? '';
}

function renderFreshness() {
  if (!state.summary) return;
  const node = byId('freshness');
  replace(
    node,
    'Angka per posisi proyeksi ',
    el('strong', { 'data-freshness': 'position' }, state.position === null ? '–' : formatPosition(state.position)),
    ' (dibaca ',
    el('time', { datetime: state.answeredAt.toISOString(), 'data-freshness': 'time' }, formatDateTime(state.answeredAt)),
    '). ',
    `Diperiksa ulang setiap ${formatNumber(REFRESH_SECONDS)} detik; terakhir `,
    el('time', { datetime: state.checkedAt.toISOString() }, formatDateTime(state.checkedAt)),
    '.',
  );
}

function valueAt(object, path) {
  return path.split('.').reduce((value, key) => (value === undefined || value === null ? undefined : value[key]), object);
}

function renderSummary() {
  for (const node of document.querySelectorAll('[data-figure]')) {
    const value = valueAt(state.summary, node.dataset.figure);
    const format = FORMATTERS[node.dataset.format ?? 'number'];
    node.textContent = value === undefined ? '–' : format(value);
  }
}

function renderUcj() {
  const ucj = state.ucj;
  for (const node of document.querySelectorAll('[data-ucj]')) {
    const field = node.dataset.ucj;
    node.textContent = field === 'year' ? String(ucj.year) : field === 'progress' ? formatPercent(ucj.progress) : formatNumber(ucj[field]);
  }
  const bar = byId('ucj-progress');
  bar.value = Math.min(1, ucj.progress);
  bar.setAttribute('aria-valuetext', `${formatPercent(ucj.progress)} dari target`);
  replace(
    byId('ucj-sources'),
    FUNDING_SOURCES.map((source) => el('li', { dataset: { source } }, `${FUNDING_SOURCE_LABELS[source]}: `, el('strong', {}, formatNumber(ucj.bySource?.[source] ?? 0)))),
  );
}

// ---------------------------------------------------------------- OPD table

const SORTERS = {
  name: (a, b) => a.name.localeCompare(b.name, 'id'),
  kind: (a, b) => kindLabel(a.kind).localeCompare(kindLabel(b.kind), 'id'),
};
const compareBy = (key) => SORTERS[key] ?? ((a, b) => a[key] - b[key]);

function visibleOpds() {
  const term = state.filter.trim().toLocaleLowerCase('id');
  const rows = state.opds.filter(
    (o) =>
      (state.show === 'all' || (state.show === 'participating') === o.participating) &&
      (!term || o.name.toLocaleLowerCase('id').includes(term) || o.opdCode.toLocaleLowerCase('id').includes(term)),
  );
  const compare = compareBy(state.sort.key);
  const direction = state.sort.dir === 'asc' ? 1 : -1;
  // Ties keep a stable, readable order: by name.
  return rows.sort((a, b) => direction * compare(a, b) || SORTERS.name(a, b));
}

function bar(rate, max) {
  const fill = el('span', { class: 'bar-fill' });
  // A CSSOM property, not a style attribute: allowed under the page's Content-Security-Policy.
  fill.style.width = `${max > 0 ? Math.min(100, (rate / max) * 100) : 0}%`;
  return el('span', { class: 'bar', 'aria-hidden': 'true' }, fill);
}

function renderOpdTable() {
  const rows = visibleOpds();
  const max = Math.max(0, ...state.opds.map((o) => o.participationRate));
  replace(
    byId('opd-rows'),
    rows.map((o) =>
      el(
        'tr',
        { dataset: { opd: o.opdCode }, class: o.participating ? null : 'not-participating' },
        el('th', { scope: 'row' }, el('a', { href: `#opd/${encodeURIComponent(o.opdCode)}` }, o.name), el('span', { class: 'code' }, o.opdCode)),
        el('td', {}, kindLabel(o.kind)),
        el('td', { class: 'num' }, formatNumber(o.pnsHeadcount)),
        el('td', { class: 'num' }, formatNumber(o.sponsorsRegistered)),
        el('td', { class: 'num' }, formatNumber(o.sponsorsActive)),
        el('td', { class: 'num rate' }, bar(o.participationRate, max), el('span', {}, formatPercent(o.participationRate))),
        el('td', { class: 'num' }, formatPercent(o.activeParticipationRate)),
        el('td', { class: 'num' }, formatNumber(o.workersRegistered)),
        el('td', { class: 'num' }, formatNumber(o.workersActive)),
        el('td', { class: 'num' }, formatRupiah(o.premiumsCollected)),
      ),
    ),
  );
  for (const th of document.querySelectorAll('#opd-table thead th')) {
    const key = th.querySelector('button')?.dataset.sort;
    if (key === state.sort.key) th.setAttribute('aria-sort', state.sort.dir === 'asc' ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
  }
  replace(byId('opd-count'), `Menampilkan ${formatNumber(rows.length)} dari ${formatNumber(state.opds.length)} OPD.`);
}

function renderNonParticipating() {
  const rows = state.opds.filter((o) => !o.participating).sort(SORTERS.name);
  replace(byId('non-participating-count'), formatNumber(rows.length));
  replace(
    byId('opd-nonparticipating'),
    rows.map((o) =>
      el('li', { dataset: { opd: o.opdCode } }, el('a', { href: `#opd/${encodeURIComponent(o.opdCode)}` }, o.name), ` (${o.opdCode}) · ${formatNumber(o.pnsHeadcount)} PNS`),
    ),
  );
}

function sortBy(key) {
  const numeric = !SORTERS[key];
  state.sort = state.sort.key === key ? { key, dir: state.sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: numeric ? 'desc' : 'asc' };
  renderOpdTable();
}

function opdExport() {
  const rows = visibleOpds().map((o) => OPD_COLUMNS.map((c) => o[c.key]));
  return { columns: OPD_COLUMNS, rows, stem: `asuh-partisipasi-opd-${jakartaDate(state.answeredAt)}` };
}

// ---------------------------------------------------------------- OPD detail

const currentOpdCode = () => {
  const match = /^#opd\/([A-Z0-9_]+)$/.exec(window.location.hash);
  return match ? match[1] : null;
};

async function renderOpdDetail(code) {
  const dialog = byId('opd-detail');
  const body = byId('opd-detail-body');
  const opd = state.opds.find((o) => o.opdCode === code);
  if (!opd) {
    replace(byId('opd-detail-title'), `OPD ${code}`);
    replace(body, el('p', {}, 'OPD ini tidak ada dalam data.'));
  } else {
    const rank = [...state.opds].sort((a, b) => b.participationRate - a.participationRate || SORTERS.name(a, b)).indexOf(opd) + 1;
    const coverage = state.coverage.opd.find((c) => c.key === code);
    replace(byId('opd-detail-title'), opd.name);
    replace(
      body,
      el(
        'dl',
        { class: 'facts' },
        fact('Kode', opd.opdCode),
        fact('Jenis', kindLabel(opd.kind)),
        fact('Jumlah PNS', formatNumber(opd.pnsHeadcount)),
        fact('ASN peserta terdaftar', formatNumber(opd.sponsorsRegistered)),
        fact('ASN peserta aktif', formatNumber(opd.sponsorsActive)),
        fact('Tingkat partisipasi', formatPercent(opd.participationRate)),
        fact('Tingkat partisipasi aktif', formatPercent(opd.activeParticipationRate)),
        fact('Peringkat partisipasi', `${formatNumber(rank)} dari ${formatNumber(state.opds.length)} OPD`),
        fact('Pekerja terdaftar', formatNumber(opd.workersRegistered)),
        fact('Pekerja aktif', formatNumber(opd.workersActive)),
        fact('Iuran terkumpul', formatRupiah(opd.premiumsCollected)),
        fact('Status keikutsertaan', opd.participating ? 'Berpartisipasi' : 'Belum berpartisipasi'),
      ),
      el('h3', {}, 'Status pekerja asuhan ASN OPD ini'),
      el('ul', { class: 'status-list' }, STATUSES.map((s) => el('li', {}, `${STATUS_LABELS[s]}: `, el('strong', {}, formatNumber(coverage?.byStatus?.[s] ?? 0))))),
      el('h3', {}, 'Riwayat jumlah PNS'),
      el('p', { id: 'opd-history-status' }, 'Memuat riwayat…'),
    );
  }
  if (!dialog.open) dialog.showModal();
  if (!opd) return;
  try {
    const { body: detail } = await get(`/v1/opds/${encodeURIComponent(code)}`, { minPosition: state.position ?? undefined });
    const status = document.getElementById('opd-history-status');
    if (!status || currentOpdCode() !== code) return;
    status.replaceWith(
      el(
        'table',
        { class: 'history' },
        el('caption', { class: 'visually-hidden' }, `Riwayat jumlah PNS ${opd.name}`),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Berlaku sejak'), el('th', { scope: 'col', class: 'num' }, 'Jumlah PNS'))),
        el(
          'tbody',
          {},
          detail.headcountHistory.map((h) => el('tr', {}, el('td', {}, el('time', { datetime: h.effectiveOn }, formatDate(h.effectiveOn))), el('td', { class: 'num' }, formatNumber(h.pnsHeadcount)))),
        ),
      ),
    );
  } catch (problem) {
    const status = document.getElementById('opd-history-status');
    if (status) replace(status, `Riwayat tidak dapat dimuat. ${describe(problem)}`);
  }
}

const fact = (term, value) => [el('dt', {}, term), el('dd', {}, value)];

function route() {
  const code = currentOpdCode();
  const dialog = byId('opd-detail');
  if (code && state.summary) void renderOpdDetail(code);
  else if (!code && dialog.open) dialog.close();
}

function closeDetail() {
  if (currentOpdCode()) history.replaceState(null, '', `${window.location.pathname}${window.location.search}#opd`);
  const dialog = byId('opd-detail');
  if (dialog.open) dialog.close();
}

// ---------------------------------------------------------------- monthly

function monthlyFields() {
  return MONTHLY_FIELDS.filter((f) => !f.optional || state.monthly.some((item) => item[f.key] !== undefined));
}

function renderMonthly() {
  const items = state.monthly;
  const fields = monthlyFields();
  if (items.length) {
    byId('monthly-from').value = items[0].month;
    byId('monthly-to').value = items[items.length - 1].month;
    replace(byId('monthly-range'), `${formatMonthLong(items[0].month)} – ${formatMonthLong(items[items.length - 1].month)}`);
  }
  renderMonthlyChart(byId('chart-monthly'), items, fields);
  replace(
    byId('monthly-table'),
    el('caption', { class: 'visually-hidden' }, 'Tren bulanan'),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Bulan'), fields.map((f) => el('th', { scope: 'col', class: 'num' }, f.label)))),
    el(
      'tbody',
      {},
      items.map((item) =>
        el(
          'tr',
          { dataset: { month: item.month } },
          el('th', { scope: 'row' }, formatMonthLong(item.month)),
          fields.map((f) => el('td', { class: 'num', dataset: { field: f.key } }, f.unit === 'rupiah' ? formatRupiah(item[f.key] ?? 0) : formatNumber(item[f.key] ?? 0))),
        ),
      ),
    ),
  );
}

async function chooseMonthlyRange(event) {
  event.preventDefault();
  const from = byId('monthly-from').value;
  const to = byId('monthly-to').value;
  const error = byId('monthly-error');
  const [fy, fm] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  const span = (ty - fy) * 12 + (tm - fm) + 1;
  const message = !MONTH.test(from) || !MONTH.test(to) ? 'Isi kedua bulan dengan format TTTT-BB.' : span < 1 ? 'Bulan awal harus sebelum atau sama dengan bulan akhir.' : span > MAX_MONTHS ? `Paling banyak ${MAX_MONTHS} bulan sekali tampil.` : '';
  replace(error, message);
  error.hidden = !message;
  if (message) return;
  state.monthlyRange = { from, to };
  try {
    const { body } = await get('/v1/stats/monthly', { from, to, minPosition: state.position ?? undefined });
    state.monthly = body.items;
    renderMonthly();
  } catch (problem) {
    replace(error, describe(problem));
    error.hidden = false;
  }
}

function monthlyExport() {
  const fields = monthlyFields();
  const columns = [{ label: 'Bulan', unit: 'text' }, ...fields];
  const rows = state.monthly.map((item) => [item.month, ...fields.map((f) => item[f.key] ?? 0)]);
  const items = state.monthly;
  const range = items.length ? `${items[0].month}-sd-${items[items.length - 1].month}` : 'kosong';
  return { columns, rows, stem: `asuh-tren-bulanan-${range}` };
}

// ---------------------------------------------------------------- coverage

function coverageRows(items, keys, label) {
  const byKey = new Map(items.map((i) => [i.key, i]));
  const known = keys.map((key) => byKey.get(key) ?? { key, registered: 0, active: 0, inactive: 0, byStatus: {} });
  const others = items.filter((i) => !keys.includes(i.key));
  return [...known, ...others].map((i) => ({ ...i, label: label(i.key) }));
}

function renderCoverage() {
  const kecamatan = state.kecamatanNames;
  const occupations = state.occupationLabels;
  const groups = [
    { id: 'kecamatan', title: 'Pekerja per kecamatan', head: 'Kecamatan', rows: coverageRows(state.coverage.kecamatan, [...kecamatan.keys()], (k) => kecamatan.get(k) ?? k) },
    { id: 'occupation', title: 'Pekerja per pekerjaan', head: 'Pekerjaan', rows: coverageRows(state.coverage.occupation, [...occupations.keys()], (k) => occupations.get(k) ?? k) },
    { id: 'fundingSource', title: 'Pekerja per sumber dana', head: 'Sumber dana', rows: coverageRows(state.coverage.fundingSource, FUNDING_SOURCES, (k) => FUNDING_SOURCE_LABELS[k] ?? k) },
  ];
  for (const group of groups) {
    renderCoverageChart(byId(`chart-${group.id}`), group.title, group.rows, STATUSES, STATUS_LABELS);
    replace(
      byId(`table-${group.id}`),
      el('caption', { class: 'visually-hidden' }, group.title),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col' }, group.head),
          el('th', { scope: 'col', class: 'num' }, 'Terdaftar'),
          STATUSES.map((s) => el('th', { scope: 'col', class: 'num' }, STATUS_LABELS[s])),
          el('th', { scope: 'col', class: 'num' }, 'Tidak aktif'),
        ),
      ),
      el(
        'tbody',
        {},
        group.rows.map((r) =>
          el(
            'tr',
            { dataset: { key: r.key ?? '' } },
            el('th', { scope: 'row' }, r.label),
            el('td', { class: 'num', dataset: { field: 'registered' } }, formatNumber(r.registered)),
            STATUSES.map((s) => el('td', { class: 'num', dataset: { field: s } }, formatNumber(r.byStatus[s] ?? 0))),
            el('td', { class: 'num', dataset: { field: 'inactive' } }, formatNumber(r.inactive)),
          ),
        ),
      ),
    );
  }
}

// ---------------------------------------------------------------- wiring

async function download(kind, format) {
  const { columns, rows, stem } = kind === 'opd' ? opdExport() : monthlyExport();
  const status = byId('download-status');
  try {
    if (format === 'csv') downloadCsv(columns, rows, `${stem}.csv`);
    else await downloadXlsx(columns, rows, { sheet: kind === 'opd' ? 'Partisipasi OPD' : 'Tren bulanan', fileName: `${stem}.xlsx` });
    replace(status, `Berkas ${stem}.${format} dibuat.`);
  } catch (problem) {
    replace(status, `Berkas tidak dapat dibuat: ${problem.message}`);
  }
}

function wire() {
  for (const button of document.querySelectorAll('#opd-table thead button[data-sort]')) button.addEventListener('click', () => sortBy(button.dataset.sort));
  byId('opd-filter').addEventListener('input', (event) => {
    state.filter = event.target.value;
    renderOpdTable();
  });
  byId('opd-show').addEventListener('change', (event) => {
    state.show = event.target.value;
    renderOpdTable();
  });
  byId('opd-csv').addEventListener('click', () => download('opd', 'csv'));
  byId('opd-xlsx').addEventListener('click', () => download('opd', 'xlsx'));
  byId('monthly-csv').addEventListener('click', () => download('monthly', 'csv'));
  byId('monthly-xlsx').addEventListener('click', () => download('monthly', 'xlsx'));
  byId('monthly-form').addEventListener('submit', chooseMonthlyRange);
  byId('refresh').addEventListener('click', () => refresh({ full: true }));
  byId('print').addEventListener('click', () => window.print());
  byId('forget-key').addEventListener('click', () => {
    forgetKey();
    window.location.reload();
  });
  byId('opd-detail-close').addEventListener('click', closeDetail);
  byId('opd-detail').addEventListener('close', () => {
    if (currentOpdCode()) history.replaceState(null, '', `${window.location.pathname}${window.location.search}#opd`);
  });
  // The key is required: the dialog stays until one is accepted.
  byId('key-dialog').addEventListener('cancel', (event) => event.preventDefault());
  window.addEventListener('hashchange', route);
  window.addEventListener('beforeprint', () => {
    for (const details of document.querySelectorAll('details:not([open])')) {
      details.dataset.closedBeforePrint = 'true';
      details.open = true;
    }
    resizeChartsFor(680);
  });
  window.addEventListener('afterprint', () => {
    for (const details of document.querySelectorAll('details[data-closed-before-print]')) {
      details.open = false;
      delete details.dataset.closedBeforePrint;
    }
    resizeChartsFor(null);
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) void refresh();
  });
}

async function start() {
  wire();
  if (!PUBLIC_STATS && storedKey()) byId('forget-key').hidden = false;
  if (!PUBLIC_STATS && !storedKey()) await askForKey();
  await refresh({ full: true });
  route();
  setInterval(() => {
    if (!document.hidden) void refresh();
  }, REFRESH_SECONDS * 1000);
}

void start();
