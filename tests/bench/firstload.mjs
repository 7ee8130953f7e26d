// First-load benchmark (figures, not a test): what Chromium downloads, from the real server, to
// show the rollouts list and start the console — the page (with the server's first screen of
// the list), the JS and the wasm (the CSS it needs is inlined in the page) — per file: raw, gzip -9 and
// brotli -q 11 (computed here) and the bytes of its body as received (the server sends the
// smallest encoding the browser accepts; Chromium sends `br, gzip`). The API's JSON is counted
// apart. Then what comes later: the rollout page's and the palette's lazy parts and the pages'
// CSS, fetched a few seconds after start, and the first load of a rollout page opened from a link
// (fresh cache).
// Run: scripts/bench-firstload.sh
import { readFileSync } from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { launch } from './measure.mjs';
import { startServer } from './server.mjs';

const root = path.resolve(import.meta.dirname, '..', '..');
const dist = process.env.ROLLOUT_DIST ?? path.join(root, 'dist');
const gzip = (b) => zlib.gzipSync(b, { level: 9 }).length;
const brotli = (b) =>
  zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** Every request of `page` that finished, in order: [url, body bytes as received, headers]. */
function recorder(page) {
  const done = [];
  page.on('requestfinished', async (req) => {
    const res = await req.response();
    const entry = [req.url(), 0, res ? await res.allHeaders() : {}];
    done.push(entry);
    entry[1] = (await req.sizes()).responseBodySize;
  });
  return {
    /** What finished since the last call. */
    take: async () => {
      await new Promise((r) => setTimeout(r, 200)); // the sizes of the last ones
      return done.splice(0);
    },
  };
}

const isApi = (url) => new URL(url).pathname.startsWith('/api/');
const code = (rows) => rows.filter(([url]) => !isApi(url));
const sum = (rows) => rows.reduce((s, [, n]) => s + n, 0);
/** `rollout-console-1a2b…_bg.wasm` → `rollout-console_bg.wasm`. */
const short = (url) => decodeURIComponent(new URL(url).pathname.slice(1)).replace(/-[0-9a-f]{12,16}(?=[._])/, '') || '(page)';

function table(title, rows, { page } = {}) {
  console.log(title);
  const w = Math.max(40, ...rows.map(([url]) => short(url).length)) + 2;
  const cell = (n) => (n === undefined ? '' : kb(n)).padStart(11);
  console.log(`  ${'file'.padEnd(w)}${'raw'.padStart(11)}${'gzip'.padStart(11)}${'brotli'.padStart(11)}${'on wire'.padStart(11)}  encoding, cache`);
  for (const [url, wire, h] of rows) {
    const file = new URL(url).pathname.slice(1);
    // The page is made per request (the first screen): its sizes are those of this response.
    const raw = file.includes('.') ? readFileSync(path.join(dist, file)) : page;
    const name = file.includes('.') ? short(url) : `${new URL(url).pathname} (index.html + first screen)`;
    console.log(
      `  ${name.padEnd(w)}${cell(raw?.length)}${cell(raw && gzip(raw))}${cell(raw && brotli(raw))}${cell(wire)}  ${h['content-encoding'] ?? 'identity'}, ${h['cache-control']}`,
    );
  }
}

const server = await startServer();
const { browser, page } = await launch();
try {
  const pageHtml = async (p) => Buffer.from(await (await fetch(`${server.url}${p}`, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer());
  const net = recorder(page);
  await page.goto(`${server.url}rollouts`);
  // The app has taken over from the first screen (src/dom/shell.rs) with its data on screen.
  await page.waitForFunction(() => !document.getElementById('shell') && document.querySelector('tbody tr'));
  const first = await net.take();
  table('first load of /rollouts, as Chromium received it from rollout-server', code(first), { page: await pageHtml('rollouts') });
  console.log(`  total${kb(sum(code(first))).padStart(79)}  (target: ≤ 250 KB)`);
  console.log(`  the API's JSON for it: ${kb(sum(first.filter(([u]) => isApi(u))))} in ${first.filter(([u]) => isApi(u)).length} responses`);

  // What the page loader fetches a few seconds after start (scripts/post-build.mjs).
  await page.waitForTimeout(5000);
  const later = code(await net.take());
  console.log(
    `afterwards, fetched 3 s after start (the rollout page's and the palette's parts, the pages' CSS): ${kb(sum(later))} in ${later.length} files`,
  );

  // A rollout page opened from a link, in a fresh browser context (nothing cached).
  const id = (await (await fetch(`${server.url}api/v1/rollouts?limit=1`)).json()).items[0].id;
  const fresh = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const net2 = recorder(fresh);
  await fresh.goto(`${server.url}rollouts/${id}`);
  await fresh.waitForFunction(() => !document.getElementById('shell') && document.querySelector('.rollout-header, h1'));
  await fresh.waitForTimeout(1000);
  // A part is asked for twice (the page loader's early fetch, then the app's): the second comes
  // from the browser's cache, with no body over the wire.
  const deep = code(await net2.take()).filter(([, n]) => n > 0);
  console.log(`first load of /rollouts/:id from a link: ${kb(sum(deep))} in ${deep.length} files (the main part and the page's)`);
} finally {
  await browser.close();
  server.stop();
}
