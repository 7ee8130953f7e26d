// Workloads, the Detailed Workload page, Clusters and the Attention inbox, against the real
// server with demo data (docs/contract.md): payments-api is Degraded (a crash loop rolled back),
// staging-eu's operator stopped while reporting ran and before ingest was applied, search waits
// for Promote, inventory is held by its failure policy, notifications has an invalid spec and
// user-profile's verification gets no data.
// Tests that change state get their own server (`freshServer`).
import type { Page } from '@playwright/test';
import { test, expect, expectNoSeriousA11yViolations, type Server } from './fixtures';

interface ApiRevision {
  revision: number;
  image: string;
  rolloutId: string | null;
  status: string | null;
  labels: string[];
}
interface ApiWorkload {
  clusterId: string;
  namespace: string;
  name: string;
  kind: string;
  container: string;
  replicas: { desired: number; ready: number };
  desiredRevision: number;
  liveRevision: number;
  degraded: boolean;
  revisions: ApiRevision[];
}
interface ApiCluster {
  id: string;
  name: string;
  lastHeartbeatTime: string | null;
  heartbeatStale: boolean;
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

async function workload(server: Server, name: string): Promise<ApiWorkload> {
  const all = await server.api<ApiWorkload[]>('/workloads');
  const w = all.find((x) => x.name === name);
  if (!w) throw new Error(`no workload ${name}`);
  return w;
}

const workloadPath = (w: ApiWorkload) => `workloads/${w.clusterId}/${w.namespace}/${w.name}`;

/** The revision history's row of one revision. */
const revisionRow = (page: Page, revision: number) =>
  page.getByRole('table', { name: 'Revision history' }).locator(`tr[data-revision="${revision}"]`);

test('each page opens from the navigation, and each has a deep link', async ({ page, server }) => {
  await page.goto('/');
  await nav(page).getByRole('link', { name: 'Workloads' }).click();
  await expect(page).toHaveURL(/\/workloads$/);
  await expect(h1(page)).toHaveText('Workloads');
  const all = await server.api<ApiWorkload[]>('/workloads');
  await expect(page.getByText(`${all.length} workloads`, { exact: true })).toBeVisible();

  await nav(page).getByRole('link', { name: 'Clusters' }).click();
  await expect(page).toHaveURL(/\/clusters$/);
  await expect(h1(page)).toHaveText('Clusters');
  const clusters = await server.api<ApiCluster[]>('/clusters');
  for (const c of clusters) {
    await expect(page.getByRole('heading', { level: 2, name: c.name })).toBeVisible();
  }

  await nav(page).getByRole('link', { name: /^Attention/ }).click();
  await expect(page).toHaveURL(/\/attention$/);
  await expect(h1(page)).toHaveText('Attention');

  // Deep links load each page directly (the server answers every console route with the app).
  const payments = await workload(server, 'payments-api');
  for (const [path, heading] of [
    ['workloads?status=degraded', 'Workloads'],
    [workloadPath(payments), 'payments-api'],
    ['clusters', 'Clusters'],
    ['attention', 'Attention'],
  ]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    await expect(h1(page)).toHaveText(heading);
  }
});

test('the workloads list shows one row per workload, filters in the URL and opens rows by keyboard', async ({
  page,
  server,
}) => {
  const all = await server.api<ApiWorkload[]>('/workloads');
  await page.goto('/workloads');
  const table = page.getByRole('table', { name: 'Workloads' });
  await expect(table.getByRole('row')).toHaveCount(all.length + 1);

  // One row: name, status, type, cluster, namespace, live image, ready pods, revisions.
  const payments = all.find((w) => w.name === 'payments-api')!;
  const live = payments.revisions.find((r) => r.revision === payments.liveRevision)!;
  const row = table.getByRole('row').filter({ has: page.getByRole('link', { name: 'payments-api', exact: true }) });
  await expect(row.getByRole('img', { name: 'Degraded' })).toBeVisible();
  await expect(row.getByRole('cell').nth(1)).toHaveText('Degraded');
  await expect(row.getByRole('cell').nth(2)).toHaveText('SpotDeployment');
  await expect(row.getByRole('cell').nth(3)).toHaveText(payments.clusterId);
  await expect(row.getByRole('cell').nth(4)).toHaveText(payments.namespace);
  await expect(row.getByRole('cell').nth(5)).toHaveAttribute('title', live.image);
  await expect(row.getByRole('cell').nth(7)).toHaveText(`${payments.replicas.ready}/${payments.replicas.desired}`);
  await expect(row.getByRole('cell').nth(8)).toHaveText(String(payments.revisions.length));

  // Filters and search live in the URL.
  await page.getByLabel('Status').selectOption({ label: 'Degraded' });
  await expect(page).toHaveURL(/status=degraded/);
  const degraded = all.filter((w) => w.degraded);
  await expect(table.getByRole('row')).toHaveCount(degraded.length + 1);
  await page.getByLabel('Status').selectOption({ label: 'All statuses' });
  await page.getByRole('searchbox', { name: 'Search' }).fill('staging');
  await expect(page).toHaveURL(/q=staging/);
  const staging = all.filter((w) => w.clusterId.includes('staging'));
  await expect(table.getByRole('row')).toHaveCount(staging.length + 1);
  await page.goBack();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(table.getByRole('row')).toHaveCount(all.length + 1);

  // Sorting by a column sets aria-sort; a second click reverses.
  const header = page.getByRole('columnheader', { name: 'Revisions' });
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect(page).toHaveURL(/sort=revisions/);
  const most = Math.max(...all.map((w) => w.revisions.length));
  await expect(table.getByRole('row').nth(1).getByRole('cell').nth(8)).toHaveText(String(most));

  // Keyboard: ↓ moves between rows, End to the last, Enter opens.
  const links = table.locator('a[data-pos]');
  await links.first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(links.nth(1)).toBeFocused();
  await page.keyboard.press('End');
  await expect(links.last()).toBeFocused();
  const name = await links.last().textContent();
  await page.keyboard.press('Enter');
  await expect(h1(page)).toHaveText(name!);
  await expectNoSeriousA11yViolations(page);
});

test('a Degraded workload shows Desired, Live and Degraded and the way out, then its removal live', async ({
  page,
  freshServer,
}) => {
  const w = await workload(freshServer, 'payments-api');
  expect(w.degraded).toBe(true);
  const desired = w.revisions.find((r) => r.revision === w.desiredRevision)!;
  const live = w.revisions.find((r) => r.revision === w.liveRevision)!;
  await page.goto(`${freshServer.url}${workloadPath(w)}`);
  await expect(h1(page)).toHaveText('payments-api');
  await expect(page.getByRole('img', { name: 'Degraded' }).first()).toBeVisible();

  // The three labels on the right revisions.
  await expect(revisionRow(page, desired.revision)).toContainText('Desired');
  await expect(revisionRow(page, desired.revision)).toContainText('Degraded');
  await expect(revisionRow(page, desired.revision)).toContainText(/rolled back/i);
  await expect(revisionRow(page, desired.revision).getByRole('link')).toHaveAttribute('href', `/rollouts/${desired.rolloutId}`);
  await expect(revisionRow(page, live.revision)).toContainText('Live');
  await expect(revisionRow(page, live.revision)).not.toContainText('Desired');
  const others = w.revisions.filter((r) => r.revision !== desired.revision && r.revision !== live.revision);
  for (const r of others) {
    await expect(revisionRow(page, r.revision).locator('.revision-label')).toHaveCount(0);
  }

  // The banner explains and gives the commands for this workload.
  const banner = page.locator('[data-banner="degraded"]');
  await expect(banner).toContainText('Degraded: the latest rollout was rolled back');
  await expect(banner).toContainText(`revision ${live.revision}`);
  await expect(banner.getByRole('heading', { name: 'Apply the live version again' })).toBeVisible();
  await expect(banner.getByRole('heading', { name: 'Apply a new version' })).toBeVisible();
  const port = new URL(freshServer.url).origin;
  await expect(banner.locator('code').first()).toHaveText(
    `rollout-server set-image ${w.namespace}/${w.name} ${w.container}=${live.image} --cluster ${w.clusterId} --server ${port}`,
  );
  // It is in the attention inbox too, with the way to act.
  await expect(page.getByRole('region', { name: 'Needs attention' }).getByText('Degraded', { exact: true })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // Apply the live version again through the API: the page says so without a reload.
  const marker = await page.evaluate(() => ((window as any).__noReload = 'still here'));
  const manifests = await freshServer.api<{ oldManifest: string; oldVersion: number }>(
    `/rollouts/${desired.rolloutId}/manifests`,
  );
  expect(manifests.oldVersion).toBe(live.revision);
  const applied = await freshServer.apply(manifests.oldManifest);
  expect(applied.messages.join('\n')).toContain(`Degraded removed from ${w.namespace}/${w.name}`);

  const notice = page.locator('[data-banner="degraded-removed"]');
  await expect(notice).toContainText(
    `Applied: Degraded removed — revision ${live.revision} (${live.image.split('/').pop()}) is desired and live again.`,
  );
  await expect(notice).toHaveAttribute('role', 'status');
  await expect(page.locator('[data-banner="degraded"]')).toHaveCount(0);
  await expect(revisionRow(page, live.revision)).toContainText('Desired');
  await expect(revisionRow(page, live.revision)).toContainText('Live');
  await expect(revisionRow(page, desired.revision).locator('.revision-label')).toHaveCount(0);
  await expect(page.getByRole('img', { name: 'Healthy' }).first()).toBeVisible();
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(marker);
});

test('an invalid spec shows on its workload with what to fix', async ({ page, server }) => {
  const w = await workload(server, 'notifications');
  const active = w.revisions.find((r) => r.status === 'invalidSpec')!;
  const detail = await server.api<{ conditions: { invalidSpec: string } }>(`/rollouts/${active.rolloutId}`);
  await page.goto(workloadPath(w));
  const banner = page.locator('[data-banner="invalid-spec"]');
  await expect(banner).toContainText(detail.conditions.invalidSpec);
  await expect(banner.getByRole('link', { name: 'Open the rollout' })).toHaveAttribute('href', `/rollouts/${active.rolloutId}`);
  // The trend lists its rollouts with outcome and duration.
  const trend = page.getByRole('table', { name: 'Recent rollouts' });
  await expect(trend.getByRole('link', { name: active.rolloutId! })).toBeVisible();
});

test('a stopped operator shows heartbeat lost on /clusters and in /attention, live', async ({ page, freshServer }) => {
  const clusters = await freshServer.api<ApiCluster[]>('/clusters');
  const prod = clusters.find((c) => c.id === 'prod-us-east')!;
  expect(prod.heartbeatStale).toBe(false);
  await page.goto(`${freshServer.url}clusters`);
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: prod.name }) });
  await expect(card).toContainText('Healthy');

  const res = await freshServer.post(`/clusters/${prod.id}/operator`, { running: false });
  expect(res.status).toBe(200);
  await freshServer.advance(150);
  const after = (await freshServer.api<ApiCluster[]>('/clusters')).find((c) => c.id === prod.id)!;
  expect(after.heartbeatStale).toBe(true);

  await expect(card).toContainText('Heartbeat lost');
  await expect(card).toContainText('since');
  const banner = card.locator('[data-banner="heartbeat-lost"]');
  await expect(banner).toContainText('The operator is not reporting');
  await expect(banner).toContainText("Read the operator's logs");
  await expect(card.locator('dd').filter({ hasText: 'UTC' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // The inbox lists it, with how long it has waited; the navigation count follows.
  await nav(page).getByRole('link', { name: /^Attention/ }).click();
  const item = page.getByRole('listitem').filter({ hasText: prod.name });
  await expect(item).toContainText('Heartbeat lost');
  await expect(item).toContainText(/waiting \d/);
  await expect(item.getByRole('link', { name: `Open the cluster: ${prod.name}` })).toHaveAttribute(
    'href',
    `/clusters#cluster-${prod.id}`,
  );
});

test('the attention inbox lists what waits for a person, each with why, age and a link', async ({ page, server }) => {
  await page.goto('/attention');
  const items = page.locator('.attention__item');
  // The demo's named states: one of each kind.
  const expectations: [string, string, RegExp][] = [
    ['search', 'Awaiting promote', /\/rollouts\/rol-/],
    ['inventory', 'Failure policy paused', /\/rollouts\/rol-/],
    ['notifications', 'Invalid spec', /\/rollouts\/rol-/],
    ['payments-api', 'Degraded', /\/workloads\/prod-us-east\/payments\/payments-api/],
    ['user-profile', 'Verification without data', /\/rollouts\/rol-/],
  ];
  for (const [subject, reason, href] of expectations) {
    const item = items.filter({ has: page.getByText(subject, { exact: true }) }).filter({ hasText: reason });
    await expect(item, `${subject}: ${reason}`).toHaveCount(1);
    await expect(item.getByRole('link')).toHaveAttribute('href', href);
    await expect(item).toContainText('waiting');
  }
  const staging = (await server.api<ApiCluster[]>('/clusters')).find((c) => c.id === 'staging-eu')!;
  await expect(items.filter({ hasText: 'Heartbeat lost' }).filter({ hasText: staging.name })).toHaveCount(1);

  // The navigation count says how many.
  const count = await items.count();
  await expect(nav(page).getByRole('link', { name: /^Attention/ })).toHaveText(`Attention (${count} waiting)`);
  await expectNoSeriousA11yViolations(page);
});
