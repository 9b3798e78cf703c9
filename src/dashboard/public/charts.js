// Charts: Apache ECharts (vendored ES module) with its aria option on, so each chart carries a generated
// description (in Bahasa Indonesia, from the locale below) and decal patterns besides colour. Every chart
// also has a data table beside it on the page.
import * as echarts from '/dashboard/vendor/echarts.esm.min.mjs';
import { formatMonth, formatNumber, formatRupiah } from './format.js';

echarts.registerLocale('ID', {
  time: {
    month: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
    monthAbbr: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'],
    dayOfWeek: ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'],
    dayOfWeekAbbr: ['Min', 'Sen', 'Sel', 'Rab', 'Kam', 'Jum', 'Sab'],
  },
  legend: { selector: { all: 'Semua', inverse: 'Balik' } },
  toolbox: {
    brush: { title: { rect: 'Pilih kotak', polygon: 'Pilih laso', lineX: 'Pilih mendatar', lineY: 'Pilih tegak', keep: 'Simpan pilihan', clear: 'Hapus pilihan' } },
    dataView: { title: 'Tampilan data', lang: ['Tampilan data', 'Tutup', 'Segarkan'] },
    dataZoom: { title: { zoom: 'Perbesar', back: 'Kembalikan' } },
    magicType: { title: { line: 'Grafik garis', bar: 'Grafik batang', stack: 'Tumpuk', tiled: 'Berjajar' } },
    restore: { title: 'Kembalikan' },
    saveAsImage: { title: 'Simpan sebagai gambar', lang: ['Klik kanan untuk menyimpan gambar'] },
  },
  series: {
    typeNames: {
      pie: 'diagram lingkaran',
      bar: 'grafik batang',
      line: 'grafik garis',
      scatter: 'diagram pencar',
      effectScatter: 'diagram pencar',
      radar: 'diagram radar',
      tree: 'diagram pohon',
      treemap: 'peta pohon',
      boxplot: 'diagram kotak',
      candlestick: 'grafik lilin',
      k: 'grafik lilin',
      heatmap: 'peta panas',
      map: 'peta',
      parallel: 'koordinat paralel',
      lines: 'grafik garis',
      graph: 'graf hubungan',
      sankey: 'diagram Sankey',
      funnel: 'diagram corong',
      gauge: 'pengukur',
      pictorialBar: 'grafik batang bergambar',
      themeRiver: 'grafik aliran tema',
      sunburst: 'diagram sunburst',
      custom: 'grafik khusus',
      chart: 'grafik',
    },
  },
  aria: {
    general: { withTitle: 'Grafik tentang "{title}"', withoutTitle: 'Grafik' },
    series: {
      single: { prefix: '', withName: ' berjenis {seriesType} bernama {seriesName}.', withoutName: ' berjenis {seriesType}.' },
      multiple: {
        prefix: '. Terdiri atas {seriesCount} seri.',
        withName: ' Seri ke-{seriesId} adalah {seriesType} yang menggambarkan {seriesName}.',
        withoutName: ' Seri ke-{seriesId} adalah {seriesType}.',
        separator: { middle: '', end: '' },
      },
    },
    data: {
      allData: 'Datanya sebagai berikut: ',
      partialData: '{displayCnt} data pertama: ',
      withName: '{name}: {value}',
      withoutName: '{value}',
      separator: { middle: ', ', end: '. ' },
    },
  },
});

export const STATUS_COLORS = { ACTIVE: '#1a7f37', PENDING: '#1f5fbf', LAPSED: '#b35900', ENDED: '#6b6f76' };
const MONTHLY_COLORS = { enrolments: '#1f5fbf', payments: '#1a7f37', lapses: '#b35900', ends: '#6b6f76', reversals: '#b3261e', amount: '#6a3fb5', reversedAmount: '#b3261e' };

const compact = new Intl.NumberFormat('id-ID', { notation: 'compact', maximumFractionDigits: 1 });
const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif';

const charts = new Set();
const observer = new ResizeObserver((entries) => {
  for (const entry of entries) echarts.getInstanceByDom(entry.target)?.resize();
});

function chartFor(container) {
  let chart = echarts.getInstanceByDom(container);
  if (!chart) {
    // A fixed ratio of 2 keeps printed charts sharp on every screen.
    chart = echarts.init(container, null, { renderer: 'canvas', locale: 'ID', devicePixelRatio: Math.max(2, window.devicePixelRatio || 1) });
    charts.add(chart);
    observer.observe(container);
  }
  return chart;
}

function base(title) {
  return {
    title: { text: title, show: false },
    aria: { enabled: true, decal: { show: true }, label: { enabled: true } },
    animation: !reducedMotion.matches,
    textStyle: { fontFamily: FONT, color: '#1d2733' },
    // Tooltips drawn on the canvas (richText): ECharts' HTML tooltips carry inline styles, which a strict
    // Content-Security-Policy refuses.
    tooltip: { trigger: 'axis', renderMode: 'richText', axisPointer: { type: 'shadow' }, confine: true },
    legend: { top: 0, type: 'scroll', textStyle: { fontFamily: FONT } },
    // The grid shrinks until the axis labels and names fit inside the chart (ECharts 6 layout).
    grid: { left: 8, right: 24, top: 48, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'all', outerBoundsClampWidth: '25%' },
  };
}

/** Monthly trend: counts as bars (left axis), rupiah amounts as lines (right axis). */
export function renderMonthlyChart(container, items, fields) {
  const counts = fields.filter((f) => f.unit === 'count');
  const money = fields.filter((f) => f.unit === 'rupiah');
  chartFor(container).setOption(
    {
      ...base('Tren bulanan'),
      tooltip: { ...base('').tooltip, valueFormatter: (v) => formatNumber(v) },
      xAxis: { type: 'category', data: items.map((i) => formatMonth(i.month)) },
      yAxis: [
        { type: 'value', name: 'Jumlah', minInterval: 1, axisLabel: { formatter: (v) => formatNumber(v) } },
        { type: 'value', name: 'Rupiah', axisLabel: { formatter: (v) => `Rp${compact.format(v)}` }, splitLine: { show: false } },
      ],
      series: [
        ...counts.map((f) => ({ name: f.label, type: 'bar', data: items.map((i) => i[f.key] ?? 0), itemStyle: { color: MONTHLY_COLORS[f.key] } })),
        ...money.map((f) => ({
          name: f.label,
          type: 'line',
          yAxisIndex: 1,
          data: items.map((i) => i[f.key] ?? 0),
          itemStyle: { color: MONTHLY_COLORS[f.key] },
          lineStyle: f.key === 'amount' ? undefined : { type: 'dashed' },
          tooltip: { valueFormatter: (v) => formatRupiah(v) },
        })),
      ],
    },
    { notMerge: true },
  );
}

/** Coverage per group: one horizontal bar per group, stacked by worker status. */
export function renderCoverageChart(container, title, rows, statuses, statusLabels) {
  chartFor(container).setOption(
    {
      ...base(title),
      tooltip: { ...base('').tooltip, valueFormatter: (v) => formatNumber(v) },
      xAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v) => formatNumber(v) } },
      yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.label), axisLabel: { width: 190, overflow: 'truncate' } },
      series: statuses.map((status) => ({
        name: statusLabels[status],
        type: 'bar',
        stack: 'status',
        data: rows.map((r) => r.byStatus[status] ?? 0),
        itemStyle: { color: STATUS_COLORS[status] },
      })),
    },
    { notMerge: true },
  );
}

/** Charts laid out for paper before printing, and back after. */
export function resizeChartsFor(width) {
  for (const chart of charts) chart.resize(width ? { width } : undefined);
}
