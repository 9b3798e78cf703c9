/**
 * Turns a results file of `npm run bench` into the markdown table of docs/benchmarks.md:
 *   node bench/build.js && node dist-bench/bench/to-markdown.js bench-results/<stamp>-full.json
 */
import { readFileSync } from 'node:fs';
import type { Machine } from './lib/machine';
import { machineLine } from './lib/machine';
import type { Measurement } from './lib/report';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node dist-bench/bench/to-markdown.js bench-results/<file>.json\n');
  process.exit(2);
}
const run = JSON.parse(readFileSync(file, 'utf8')) as { mode: string; machine: Machine; elapsedS: number; notes: string[]; measurements: Measurement[] };
const escape = (s: string) => s.replace(/\|/g, '\\|');
const lines = [
  `Mode: ${run.mode}; took ${run.elapsedS} s. Machine: ${machineLine(run.machine)}; load average at start ${run.machine.loadAverageAtStart.join(' ')}.`,
  '',
  '| section | measurement | measured | target | verdict |',
  '|---|---|---|---|---|',
  ...run.measurements.map((m) => `| ${m.section} | ${escape(m.name)} | ${escape(m.shown)} | ${m.target ? escape(m.target.label) : ''} | ${m.pass === undefined ? '' : m.pass ? 'PASS' : '**MISS**'} |`),
];
if (run.notes.length) lines.push('', 'Notes of the run:', '', ...run.notes.map((n) => `- ${n.split('\n')[0]}`));
process.stdout.write(`${lines.join('\n')}\n`);
