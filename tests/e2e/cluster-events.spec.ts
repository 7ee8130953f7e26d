// Events of no rollout: each cluster's card links to a page of the cluster's events that belong
// to no rollout (a workload going live at its first revision), in the list the rollout's Events
// tab uses — newest first as the API answers, what retention removed, new ones live, the filter
// in the URL (without the rollout page's `tab`). An unknown cluster, a failed read and an empty
// list each say so.
import { test, expect, expectNoSeriousA11yViolations, startServer, type Server } from './fixtures';
import type { Page } from '@playwright/test';

interface ApiEvent {
  id: number;
  rolloutId: string | null;
  clusterId: string;
  reason: string;
  object: string;
  message: string;
}
interface EventPage {
  events: ApiEvent[];
  nextCursor: string | null;
  total: number;
  pruned: number;
  retentionLimit: number;
}

const LIMIT = 100;
const table = (page: Page) => page.getByRole('table', { name: 'Kubernetes events' });
/** The row of the `n`-th event shown (0 = newest); the header is row 1. */
const row = (page: Page, n: number) => table(page).locator(`[role="row"][aria-rowindex="${n + 2}"]`);
const count = (page: Page) => page.locator('.app-view__count');
const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const fmt = (n: number) => n.toLocaleString('en-US');

async function expectRows(page: Page, events: ApiEvent[]): Promise<void> {
  for (const [i, e] of events.entries()) {
    await expect(row(page, i).getByRole('cell').nth(2)).toHaveText(e.reason);
    await expect(row(page, i).getByRole('cell').nth(3)).toHaveText(e.object);
    await expect(row(page, i).getByRole('cell').nth(4)).toHaveText(e.message);
  }
}

test.describe('with retention', () => {
  let server: Server;
  test.beforeAll(async () => {
    server = await startServer(['--max-events-per-rollout', String(LIMIT)]);
  });
  test.afterAll(() => server.stop());

  test("a cluster's card opens its events outside rollouts, newest first as the API has them, with what retention removed", async ({
    page,
  }) => {
    const api = await server.api<EventPage>('/clusters/prod-us-east/events?limit=1000');
    expect(api.events.length).toBe(api.total);
    expect(api.events.every((e) => e.rolloutId === null && e.clusterId === 'prod-us-east')).toBe(true);
    expect(api.total).toBe(LIMIT);
    expect(api.pruned).toBeGreaterThan(0);

    await page.goto(`${server.url}clusters`);
    const card = page.getByRole('listitem', { name: 'Production US East' });
    await card.getByRole('link', { name: 'Events outside rollouts' }).click();
    await expect(page).toHaveURL(/\/clusters\/prod-us-east\/events$/);
    await expect(h1(page)).toHaveText('Events of Production US East that belong to no rollout');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clusters' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await expect(count(page)).toHaveText(`${fmt(api.total)} events`);
    await expect(table(page)).toHaveAttribute('aria-rowcount', String(api.total + 1));
    await expectRows(page, api.events.slice(0, 8));
    await expect(page.getByTestId('events-retention')).toHaveText(
      `${fmt(api.pruned)} older ${api.pruned === 1 ? 'event was' : 'events were'} removed by retention (limit ${fmt(LIMIT)}).`,
    );
    await expectNoSeriousA11yViolations(page);

    // The filter is kept in the URL, without the rollout page's tab; a reload keeps it.
    const search = page.getByRole('searchbox', { name: 'Filter events' });
    await search.fill('user-profile');
    await expect(page).toHaveURL(/\/clusters\/prod-us-east\/events\?q=user-profile$/);
    const matching = api.events.filter((e) => /user-profile/i.test(`${e.reason} ${e.object} ${e.message}`));
    expect(matching.length).toBeGreaterThan(0);
    await expect(count(page)).toHaveText(new RegExp(`^${matching.length} of ${fmt(api.total)} events`));
    await page.reload();
    await expect(search).toHaveValue('user-profile');
    await expectRows(page, matching.slice(0, 3));

    // Back to the card, by keyboard.
    const crumb = page.locator('.workload__crumbs').getByRole('link', { name: 'Clusters' });
    await crumb.focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/clusters#cluster-prod-us-east$/);
  });
});

test('a workload going live at its first revision adds its events on top, live', async ({ page, freshServer }) => {
  const before = await freshServer.api<EventPage>('/clusters/prod-us-east/events?limit=1');
  await freshServer.api('/clusters/staging-eu/events?limit=1');
  await page.goto(`${freshServer.url}clusters/prod-us-east/events`);
  await expect(count(page)).toHaveText(`200 of ${fmt(before.total)} events loaded`);
  await expectRows(page, before.events);

  // A new SpotDeployment: revision 1 goes live without a rollout.
  const m = await freshServer.api<{ yaml: string }>('/workloads/prod-us-east/storefront/catalog/manifest');
  const yaml = m.yaml
    .replace('name: catalog\n', 'name: catalog-first\n')
    .replace('  annotations:\n', '  annotations:\n    oceancd.spot.io/cluster-id: prod-us-east\n');
  const applied = await freshServer.apply(yaml);
  expect(applied.rolloutsStarted).toEqual([]);
  const after = await freshServer.api<EventPage>('/clusters/prod-us-east/events?limit=3');
  expect(after.total).toBeGreaterThan(before.total);
  expect(after.events[0].object).toContain('catalog-first');

  await expectRows(page, after.events);
  await expect(count(page)).toHaveText(
    `${fmt(200 + after.total - before.total)} of ${fmt(after.total)} events loaded`,
  );
  // Another cluster's page does not show them.
  await page.goto(`${freshServer.url}clusters/staging-eu/events`);
  await expect(h1(page)).toHaveText('Events of Staging EU West that belong to no rollout');
  await expect(table(page)).toBeVisible();
  await expect(table(page)).not.toContainText('catalog-first');
});

test('an unknown cluster says so, with the way back to Clusters', async ({ page, server }) => {
  await page.goto(`${server.url}clusters/no-such-cluster/events`);
  await expect(h1(page)).toHaveText('Cluster not found');
  await expect(page.getByText('There is no cluster with the ID no-such-cluster.', { exact: false })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('link', { name: 'Go to the clusters' }).click();
  await expect(page).toHaveURL(/\/clusters$/);
  await expect(h1(page)).toHaveText('Clusters');
});

test('a failed read says why and Retry reads again; a cluster without such events says so', async ({
  page,
  server,
}) => {
  let answer: 'fail' | 'empty' = 'fail';
  await page.route('**/api/v1/clusters/staging-eu/events**', (route) =>
    answer === 'fail'
      ? route.fulfill({ status: 500, json: { message: 'the store is unavailable' } })
      : route.fulfill({ json: { events: [], nextCursor: null, total: 0, pruned: 0, retentionLimit: 5000 } }),
  );
  await page.goto(`${server.url}clusters/staging-eu/events`);
  await expect(h1(page)).toHaveText('Events of Staging EU West that belong to no rollout');
  const alert = page.getByRole('alert').filter({ hasText: "The cluster's events could not be read" });
  await expect(alert).toContainText('the store is unavailable (HTTP 500)');
  await expectNoSeriousA11yViolations(page);
  answer = 'empty';
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(alert).toHaveCount(0);
  await expect(page.getByText('No events outside rollouts on this cluster yet', { exact: false })).toBeVisible();
  await expect(table(page)).toBeHidden();
  await expectNoSeriousA11yViolations(page);
});
