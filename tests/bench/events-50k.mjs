// Browser benchmark (figures, not a test): the Events tab of a rollout with 50,000 events in
// Chromium, the real console build served by the real server. The rollout's paged events
// endpoint is answered from 50,000 events derived from its own (every other request goes to the
// server). Measures the first render of the tab (its first page), paging on to the end, each keystroke of the events filter, scrolling, and
// long tasks (> 50 ms). Run: scripts/bench-browser.sh
import { launch, longTasks, longs, report, scroll, stats, typeKeys } from './measure.mjs';
import { startServer } from './server.mjs';

const N = Number(process.env.EVENTS ?? 50_000);
const server = await startServer();
const { browser, page } = await launch();
try {
  const list = await (await fetch(`${server.url}api/v1/rollouts?spotDeployment=checkout&limit=1`)).json();
  const id = list.items[0].id;
  const real = (await (await fetch(`${server.url}api/v1/rollouts/${id}/events?limit=1000`)).json()).events;
  const newest = Date.parse(real[0].lastTimestamp);
  const events = Array.from({ length: N }, (_, i) => {
    const e = structuredClone(real[i % real.length]);
    e.id = N - i;
    e.message = `${e.message} (#${N - i})`;
    e.firstTimestamp = e.lastTimestamp = new Date(newest - i * 1000).toISOString();
    return e;
  });
  // The endpoint is paged (`limit`, `cursor`): pages of the 50,000, the cursor an offset here.
  await page.route(`**/api/v1/rollouts/${id}/events?*`, (route) => {
    const url = new URL(route.request().url());
    const limit = Number(url.searchParams.get('limit') ?? 200);
    const from = Number(url.searchParams.get('cursor') ?? 0);
    const next = from + limit < N ? String(from + limit) : null;
    route.fulfill({ json: { events: events.slice(from, from + limit), nextCursor: next, total: N, pruned: 0, retentionLimit: N } });
  });
  const rowcount = () => page.evaluate(() => Number(document.querySelector('[aria-label="Kubernetes events"]')?.getAttribute('aria-rowcount') ?? 1) - 1);

  const t0 = Date.now();
  await page.goto(`${server.url}rollouts/${id}?tab=events`);
  const table = page.getByRole('table', { name: 'Kubernetes events' });
  await page.waitForFunction(() => Number(document.querySelector('[aria-label="Kubernetes events"]')?.getAttribute('aria-rowcount') ?? 1) > 1, null, { timeout: 60_000 });
  const firstRender = Date.now() - t0;
  const firstPage = await rowcount();
  const domRows = await table.getByRole('row').count();
  const longAtLoad = await longTasks(page);

  // Reading on: each jump to the end of the list loads the next page.
  const t1 = Date.now();
  for (let i = 0; i < 25; i++) {
    const before = await rowcount();
    await page.evaluate(() => { const el = document.querySelector('.events__body'); el.scrollTop = el.scrollHeight; });
    await page.waitForFunction((b) => Number(document.querySelector('[aria-label="Kubernetes events"]')?.getAttribute('aria-rowcount') ?? 1) - 1 > b, before, { timeout: 10_000 }).catch(() => {});
  }
  const paged = await rowcount();
  const pagingTime = Date.now() - t1;
  const longWhilePaging = await longTasks(page);

  await page.getByLabel('Filter events').focus();
  const keyTimes = await typeKeys(page, 'pulled');
  await page.waitForTimeout(400);
  const filtered = Number(await table.getAttribute('aria-rowcount')) - 1;
  const longWhileTyping = await longTasks(page);
  await page.getByLabel('Filter events').fill('');
  await page.waitForTimeout(400);

  const wheelTimes = await scroll(page, '.events__body', 120, 60);
  const screenTimes = await scroll(page, '.events__body', 'screen', 20);
  const longWhileScrolling = await longTasks(page);

  report(`events tab, ${N} events, Chromium headless, release wasm`, [
    ['first render (navigation to first page)', `${firstRender} ms; ${firstPage} of ${N} loaded, rows in the DOM: ${domRows}`],
    ['long tasks while loading', `${longs(longAtLoad)}`],
    ['25 jumps to the end (a page each)', `${pagingTime} ms; ${paged} of ${N} loaded`],
    ['long tasks while paging', `${longs(longWhilePaging)}`],
    ['keystroke to painted frame (filter)', `${stats(keyTimes)}; ${filtered} events match "pulled"`],
    ['long tasks while typing', `${longs(longWhileTyping)}`],
    ['wheel notch (120 px) to painted frame', `${stats(wheelTimes)}`],
    ['page down (a screen) to painted frame', `${stats(screenTimes)}`],
    ['long tasks while scrolling', `${longs(longWhileScrolling)}`],
  ]);
} finally {
  await browser.close();
  server.stop();
}
