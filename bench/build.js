#!/usr/bin/env node
/**
 * Compiles the bench suite and the code it measures (src/, projections/, bench/) to dist-bench/ with SWC:
 * transpile only (no type check, about a second), decorators and their metadata as Nest needs them, the
 * same settings as the jest transform. Measurements then run on plain compiled JavaScript, as in
 * production, without a TypeScript loader in the process. `npm run typecheck` type-checks bench/ too.
 */
const { transformFileSync } = require('@swc/core');
const { mkdirSync, readdirSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');

const root = join(__dirname, '..');
const out = join(root, 'dist-bench');
const DIRS = ['src', 'projections', 'bench'];

const options = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: false,
  swcrc: false,
};

function* tsFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* tsFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.spec.ts')) yield path;
  }
}

const started = Date.now();
rmSync(out, { recursive: true, force: true });
let count = 0;
for (const dir of DIRS) {
  for (const file of tsFiles(join(root, dir))) {
    const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, transformFileSync(file, options).code);
    count++;
  }
}
process.stderr.write(`bench: compiled ${count} files to dist-bench/ in ${Date.now() - started} ms\n`);
