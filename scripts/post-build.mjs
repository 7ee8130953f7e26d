// Trunk's post-build hook, on the staged build:
// 1. minifies the JS glue with terser (Trunk 0.21's own minifier gives up on it and leaves it
//    as is) and puts the new file's hash in index.html's `integrity=`, so the preload still
//    matches;
// 2. writes `X.br` (brotli, quality 11) and `X.gz` (gzip -9) beside each wasm, JS, CSS, SVG and
//    HTML file, for the server to send to browsers that accept them. Compressing once here is
//    what lets brotli run at its slowest, smallest setting.
// Usage: node scripts/post-build.mjs <dir>
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';

const dir = process.argv[2];
if (!dir) throw new Error('usage: post-build.mjs <dir>');

// terser comes with the npm packages under tests/ (scripts/tools.sh installs them).
const { minify } = createRequire(path.join(import.meta.dirname, '..', 'tests', 'package.json'))('terser');
const indexFile = path.join(dir, 'index.html');
let index = readFileSync(indexFile, 'utf8');
for (const name of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
  const file = path.join(dir, name);
  const { code } = await minify(readFileSync(file, 'utf8'), { module: true, compress: true, mangle: true });
  writeFileSync(file, code);
  const integrity = `sha384-${createHash('sha384').update(code).digest('base64')}`;
  // The `<link>` naming this file (attributes in any order, quoted or not).
  index = index.replace(/<link\b[^>]*>/g, (tag) =>
    new RegExp(`href=["']?/${name.replace(/[.]/g, '\\.')}["'\\s>]`).test(tag)
      ? tag.replace(/integrity=(["']?)sha384-[A-Za-z0-9+/=]+\1/, `integrity=$1${integrity}$1`)
      : tag,
  );
}
writeFileSync(indexFile, index);
const { BROTLI_PARAM_QUALITY, BROTLI_PARAM_SIZE_HINT, BROTLI_PARAM_MODE, BROTLI_MODE_TEXT, BROTLI_MODE_GENERIC } =
  zlib.constants;
for (const name of readdirSync(dir)) {
  if (!/\.(wasm|js|css|svg|html)$/.test(name)) continue;
  const file = path.join(dir, name);
  const raw = readFileSync(file);
  writeFileSync(`${file}.gz`, zlib.gzipSync(raw, { level: 9 }));
  const br = zlib.brotliCompressSync(raw, {
    params: {
      [BROTLI_PARAM_QUALITY]: 11,
      [BROTLI_PARAM_SIZE_HINT]: raw.length,
      [BROTLI_PARAM_MODE]: name.endsWith('.wasm') ? BROTLI_MODE_GENERIC : BROTLI_MODE_TEXT,
    },
  });
  writeFileSync(`${file}.br`, br);
}
