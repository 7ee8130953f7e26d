// `serve --snapshot`: the console over Kubernetes objects captured by the Argo Rollouts project
// (crates/kube/tests/fixtures), read-only. Walks the list, a rollout page with the figures
// `kubectl argo rollouts get rollout` prints, its events / resources / CRD diff tabs and the
// details drawer, with axe on each.
import type { Page, Locator } from '@playwright/test';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, expect, expectNoSeriousA11yViolations, startSnapshotServer, SNAPSHOT_FIXTURES, type Server } from './fixtures';

/** Three captures of one cluster: a canary stuck on a missing image, a paused blue-green and a
 * canary aborted by its background analysis. */
const CAPTURES = ['canary', 'blue-green', 'rollout-aborted'];

const test = base.extend<{}, { server: Server }>({
  server: [
    async ({}, use) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'rollout-snapshot-'));
      for (const c of CAPTURES) cpSync(path.join(SNAPSHOT_FIXTURES, c), path.join(dir, c), { recursive: true });
      const server = await startSnapshotServer(dir);
      await use(server);
      server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
});

/** Everything in the captures (2019-10 to 2020-09), newest first. */
const EVERYTHING = '/rollouts?from=2019-10-01&to=2020-10-01';

const table = (page: Page) => page.getByRole('table', { name: 'Rollouts' });
const appView = (page: Page) => page.getByRole('region', { name: 'Application view' });
const panel = (page: Page, name: string) => page.getByRole('tabpanel', { name });

async function openFromList(page: Page, name: string, status: string): Promise<void> {
  await page.goto(EVERYTHING);
  const row = table(page)
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name, exact: true }) })
    .filter({ has: page.getByRole('img', { name: status, exact: true }) })
    .first();
  await row.getByRole('link', { name, exact: true }).click();
  await expect(page).toHaveURL(/\/rollouts\/rol-[0-9a-f]{16}/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
}

function figures(page: Page): Locator {
  return page.getByRole('region', { name: /as kubectl argo rollouts get rollout shows it$/ });
}

/** The value of one figure of the kubectl block by its label. */
function figure(page: Page, label: string): Locator {
  return figures(page).locator('.kube-figures__item').filter({ has: page.getByText(label, { exact: true }) }).locator('dd');
}

test('the list says it is a snapshot, and holds every revision the ReplicaSets record', async ({ page, server }) => {
  const health = await server.api('/health');
  expect(health.snapshot.takenAt).toBe('2020-09-22T09:10:05Z');
  const list = await server.api('/rollouts?from=2019-10-01T00:00:00Z&limit=1000');
  await page.goto(EVERYTHING);
  const banner = page.getByRole('status').filter({ hasText: 'Snapshot taken at 2020-09-22 09:10:05 UTC · read-only' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('nothing here changes');
  await expect(table(page)).toBeVisible();
  expect(Number(await table(page).getAttribute('aria-rowcount')) - 1).toBe(list.total);
  // Revisions 31, 30 and 29 of canary-demo; the paused blue-green; the aborted canary.
  await expect(table(page).getByRole('link', { name: 'canary-demo', exact: true })).toHaveCount(3);
  await expect(
    table(page).getByRole('row').filter({ has: page.getByRole('link', { name: 'bluegreen-demo', exact: true }) }).first().getByRole('img', { name: 'Paused', exact: true }),
  ).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test('list → rollout page: the kubectl figures, banners, tabs and drawer; no actions', async ({ page, server }) => {
  await openFromList(page, 'canary-demo', 'Failed');

  // What `kubectl argo rollouts get rollout canary-demo` prints for the same objects.
  await expect(figures(page)).toBeVisible();
  await expect(figure(page, 'Status')).toHaveText('Degraded');
  await expect(figure(page, 'Message')).toHaveText('ProgressDeadlineExceeded: ReplicaSet "canary-demo-65fb5ffc84" has timed out progressing.');
  await expect(figure(page, 'Strategy')).toHaveText('Canary');
  await expect(figure(page, 'Step')).toHaveText('0/8');
  await expect(figure(page, 'SetWeight')).toHaveText('20');
  await expect(figure(page, 'ActualWeight')).toHaveText('0');
  const images = figure(page, 'Images').getByRole('listitem');
  await expect(images).toHaveText(['argoproj/rollouts-demo:does-not-existcanary', 'argoproj/rollouts-demo:greenstable']);
  await expect(figure(page, 'Replicas')).toHaveText('Desired 5Current 6Updated 1Ready 5Available 5');

  // Read-only: the snapshot banner, no actions; the Degraded banner carries the controller's message.
  await expect(page.getByRole('status').filter({ hasText: 'Snapshot taken at' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Actions', exact: true })).toHaveCount(0);
  await expect(page.locator('[data-banner]').filter({ hasText: 'has timed out progressing' }).first()).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // Events: the pod's image pull back-off first, the Rollout's deadline, the ReplicaSet.
  const tabs = appView(page).getByRole('tablist', { name: 'Application view' });
  await expect(tabs.getByRole('tab', { name: 'Events' })).toHaveAttribute('aria-selected', 'true');
  const events = panel(page, 'Events').getByRole('table', { name: 'Kubernetes events' });
  await expect(events).toContainText('BackOff');
  await expect(events).toContainText('Pod/canary-demo-65fb5ffc84-9wf5r');
  await expect(events).toContainText('ProgressDeadlineExceeded');
  await expect(events).toContainText('ReplicaSet/canary-demo-65fb5ffc84');

  await tabs.getByRole('tab', { name: 'Resources' }).click();
  await expect(panel(page, 'Resources')).toContainText('canary-demo-65fb5ffc84-9wf5r');
  await expect(panel(page, 'Resources')).toContainText('ImagePullBackOff');
  await expect(panel(page, 'Resources')).toContainText('canary-demo-877894d5b-6jfpt');
  await expectNoSeriousA11yViolations(page);

  await tabs.getByRole('tab', { name: 'CRD diff' }).click();
  await expect(panel(page, 'CRD diff')).toContainText('argoproj/rollouts-demo:does-not-exist');
  await expect(panel(page, 'CRD diff')).toContainText('argoproj/rollouts-demo:green');
  await expectNoSeriousA11yViolations(page);

  await page.getByRole('button', { name: 'Rollout details' }).click();
  const drawer = page.getByRole('dialog', { name: 'Rollout details' });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByRole('region', { name: 'Strategy YAML' })).toContainText('setWeight: 20');
  await expect(drawer).toContainText('kind: Rollout');
  await expectNoSeriousA11yViolations(page);
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  // The API refuses every change the same way.
  const id = page.url().match(/rol-[0-9a-f]{16}/)![0];
  const res = await server.post(`/rollouts/${id}/actions`, { action: 'promote' });
  expect(res.status).toBe(409);
  expect((await res.json()).message).toBe('snapshot: read-only');
});

test('a paused blue-green and a canary aborted by its analysis', async ({ page }) => {
  await openFromList(page, 'bluegreen-demo', 'Paused');
  await expect(figure(page, 'Status')).toHaveText('Paused');
  await expect(figure(page, 'Message')).toHaveText('BlueGreenPause');
  await expect(figure(page, 'Strategy')).toHaveText('BlueGreen');
  await expect(figure(page, 'Step')).toHaveCount(0);
  await expect(figure(page, 'Images').getByRole('listitem')).toHaveText([
    'argoproj/rollouts-demo:bluestableactive',
    'argoproj/rollouts-demo:greenpreview',
  ]);
  await expectNoSeriousA11yViolations(page);

  await openFromList(page, 'rollout-background-analysis', 'Rolled back');
  await expect(figure(page, 'Message')).toHaveText('RolloutAborted: metric "web" assessed Failed due to failed (1) > failureLimit (0)');
  await expect(figure(page, 'SetWeight')).toHaveText('0');
  // The background analysis: its metric, condition and failed measurement.
  const background = page.getByRole('region', { name: 'Background verifications' });
  await expect(background).toContainText('pass if result == "true"');
  await expect(background.getByRole('img', { name: 'web data points: 1 measurement · 1 failed (limit 0)' })).toBeVisible();
  await page.getByRole('button', { name: 'Rollout details' }).click();
  const drawer = page.getByRole('dialog', { name: 'Rollout details' });
  await expect(drawer).toContainText('kind: AnalysisTemplate');
  await expect(drawer).toContainText('https://jsonplaceholder.typicode.com/todos/1');
  await expectNoSeriousA11yViolations(page);
});
