// First-load benchmark (figures, not a test): what a browser downloads before the console can
// start — the page (with the server's first screen of the list), its CSS, the JS glue and the
// wasm — per asset (raw, gzip, brotli) and as bytes on the wire from the real server to a client
// that sends `Accept-Encoding: br, gzip` (what Chromium sends). gzip -9 and brotli -q 11 are
// computed here. Run: scripts/bench-firstload.sh
import { readFileSync, statSync } from 'node:fs';
import zlib from 'node:zlib';
import http from 'node:http';
import path from 'node:path';
import { startServer } from './server.mjs';

const root = path.resolve(import.meta.dirname, '..', '..');
const dist = process.env.ROLLOUT_DIST ?? path.join(root, 'dist');
const gzip = (b) => zlib.gzipSync(b, { level: 9 }).length;
const brotli = (b) =>
  zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** GET `url` without decoding: [status, headers, body bytes as received]. */
function getRaw(url, encoding) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'accept-encoding': encoding } }, (res) => {
        let n = 0;
        const chunks = [];
        res.on('data', (c) => {
          n += c.length;
          chunks.push(c);
        });
        res.on('end', () => resolve([res.statusCode, res.headers, n, Buffer.concat(chunks)]));
      })
      .on('error', reject);
  });
}

const server = await startServer();
try {
  // The page a person opens first; the assets are the ones it links.
  const page = `${server.url}rollouts`;
  const [, pageHeaders, pageBytes] = await getRaw(page, 'br, gzip');
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const assets = [
    ...new Set(
      // Attributes may be unquoted: the release page is minified.
      // The loader names the JS glue and the wasm in quotes (scripts/post-build.mjs).
      [...html.matchAll(/<link[^>]*\shref=["']?\/([^"'\s>]+)/g), ...html.matchAll(/["']\/([^"'\s]+\.(?:js|wasm))["']/g)]
        .map((m) => m[1])
        .filter((f) => /\.(css|js|wasm)$/.test(f)),
    ),
  ];
  // The page as sent: index.html with the server's first screen of the list in it (compressed
  // per request, so its sizes are those of this response, not of the file in dist/).
  const [, , , index] = await getRaw(page, 'identity');
  const rows = [['index.html + first screen (/rollouts)', index.length, gzip(index), brotli(index), pageBytes, pageHeaders['content-encoding'] ?? 'identity', pageHeaders['cache-control']]];
  for (const a of assets) {
    const raw = readFileSync(path.join(dist, a));
    const [status, h, wire] = await getRaw(`${server.url}${a}`, 'br, gzip');
    if (status !== 200) throw new Error(`${a}: HTTP ${status}`);
    rows.push([a.replace(/-[0-9a-f]{12,16}(?=[._])/, ''), raw.length, gzip(raw), brotli(raw), wire, h['content-encoding'] ?? 'identity', h['cache-control']]);
  }
  const sum = (i) => rows.reduce((s, r) => s + r[i], 0);
  console.log('first load, as served by rollout-server to a client accepting br and gzip');
  const w = Math.max(...rows.map((r) => r[0].length)) + 2;
  console.log(`  ${'asset'.padEnd(w)}${'raw'.padStart(11)}${'gzip'.padStart(11)}${'brotli'.padStart(11)}${'on wire'.padStart(11)}  encoding, cache`);
  const cell = (n) => kb(n).padStart(11);
  for (const [name, raw, gz, br, wire, enc, cache] of rows) {
    console.log(`  ${name.padEnd(w)}${cell(raw)}${cell(gz)}${cell(br)}${cell(wire)}  ${enc}, ${cache}`);
  }
  console.log(`  ${'total'.padEnd(w)}${cell(sum(1))}${cell(sum(2))}${cell(sum(3))}${cell(sum(4))}  (target on wire: ≤ 250 KB)`);
} finally {
  server.stop();
}
