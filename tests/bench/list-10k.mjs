// Browser benchmark (figures, not a test): the rollouts list with 10,000 rollouts in Chromium,
// the real console build served by the real server. The server's demo has ~65 rollouts, so the
// list endpoint is answered with 10,000 synthetic rollouts derived from the demo's own (every
// other request, the stream included, goes to the server). Measures the first render, each
// keystroke of a search (input to painted frame), scrolling, and long tasks (> 50 ms).
// Run: scripts/bench-browser.sh
import { launch, longTasks, longs, report, scroll, stats, typeKeys } from './measure.mjs';
import { startServer } from './server.mjs';

const N = Number(process.env.ROWS ?? 10_000);
const server = await startServer();
const { browser, page } = await launch();
try {
  const real = await (await fetch(`${server.url}api/v1/rollouts?from=1970-01-01T00:00:00Z&limit=10000`)).json();
  const base = real.items;
  const start = Date.parse(base[0].startTime);
  const items = Array.from({ length: N }, (_, i) => {
    const r = structuredClone(base[i % base.length]);
    r.id = `rol-${i.toString(36).padStart(8, '0')}`;
    r.spotDeployment.name = `${r.spotDeployment.name}-${i % 400}`;
    r.namespace = `${r.namespace}-${i % 25}`;
    r.startTime = new Date(start - i * 60_000).toISOString();
    if (r.endTime) r.endTime = new Date(start - i * 60_000 + 180_000).toISOString();
    return r;
  });
  await page.route('**/api/v1/rollouts?*', async (route) => {
    const url = new URL(route.request().url());
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const from = Number(url.searchParams.get('cursor') ?? 0);
    const slice = items.slice(from, from + limit);
    const next = from + limit < items.length ? String(from + limit) : null;
    await route.fulfill({ json: { items: slice, summary: real.summary, total: items.length, nextCursor: next } });
  });

  const t0 = Date.now();
  await page.goto(`${server.url}rollouts?range=90d`);
  await page.waitForFunction((n) => document.querySelector('table')?.getAttribute('aria-rowcount') === String(n + 1), N, { timeout: 60_000 });
  const firstRender = Date.now() - t0;
  const domRows = await page.locator('tbody tr.rollouts-table__row').count();
  const longAtLoad = await longTasks(page);

  // Typing: each key, the time until the next painted frame (what a person feels).
  await page.getByRole('searchbox', { name: 'Search' }).focus();
  const keyTimes = await typeKeys(page, 'checkout 1');
  await page.waitForTimeout(400); // the debounced filter lands
  const filtered = Number(await page.locator('table').getAttribute('aria-rowcount')) - 1;
  const longWhileTyping = await longTasks(page);
  await page.getByRole('searchbox', { name: 'Search' }).fill('');
  await page.waitForTimeout(400);

  // Scrolling: 60 wheel notches (120 px), then 20 jumps of a screen (Page Down).
  const wheelTimes = await scroll(page, '.rollouts__scroll', 120, 60);
  const scrollTimes = await scroll(page, '.rollouts__scroll', 'screen', 20);
  const longWhileScrolling = await longTasks(page);

  report(`rollouts list, ${N} rollouts, Chromium headless, release wasm`, [
    ['first render (navigation to full table)', `${firstRender} ms; rows in the DOM: ${domRows}`],
    ['long tasks while loading', `${longs(longAtLoad)}`],
    ['keystroke to painted frame (search)', `${stats(keyTimes)}; ${filtered} rows match "checkout 1"`],
    ['long tasks while typing', `${longs(longWhileTyping)}`],
    ['wheel notch (120 px) to painted frame', `${stats(wheelTimes)}`],
    ['page down (a screen) to painted frame', `${stats(scrollTimes)}`],
    ['long tasks while scrolling', `${longs(longWhileScrolling)}`],
  ]);
} finally {
  await browser.close();
  server.stop();
}
