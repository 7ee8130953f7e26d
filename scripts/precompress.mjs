// Trunk's post-build hook: writes `X.br` (brotli, quality 11) and `X.gz` (gzip -9) beside each
// wasm, JS, CSS and SVG file of the staged build, for the server to send to browsers that accept
// them. Compressing once here is what lets brotli run at its slowest, smallest setting.
// Usage: node scripts/precompress.mjs <dir>
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dir = process.argv[2];
if (!dir) throw new Error('usage: precompress.mjs <dir>');
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
