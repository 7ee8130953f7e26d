// The rollouts list page (/rollouts) against the real server with demo data: summary, filters,
// search, sort, keyboard, navigation with the filter kept, live updates, empty states, a11y.
import type { Page } from '@playwright/test';
import { test, expect, expectNoSeriousA11yViolations, startServer, type Server } from './fixtures';

interface ListAnswer {
  items: { id: string; status: string; clusterId: string; namespace: string; spotDeployment: { name: string } }[];
  total: number;
  summary: {
    attentionNeeded: number;
    incidentsPrevented: number;
    successful: number;
    total: number;
    successRate: number;
  };
}

/** Every rollout the server has (the demo's history is within the last week). */
const everything = '/rollouts?from=1970-01-01T00:00:00Z&limit=10000';

const table = (page: Page) => page.getByRole('table', { name: 'Rollouts' });

/** The number of rows the table says it has (virtualized: not all are in the DOM). */
async function rowCount(page: Page): Promise<number> {
  const n = await table(page).getAttribute('aria-rowcount');
  return Number(n) - 1;
}

/** The cells of the body rows rendered now, as text per row. */
async function renderedRows(page: Page): Promise<string[][]> {
  return table(page)
    .locator('tbody tr.rollouts-table__row')
    .evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent?.trim() ?? '')));
}

/** A figure of the summary line by its label. */
const figure = (page: Page, label: string) =>
  page.locator('.summary-bar__item').filter({ has: page.getByText(label, { exact: true }) }).locator('dd');

test('the summary line and the rows agree with the API', async ({ page, server }) => {
  const all = await server.api<ListAnswer>(everything);
  expect(all.total).toBeGreaterThan(40);
  await page.goto('/rollouts?range=30d');
  await expect(table(page)).toBeVisible();
  expect(await rowCount(page)).toBe(all.total);
  const s = all.summary;
  await expect(figure(page, 'Attention needed')).toHaveText(String(s.attentionNeeded));
  await expect(figure(page, 'Incidents prevented')).toHaveText(String(s.incidentsPrevented));
  await expect(figure(page, 'Successful')).toHaveText(`${s.successful}/${s.total} · ${Math.round(s.successRate)}%`);
  // Every row's first cell: a status icon named by its state and a link named by the SpotDeployment.
  const first = table(page).locator('tbody tr.rollouts-table__row').first();
  await expect(first.getByRole('img').first()).toHaveAttribute('aria-label', /^(In progress|Paused|Rolled back|Successful|Canceled|Invalid spec|Failed)$/);
  const name = (await first.locator('a.rollouts-table__link').textContent())!.trim();
  await expect(first.getByRole('link', { name, exact: true })).toHaveAttribute('href', /^\/rollouts\/rol-[a-z0-9]{8}$/);
});

test('filters narrow the list, recompute the summary and live in the URL', async ({ page, server }) => {
  await page.goto('/rollouts?range=30d');
  await expect(table(page)).toBeVisible();

  await page.getByLabel('Status').selectOption('paused');
  await expect(page).toHaveURL(/status=paused/);
  const paused = await server.api<ListAnswer>(`${everything}&status=paused`);
  expect(paused.total).toBeGreaterThan(1);
  await expect.poll(() => rowCount(page)).toBe(paused.total);
  // Each row says which pause it is in ("Paused", "Failure policy paused"); its icon names the group.
  for (const row of await renderedRows(page)) expect(row[1]).toMatch(/paused/i);
  for (const icon of await table(page).locator('tbody tr.rollouts-table__row td:first-child [role="img"]').all()) {
    await expect(icon).toHaveAttribute('aria-label', 'Paused');
  }
  await expect(figure(page, 'Attention needed')).toHaveText(String(paused.summary.attentionNeeded));

  await page.getByLabel('Cluster').selectOption('prod-us-east');
  await expect(page).toHaveURL(/clusterId=prod-us-east/);
  const narrowed = await server.api<ListAnswer>(`${everything}&status=paused&clusterId=prod-us-east`);
  await expect.poll(() => rowCount(page)).toBe(narrowed.total);
  for (const row of await renderedRows(page)) expect(row[6]).toBe('prod-us-east');

  // The filtered view is a link: a reload restores it, controls included.
  await page.reload();
  await expect(page.getByLabel('Status')).toHaveValue('paused');
  await expect(page.getByLabel('Cluster')).toHaveValue('prod-us-east');
  await expect.poll(() => rowCount(page)).toBe(narrowed.total);

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).not.toHaveURL(/status=|clusterId=/);
  await expect(page.getByLabel('Status')).toHaveValue('');
});

test('the search finds rollouts by name, image or id, and "/" focuses it', async ({ page, server }) => {
  await page.goto('/rollouts?range=30d');
  await expect(table(page)).toBeVisible();
  await page.locator('body').press('/');
  const search = page.getByRole('searchbox', { name: 'Search' });
  await expect(search).toBeFocused();

  await search.fill('checkout');
  await expect(page).toHaveURL(/q=checkout/);
  const found = await server.api<ListAnswer>(`${everything}&q=checkout`);
  await expect.poll(() => rowCount(page)).toBe(found.total);
  for (const row of await renderedRows(page)) expect(row.join(' ').toLowerCase()).toContain('checkout');

  // An id finds exactly its rollout.
  const cart = await server.rolloutByName('cart');
  await search.fill(cart.id);
  await expect.poll(() => rowCount(page)).toBe(1);
  await expect(table(page).getByRole('link', { name: 'cart', exact: true })).toBeVisible();

  // Nothing found: the page says so and offers the way out.
  await search.fill('no-such-workload-anywhere');
  await expect(page.getByRole('heading', { name: 'No rollouts match these filters' })).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await expect(search).toHaveValue('');
  await expect(table(page)).toBeVisible();
});

test('columns sort both ways and the sort is kept in the URL', async ({ page }) => {
  await page.goto('/rollouts?range=30d');
  const header = page.getByRole('columnheader', { name: 'SpotDeployment' });
  await expect(header).toHaveAttribute('aria-sort', 'none');
  await header.getByRole('button').click();
  await expect(page).toHaveURL(/sort=spotDeployment/);
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  const names = (await renderedRows(page)).map((r) => r[0]);
  expect(names.length).toBeGreaterThan(5);
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));

  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect(page).toHaveURL(/dir=desc/);
  const reversed = (await renderedRows(page)).map((r) => r[0]);
  expect(reversed).toEqual([...reversed].sort((a, b) => b.localeCompare(a)));

  // Start (the default) is newest first.
  await page.getByRole('columnheader', { name: 'Start' }).getByRole('button').click();
  await expect(page.getByRole('columnheader', { name: 'Start' })).toHaveAttribute('aria-sort', 'descending');
  const times = await table(page)
    .locator('tbody tr.rollouts-table__row time')
    .evaluateAll((ts) => ts.map((t) => Date.parse(t.getAttribute('datetime')!)));
  expect(times).toEqual([...times].sort((a, b) => b - a));
});

test('a row opens its rollout, and Back returns to the same filtered list', async ({ page, server }) => {
  const cart = await server.rolloutByName('cart');
  await page.goto('/rollouts?range=30d');
  await page.getByLabel('Status').selectOption('paused');
  await page.getByRole('searchbox', { name: 'Search' }).fill('cart');
  await expect(page).toHaveURL(/q=cart/);
  // In-app navigation: the page is not reloaded (the marker survives).
  await page.evaluate(() => ((window as any).__sameDocument = true));
  await table(page).getByRole('link', { name: 'cart', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/rollouts/${cart.id}$`));
  await expect(page.getByRole('heading', { level: 1 }).first()).toContainText('cart');
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);

  await page.goBack();
  await expect(page).toHaveURL(/status=paused/);
  await expect(page).toHaveURL(/q=cart/);
  await expect(page.getByLabel('Status')).toHaveValue('paused');
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue('cart');
  await expect(table(page).getByRole('link', { name: 'cart', exact: true })).toBeVisible();
});

test('the keyboard moves between rows and Enter opens one', async ({ page }) => {
  await page.goto('/rollouts?range=30d&sort=spotDeployment');
  const links = table(page).locator('a.rollouts-table__link');
  await links.first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(links.nth(1)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(links.nth(2)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(links.nth(1)).toBeFocused();
  // End goes to the last row even though it was not rendered yet (virtualized).
  await page.keyboard.press('End');
  const total = await rowCount(page);
  await expect(table(page).locator(`a.rollouts-table__link[data-pos="${total - 1}"]`)).toBeFocused();
  await page.keyboard.press('Home');
  await expect(table(page).locator('a.rollouts-table__link[data-pos="0"]')).toBeFocused();
  const href = await links.first().getAttribute('href');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`${href}$`));
});

/** A workload of its own, so the live test changes nothing the other tests look at. */
const liveApp = (image: string) => `
apiVersion: v1
kind: Service
metadata: { name: e2e-live-stable, namespace: e2e }
spec: { selector: { app: e2e-live }, ports: [{ port: 8080 }] }
---
apiVersion: v1
kind: Service
metadata: { name: e2e-live-canary, namespace: e2e }
spec: { selector: { app: e2e-live }, ports: [{ port: 8080 }] }
---
apiVersion: spot.io/v1beta1
kind: Strategy
name: e2e-hold
canary:
  steps:
    - name: half
      setWeight: 50
      pause: {}
    - name: everyone
      setWeight: 100
---
apiVersion: spot.io/v1beta1
kind: RolloutSpec
name: e2e-live-rollout
spotDeployment: { clusterId: prod-us-east, namespace: e2e, name: e2e-live }
strategy: { name: e2e-hold }
traffic: { stableService: e2e-live-stable, canaryService: e2e-live-canary }
failurePolicy: { action: abort }
---
apiVersion: spot.io/v1beta1
kind: SpotDeployment
metadata: { name: e2e-live, namespace: e2e }
spec:
  replicas: 2
  selector: { matchLabels: { app: e2e-live } }
  template:
    metadata: { labels: { app: e2e-live } }
    spec:
      containers:
        - name: app
          image: ${image}
`;

test('a new rollout and its status changes arrive live, without a reload', async ({ page, freshServer }) => {
  await freshServer.apply(liveApp('registry.example.com/e2e/live:1.0.0'));
  await page.goto(`${freshServer.url}rollouts?range=30d&q=e2e-live`);
  await expect(page.getByRole('heading', { name: 'No rollouts match these filters' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

  const applied = await freshServer.apply(liveApp('registry.example.com/e2e/live:2.0.0'));
  expect(JSON.stringify(applied)).toContain('rol-');
  const row = table(page).getByRole('row').filter({ has: page.getByRole('link', { name: 'e2e-live', exact: true }) });
  await expect(row).toBeVisible();
  await expect(row.getByRole('cell').nth(2)).toHaveText(/live:2\.0\.0/);

  // The rollout reaches its pause without a reload: the clock moves, the stream carries it.
  await freshServer.advance(120);
  await expect(row.getByRole('cell').nth(1)).toHaveText('Paused');
  await expect(row.getByRole('img').first()).toHaveAttribute('aria-label', 'Paused');
  const rollout = await freshServer.rolloutByName('e2e-live');
  const res = await freshServer.post(`/rollouts/${rollout.id}/actions`, { action: 'promoteFull' });
  expect(res.status).toBe(200);
  await freshServer.advance(120);
  await expect(row.getByRole('cell').nth(1)).toHaveText('Successful');
});

test('the live indicator tells when the server goes away', async ({ page }) => {
  const server: Server = await startServer();
  try {
    await page.goto(`${server.url}rollouts`);
    const indicator = page.getByRole('status').filter({ hasText: /^(Live|Reconnecting|Offline|Connecting)/ });
    await expect(indicator).toHaveText(/Live/);
    server.stop();
    await expect(indicator).toHaveText(/Reconnecting|Offline/, { timeout: 20_000 });
  } finally {
    server.stop();
  }
});

test('the list has no serious accessibility violation', async ({ page }) => {
  await page.goto('/rollouts?range=30d');
  await expect(table(page)).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('searchbox', { name: 'Search' }).fill('no-such-workload-anywhere');
  await expect(page.getByRole('heading', { name: 'No rollouts match these filters' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});
