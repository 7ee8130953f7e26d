// Bounded history that never hides anything: the Events tab reads the newest page, older ones
// as the list is scrolled to its end or "Load older events" is pressed, says how many are
// loaded of how many, exports every event (all pages), and says how many older events the
// server's retention removed. And the page-wide alert when the controller has stopped.
import { test, expect, expectNoSeriousA11yViolations, startServer, type Server } from './fixtures';
import type { Locator, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

const LIMIT = 400;

interface EventPage {
  events: { id: number }[];
  nextCursor: string | null;
  total: number;
  pruned: number;
  retentionLimit: number;
}

const panel = (page: Page) => page.getByRole('tabpanel', { name: 'Events' });
const table = (page: Page) => page.getByRole('table', { name: 'Kubernetes events' });
const count = (page: Page) => panel(page).locator('.app-view__count');
const loadOlder = (page: Page) => panel(page).getByRole('button', { name: 'Load older events' });

/** A new revision of the demo's `catalog` with 100 replicas: a rollout with ~300 events. */
async function bigRollout(server: Server): Promise<string> {
  const m = await server.api<{ yaml: string }>('/workloads/prod-us-east/storefront/catalog/manifest');
  const yaml = m.yaml.replace(/replicas: \d+/, 'replicas: 100').replace(/(image: [^\s:]+:)\S+/, '$19.9.9');
  const applied = await server.apply(yaml);
  return applied.rolloutsStarted[0];
}

async function firstPage(server: Server, id: string): Promise<EventPage> {
  return server.api<EventPage>(`/rollouts/${id}/events?limit=1`);
}

async function exportCsv(page: Page, scope: Locator): Promise<string> {
  const button = scope.getByRole('button', { name: /^Export/ });
  await button.click();
  const item = scope.getByRole('menuitem', { name: /^CSV/ });
  const [download] = await Promise.all([page.waitForEvent('download'), item.click()]);
  return readFileSync((await download.path())!, 'utf8');
}

const fmt = (n: number) => n.toLocaleString('en-US');

test.describe('event history', () => {
  let server: Server;
  test.beforeAll(async () => {
    server = await startServer(['--max-events-per-rollout', String(LIMIT)]);
  });
  test.afterAll(() => server.stop());

  test('pages load as the list scrolls or on request; counts say loaded of total; export reads every page; retention is said', async ({ page }) => {
    const id = await bigRollout(server);
    let p = await firstPage(server, id);
    for (let i = 0; i < 60 && p.total <= 200; i++) {
      await server.advance(10);
      p = await firstPage(server, id);
    }
    expect(p.total).toBeGreaterThan(200);
    expect(p.total).toBeLessThanOrEqual(LIMIT);
    await page.goto(`${server.url}rollouts/${id}`);

    // The newest 200 first, and it says so.
    await expect(count(page)).toHaveText(`200 of ${fmt(p.total)} events loaded`);
    await expect(table(page)).toHaveAttribute('aria-rowcount', '201');
    await expect(panel(page).getByRole('status').filter({ hasText: 'events loaded' })).toHaveText(
      `200 of ${fmt(p.total)} events loaded.`,
    );
    await expect(loadOlder(page)).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    // Scrolling to the end reads the next page.
    await panel(page).locator('.events__body').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect(count(page)).toHaveText(`${fmt(p.total)} events`);
    await expect(table(page)).toHaveAttribute('aria-rowcount', String(p.total + 1));
    await expect(loadOlder(page)).toBeHidden();
    const notice = panel(page).getByTestId('events-retention');
    const said = (pruned: number) =>
      `${fmt(pruned)} older ${pruned === 1 ? 'event was' : 'events were'} removed by retention (limit ${fmt(LIMIT)}).`;
    if (p.pruned === 0) await expect(notice).toHaveCount(0);
    else await expect(notice).toHaveText(said(p.pruned));

    // Time passes: more events than the server keeps; the oldest go and it says how many.
    const before = p.pruned;
    await server.advance(900);
    p = await firstPage(server, id);
    expect(p.total).toBe(LIMIT);
    expect(p.pruned).toBeGreaterThan(before);
    await page.reload();
    await expect(count(page)).toHaveText(`200 of ${fmt(LIMIT)} events loaded`);

    // An export holds every event the server keeps, not only the loaded page.
    const csv = await exportCsv(page, panel(page));
    const rows = csv.trimEnd().split('\r\n');
    expect(rows.length).toBe(LIMIT + 1);
    await expect(count(page)).toHaveText(`${fmt(LIMIT)} events`);

    // Loaded to the end: the footer says what retention removed.
    await expect(notice).toHaveText(said(p.pruned));
    await expectNoSeriousA11yViolations(page);

    // The button reads a page too.
    await page.reload();
    await expect(count(page)).toHaveText(`200 of ${fmt(LIMIT)} events loaded`);
    await loadOlder(page).click();
    await expect(count(page)).toHaveText(`${fmt(LIMIT)} events`);
    await expect(notice).toBeVisible();
    await notice.scrollIntoViewIfNeeded();
    if (process.env.APPVIEW_SHOTS) await panel(page).screenshot({ path: '/tmp/shots/events-retention.png' });
  });
});

test('a controller stopped on an error is an alert on every page until it runs again', async ({ page, server }) => {
  // The server reports it in /health (crates/server/tests/supervision.rs provokes it for real);
  // here the browser is given that report, then the recovered one.
  let stopped = true;
  await page.route('**/api/v1/health', async (route) => {
    const res = await route.fetch();
    const h = await res.json();
    if (stopped) {
      h.tick = {
        ...h.tick,
        errors: 3,
        lastError: 'index out of bounds: the len is 3 but the index is 7',
        lastErrorAt: '2026-11-20T10:41:59Z',
        controllerError: { message: 'index out of bounds: the len is 3 but the index is 7', since: '2026-11-20T10:41:59Z' },
      };
    }
    await route.fulfill({ response: res, json: h });
  });
  await page.goto(`${server.url}rollouts`);
  const alert = page.locator('[data-banner=controller]');
  await expect(alert).toHaveAttribute('role', 'alert');
  await expect(alert).toContainText('The controller stopped on an error at 10:41:59 UTC — rollouts are not advancing');
  await expect(alert).toContainText('index out of bounds: the len is 3 but the index is 7. Nothing moves');
  await expectNoSeriousA11yViolations(page);
  if (process.env.APPVIEW_SHOTS) await page.screenshot({ path: '/tmp/shots/controller-banner.png' });

  await page.getByRole('link', { name: 'Workloads' }).first().click();
  await expect(page).toHaveURL(/\/workloads/);
  await expect(alert).toBeVisible();

  // It runs again: the alert goes with the next reading of /health.
  stopped = false;
  await expect(alert).toHaveCount(0, { timeout: 15_000 });
});
