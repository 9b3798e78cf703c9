/** Statistics, formatting and the record of every measurement of a run (printed as it goes, JSON at the end). */

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const fmtInt = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n));
export const fmtMs = (n: number): string => (Number.isFinite(n) ? (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2)) : String(n));
export const fmtMb = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MB`;
export const fmtS = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export interface Target {
  /** '>=' : measured must be at least `value`; '<=' : at most. */
  op: '>=' | '<=';
  value: number;
  /** How the target reads in the report, e.g. ">= 0.70 of raw". */
  label: string;
}

export interface Measurement {
  section: string;
  name: string;
  /** Human-readable measured value (with its unit and context). */
  shown: string;
  value: number;
  target?: Target;
  pass?: boolean;
  /** Extra numbers worth keeping (baselines, repetitions, sizes). */
  detail?: Record<string, unknown>;
}

export class Recorder {
  readonly measurements: Measurement[] = [];
  readonly notes: string[] = [];

  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  section(title: string): void {
    this.write(`\n== ${title}`);
  }

  info(line: string): void {
    this.write(`   ${line}`);
  }

  note(line: string): void {
    this.notes.push(line);
    this.write(`   note: ${line}`);
  }

  /** Records a measurement; with a target it prints target vs measured and PASS/MISS. */
  record(m: Omit<Measurement, 'pass'>): Measurement {
    const pass = m.target ? (m.target.op === '>=' ? m.value >= m.target.value : m.value <= m.target.value) : undefined;
    const full: Measurement = { ...m, pass };
    this.measurements.push(full);
    const verdict = m.target ? `  target ${m.target.label}  ${pass ? 'PASS' : 'MISS'}` : '';
    this.write(`   ${m.name.padEnd(44)} ${m.shown}${verdict}`);
    return full;
  }

  find(section: string, name: string): Measurement | undefined {
    return this.measurements.find((m) => m.section === section && m.name === name);
  }

  misses(): Measurement[] {
    return this.measurements.filter((m) => m.pass === false);
  }
}

/** Samples this process's RSS every `everyMs` and keeps the peak (for in-process phases). */
export class RssSampler {
  peak = process.memoryUsage().rss;
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 50) {
    this.timer = setInterval(() => {
      const rss = process.memoryUsage().rss;
      if (rss > this.peak) this.peak = rss;
    }, everyMs);
    this.timer.unref();
  }

  stop(): number {
    clearInterval(this.timer);
    const rss = process.memoryUsage().rss;
    if (rss > this.peak) this.peak = rss;
    return this.peak;
  }
}
