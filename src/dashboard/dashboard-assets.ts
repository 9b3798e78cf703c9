import { existsSync, readdirSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';

/** Content types of the files the dashboard serves; anything else in the folder is never served. */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The page's own files: `public/` beside this module (src/dashboard/public, or dist/src/dashboard/public
 * where the image copies it), else src/dashboard/public found upwards from a build under dist/.
 */
export function findPublicDir(from = __dirname): string {
  const beside = join(from, 'public');
  if (existsSync(join(beside, 'index.html'))) return beside;
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'src', 'dashboard', 'public');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  throw new Error(`The dashboard's files (src/dashboard/public) were not found from ${from}`);
}

/** Every servable file of the folder by name: a fixed allow-list, so no request path reaches the disk. */
export function listAssets(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    if (name !== 'index.html' && CONTENT_TYPES[extname(name)]) files.set(name, join(dir, name));
  }
  return files;
}

/** Vendored browser builds, served from node_modules (no CDN, works offline). */
export function vendorFiles(): Map<string, string> {
  const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
  return new Map([
    ['echarts.esm.min.mjs', join(packageDir('echarts'), 'dist', 'echarts.esm.min.mjs')],
    ['write-excel-file.min.js', join(packageDir('write-excel-file'), 'bundle', 'write-excel-file.min.js')],
  ]);
}
