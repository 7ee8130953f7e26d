// The detailed rollout page (/rollouts/:id), against the real server with its demo catalogue
// (docs/contract.md) and a manual clock. Elements are found by role and accessible name: the
// accessibility contract of issue #6 is the test contract.
//
// Tests that act on a rollout or move the clock get their own server (`freshServer`), so the
// worker's shared server keeps every demo scenario in its named state for the others.
import type { Page, Locator } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { test, expect, expectNoSeriousA11yViolations, startServer, type Server } from './fixtures';

/** Labels the console gives the API's rollout statuses (crates/api/src/status.rs). */
const STATUS_LABEL: Record<string, string> = {
  pending: 'Pending',
  inProgress: 'In progress',
  paused: 'Paused',
  manualPausing: 'Pausing',
  manualPaused: 'Paused by user',
  verifying: 'Verifying',
  backgroundVerifying: 'Background verifying',
  failurePolicyPausing: 'Failure policy pausing',
  failurePolicyPaused: 'Failure policy paused',
  aborting: 'Rolling back',
  aborted: 'Rolled back',
  finished: 'Successful',
  failed: 'Failed',
  canceled: 'Canceled',
  invalidSpec: 'Invalid spec',
};

const ACTIONS = ['Promote', 'Promote all', 'Pause', 'Resume', 'Roll back', 'Retry'] as const;
type ActionLabel = (typeof ACTIONS)[number];
/** The API's action names, in menu order. */
const ACTION_KIND: Record<ActionLabel, string> = {
  Promote: 'promote',
  'Promote all': 'promoteFull',
  Pause: 'pause',
  Resume: 'resume',
  'Roll back': 'rollback',
  Retry: 'retry',
};

/** Seconds in "42s", "3m 05s", "2h 14m", "3d 4h" (the console's duration format). */
function seconds(text: string): number {
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([dhms])/g)) {
    total += Number(n) * { d: 86_400, h: 3_600, m: 60, s: 1 }[unit as 'd' | 'h' | 'm' | 's'];
  }
  return total;
}

async function detail(server: Server, id: string): Promise<any> {
  return server.api(`/rollouts/${id}`);
}

/** Opens the page of the newest rollout of a SpotDeployment and waits until it is shown. */
async function openRollout(page: Page, server: Server, name: string, query = ''): Promise<any> {
  const r = await server.rolloutByName(name);
  await page.goto(`${server.url}rollouts/${r.id}${query}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
  return detail(server, r.id);
}

function banner(page: Page, role: 'status' | 'alert', title: string): Locator {
  return page.getByRole(role).filter({ has: page.getByText(title, { exact: true }) });
}

function phaseCard(page: Page, name: string): Locator {
  return page
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { level: 3, name, exact: true }) });
}

/** The state word of a phase ("In progress", "Promoted", ...), beside its name. */
function phaseState(page: Page, name: string): Locator {
  return phaseCard(page, name).locator('.phases__head .badge');
}

function actionsButton(page: Page): Locator {
  return page.getByRole('button', { name: 'Actions', exact: true });
}

async function openMenu(page: Page): Promise<void> {
  const button = actionsButton(page);
  await button.click();
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('menu')).toBeVisible();
}

/** Chooses a menu item and returns the confirmation dialog it opens. */
async function choose(page: Page, label: ActionLabel): Promise<Locator> {
  await openMenu(page);
  const item = page.getByRole('menuitem', { name: label, exact: true });
  await expect(item).toHaveAttribute('aria-disabled', 'false');
  await item.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  return dialog;
}

/** Menu item -> confirm dialog -> Confirm; waits until the dialog closed (the action succeeded). */
async function act(page: Page, label: ActionLabel): Promise<Locator> {
  const dialog = await choose(page, label);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toBeHidden();
  return dialog;
}

function topLine(page: Page): Locator {
  return page.locator('header.rollout-header');
}

function trafficBar(page: Page, stable: number, canary: number): Locator {
  return page.getByRole('img', { name: `Traffic: stable ${stable}%, canary ${canary}%`, exact: true });
}

test.describe('top of the page', () => {
  test('cluster, namespace, copyable id, then name, type, status, start time and duration', async ({
    page,
    server,
    context,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const d = await openRollout(page, server, 'checkout');
    const header = topLine(page);
    await expect(header.getByRole('definition').nth(0)).toHaveText(d.clusterId);
    await expect(header.getByRole('definition').nth(1)).toHaveText(d.namespace);
    await expect(header.getByRole('definition').nth(2)).toContainText(d.id);
    await header.getByRole('button', { name: 'Copy rollout ID' }).click();
    await expect(header.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(d.id);

    await expect(page.getByRole('heading', { level: 1, name: d.spotDeployment.name, exact: true })).toBeVisible();
    await expect(header.getByText('Canary', { exact: true })).toBeVisible();
    await expect(header.getByRole('img', { name: STATUS_LABEL[d.status] })).toBeVisible();
    const datetime = await header.locator('time').getAttribute('datetime');
    expect(Date.parse(datetime!)).toBe(Date.parse(d.startTime));
    // Running: "Running for" and the time since it started on the server's clock.
    const health = await server.api('/health');
    const expected = Math.round((Date.parse(health.now) - Date.parse(d.startTime)) / 1000);
    await expect(header.getByText(/^Running for/)).toBeVisible();
    const shown = seconds((await header.locator('.rollout-header__duration').textContent()) ?? '');
    expect(Math.abs(shown - expected)).toBeLessThanOrEqual(2);
  });

  test('a finished Rolling rollout shows its type and a fixed duration', async ({ page, server }) => {
    const d = await openRollout(page, server, 'frontend');
    expect(d.strategyType).toBe('rolling');
    const header = topLine(page);
    await expect(header.getByText('Rolling', { exact: true })).toBeVisible();
    await expect(header.getByRole('img', { name: 'Successful' })).toBeVisible();
    await expect(header.getByText(/^Took/)).toBeVisible();
    const took = (Date.parse(d.endTime) - Date.parse(d.startTime)) / 1000;
    await expect(header.locator('.rollout-header__duration')).toHaveText(formatDuration(took));
    await expect(page.getByRole('region', { name: 'Summary' }).getByText('Rolling', { exact: true })).toBeVisible();
    // A rolling phase moves replicas, not a canary traffic weight.
    for (const p of d.phases) {
      await expect(phaseCard(page, p.name)).toContainText(`${p.trafficPercentage}% of replicas on the new version`);
    }
  });

  test('the running duration and a pause countdown move with the server clock', async ({ page, freshServer }) => {
    const d = await openRollout(page, freshServer, 'cart');
    const header = topLine(page);
    const duration = header.locator('.rollout-header__duration');
    const before = seconds((await duration.textContent()) ?? '');
    const b = banner(page, 'status', 'Paused for a window — resumes by itself');
    await expect(b).toBeVisible();
    const clock = b.locator('.banner__clock');
    const left = seconds((await clock.textContent()) ?? '');
    const until = Date.parse(d.conditions.paused.until);
    const now = Date.parse((await freshServer.api('/health')).now);
    expect(Math.abs(left - (until - now) / 1000)).toBeLessThanOrEqual(2);

    await freshServer.advance(90);
    await expect.poll(async () => seconds((await duration.textContent()) ?? '')).toBeGreaterThanOrEqual(before + 89);
    await expect.poll(async () => seconds((await clock.textContent()) ?? '')).toBeLessThanOrEqual(left - 89);
    expect(seconds((await clock.textContent()) ?? '')).toBeGreaterThanOrEqual(left - 91);
  });
});

/** Same as the console's format_duration. */
function formatDuration(s: number): string {
  s = Math.max(0, Math.floor(s));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

test.describe('banners for each demo scenario', () => {
  test('paused with a window: when it resumes, counting down', async ({ page, server }) => {
    const d = await openRollout(page, server, 'cart');
    expect(d.conditions.paused.kind).toBe('window');
    const b = banner(page, 'status', 'Paused for a window — resumes by itself');
    await expect(b).toContainText(`Phase “${d.conditions.paused.phase}” paused at`);
    await expect(b).toContainText(/Resumes in \d+m \d\ds/);
    await expect(b).toContainText('To skip the wait, Promote; to stop, Roll back.');
  });

  test('paused without a window: Resume or Roll back', async ({ page, server }) => {
    const d = await openRollout(page, server, 'search');
    expect(d.conditions.paused.kind).toBe('indefinite');
    const b = banner(page, 'status', 'Paused until you act');
    await expect(b).toContainText('The strategy sets no window, so the rollout waits for you.');
    await expect(b.getByRole('listitem')).toHaveText([/Resume/, /Roll back/]);
    await expect(b).not.toContainText('Resumes in');
    await expect(phaseCard(page, d.conditions.paused.phase)).toContainText('until you act');
  });

  test('failure-policy paused: a verification failed and the policy holds the rollout', async ({ page, server }) => {
    const d = await openRollout(page, server, 'inventory');
    expect(d.status).toBe('failurePolicyPaused');
    const b = banner(page, 'alert', 'Verification failed — paused by the failure policy');
    // What failed, in the server's words (the failure reason, or the failed phase's failure).
    const failed = d.phases.find((p: any) => p.name === d.conditions.paused.phase);
    await expect(b).toContainText((d.failureReason?.message ?? failed.failure).replace(/\.$/, ''));
    await expect(b).toContainText('Roll back to restore the stable version, or Resume / Promote');
    // The failed verification is in the phases panel.
    const phase = phaseCard(page, d.conditions.paused.phase);
    await expect(phaseState(page, d.conditions.paused.phase)).toHaveText('Failed · held');
    await expect(phase.getByText('Failed', { exact: true })).toBeVisible();
  });

  test('verification failed with policy abort: rolled back', async ({ page, server }) => {
    const d = await openRollout(page, server, 'pricing');
    expect(d.status).toBe('aborted');
    expect(d.failureReason.type).toBe('phaseVerification');
    const b = banner(page, 'alert', 'Phase verification failed');
    await expect(b).toContainText(d.failureReason.message);
    await expect(b).toContainText('The failure policy (abort) rolled the rollout back.');
  });

  test('Kubernetes failure: rolled back automatically, and the workload is Degraded', async ({ page, server }) => {
    const d = await openRollout(page, server, 'payments-api');
    expect(d.failureReason.type).toBe('kubernetes');
    const k8s = banner(page, 'alert', 'Kubernetes failure — rolled back automatically');
    await expect(k8s).toContainText(d.failureReason.message);
    await expect(k8s).toContainText('progressDeadlineSeconds');
    const degraded = banner(page, 'status', 'Workload Degraded');
    await expect(degraded).toContainText(d.conditions.degraded);
    await expect(degraded.getByRole('listitem')).toHaveText([/Apply the live \(stable\) version again/, /apply a new version/]);
  });

  test('InvalidSpec: the server says what to fix, and the rollout resumes once fixed', async ({ page, server }) => {
    const d = await openRollout(page, server, 'notifications');
    expect(d.status).toBe('invalidSpec');
    const b = banner(page, 'alert', 'Invalid spec: the rollout cannot go on');
    await expect(b).toContainText(d.conditions.invalidSpec);
    await expect(b).toContainText('The rollout resumes by itself once the spec is valid');
  });

  test('operator heartbeat lost during a rollout: it continues, data will catch up', async ({ page, server }) => {
    const d = await openRollout(page, server, 'reporting');
    expect(d.conditions.heartbeatLost.duringRollout).toBe(true);
    const b = banner(page, 'status', 'The operator stopped reporting');
    await expect(b).toContainText('The rollout continues on the cluster without it');
    await expect(b).toContainText('will catch up when the operator is back');
  });

  test('operator heartbeat lost before a rollout: no rollout starts until it is back', async ({ page, server }) => {
    const d = await openRollout(page, server, 'ingest');
    expect(d.status).toBe('pending');
    const b = banner(page, 'alert', 'No operator heartbeat: the rollout cannot start');
    await expect(b).toContainText('No rollout starts until the operator is back.');
    // It has not started: the top line says it waits, not that it runs.
    await expect(topLine(page).getByText(/^Waiting for \d/)).toBeVisible();
    await expect(topLine(page).getByText(/^Created /)).toBeVisible();
    await expect(topLine(page).getByText(/Running for|Started/)).toHaveCount(0);
  });

  test('verification data not received: what to check', async ({ page, server }) => {
    const d = await openRollout(page, server, 'user-profile');
    const m = d.conditions.verificationDataMissing;
    expect(m).toBeTruthy();
    const b = banner(page, 'alert', 'Verification data not received');
    await expect(b).toContainText(m.metricName);
    await expect(b.getByRole('listitem')).toHaveText([/cluster ID/, /credentials/, /query/]);
  });

  test('canceled: links to the new rollout, which links back', async ({ page, server }) => {
    const list = await server.api(`/rollouts?spotDeployment=catalog&limit=1000`);
    const canceled = list.items.find((r: any) => r.status === 'canceled');
    expect(canceled).toBeTruthy();
    const old = await detail(server, canceled.id);
    expect(old.newRolloutId).toBeTruthy();
    await page.goto(`/rollouts/${old.id}`);
    const b = banner(page, 'status', 'Canceled by a re-apply');
    await expect(b).toBeVisible();
    const link = b.getByRole('link', { name: `Go to the new rollout ${old.newRolloutId}` });
    await expect(link).toHaveAttribute('href', `/rollouts/${old.newRolloutId}`);
    await link.click();
    await expect(page).toHaveURL(new RegExp(`/rollouts/${old.newRolloutId}$`));
    const back = banner(page, 'status', 'Replaces a canceled rollout');
    await expect(back.getByRole('link', { name: `Go to the original rollout ${old.id}` })).toBeVisible();
    await expect(banner(page, 'status', 'Canceled by a re-apply')).toHaveCount(0);
  });

  test('a running rollout without trouble shows no banner', async ({ page, server }) => {
    await openRollout(page, server, 'recommendations');
    await expect(page.locator('[data-banner]')).toHaveCount(0);
  });

  test('backend unreachable: the last known state stays, with a banner saying so', async ({ page, freshServer }) => {
    const d = await openRollout(page, freshServer, 'search');
    // The app has the page (its code and data), not only the server's first screen.
    await expect(page.locator('#shell')).toHaveCount(0);
    await expect(page.getByRole('alert').filter({ hasText: 'Server unreachable' })).toHaveCount(0);
    freshServer.stop(); // the server process dies: the stream drops and requests fail
    const b = banner(page, 'alert', 'Server unreachable: showing the last known state');
    await expect(b).toBeVisible({ timeout: 20_000 });
    await expect(b).toContainText('updates again once the server answers');
    // What was known stays on screen.
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(d.spotDeployment.name);
    await expect(banner(page, 'status', 'Paused until you act')).toBeVisible();
  });
});

test.describe('summary line', () => {
  test('type vs Stable, images, services, traffic split and one icon per replica', async ({ page, server }) => {
    const d = await openRollout(page, server, 'checkout');
    const summary = page.getByRole('region', { name: 'Summary' });
    await expect(summary.getByText('Canary', { exact: true }).first()).toBeVisible();
    await expect(summary.getByText('Stable', { exact: true }).first()).toBeVisible();
    await expect(summary.getByText(d.stableVersionStatus.version, { exact: true })).toBeVisible();
    await expect(summary.getByText(d.newVersionStatus.version, { exact: true })).toBeVisible();
    await expect(summary).toContainText(d.stableVersionStatus.k8sService);
    await expect(summary).toContainText(d.newVersionStatus.k8sService);
    await expect(
      trafficBar(page, d.stableVersionStatus.trafficPercentage, d.newVersionStatus.trafficPercentage),
    ).toBeVisible();

    const icons = summary.getByRole('img', { name: /^Pod / });
    const pods = [...d.stableVersionStatus.pods, ...d.newVersionStatus.pods];
    expect(pods.length).toBeGreaterThan(0);
    await expect(icons).toHaveCount(pods.length);
    for (const p of pods) {
      const version = p.version === 'stable' ? 'stable' : 'canary';
      const icon = summary.getByRole('img', { name: new RegExp(`^Pod ${p.name}, ${version} version, ${p.health}\\b`) });
      await expect(icon).toHaveCount(1);
      // The tooltip says the same.
      await expect(icon).toHaveAttribute('title', (await icon.getAttribute('aria-label'))!);
    }
  });

  test('failing canary pods are drawn as failing, with restarts in their name', async ({ page, freshServer }) => {
    // A new version whose containers crash: the canary replicas show it before the rollback.
    const res = await freshServer.api('/workloads/prod-us-east/payments/checkout/manifest');
    const yaml = (res.yaml as string)
      .replace(/image: (\S+):[\d.]+/, 'image: $1:9.9.9')
      .replace(/metadata:\n/, 'metadata:\n  annotations:\n    sim.rollout.dev/crash-loop: "true"\n');
    await freshServer.apply(yaml);
    await freshServer.advance(40);
    const d = await openRollout(page, freshServer, 'checkout');
    expect(d.newVersionStatus.version).toContain(':9.9.9');
    const failing = d.newVersionStatus.pods.filter((p: any) => p.health === 'failing');
    expect(failing.length).toBeGreaterThan(0);
    const summary = page.getByRole('region', { name: 'Summary' });
    await expect(summary.getByRole('img', { name: /, canary version, failing/ })).toHaveCount(failing.length);
    for (const p of failing) {
      const detail = [p.status, p.restarts > 0 ? `${p.restarts} restarts` : ''].filter(Boolean).join(', ');
      await expect(summary.getByRole('img', { name: `Pod ${p.name}, canary version, failing (${detail})`, exact: true })).toBeVisible();
    }
  });
});

test.describe('rollout phases panel', () => {
  test('every phase with its state, weight, times and pause; verifications with their data', async ({ page, server }) => {
    const d = await openRollout(page, server, 'inventory');
    for (const p of d.phases) {
      const card = phaseCard(page, p.name);
      await expect(card).toBeVisible();
      await expect(card).toContainText(`${p.trafficPercentage}% of traffic on canary`);
      if (!p.startTime) await expect(card).toContainText('Not started');
      for (const [i, v] of p.verifications.entries()) {
        await expect(card.getByText(v.metricName, { exact: true })).toBeVisible();
        if (v.conditions.success) await expect(card.getByText(`pass if ${v.conditions.success}`)).toBeVisible();
        await expect(card.getByText(new RegExp(`^${v.dataPoints.length} of ${v.count} measurements`))).toBeVisible();
        if (v.dataPoints.length === 0) {
          // Nothing measured yet: said in words, no empty chart.
          await expect(card.getByText(/^(No measurement yet|Never measured)$/)).toBeVisible();
          continue;
        }
        const chart = card.getByRole('img', {
          name: new RegExp(`^${v.metricName} data points: ${v.dataPoints.length} of ${v.count} measurements`),
        });
        await expect(chart).toBeVisible();
        // The same data points as a table.
        await card.getByText('Data points and query').nth(i).click();
        await expect(card.getByRole('table').nth(i).getByRole('row')).toHaveCount(v.dataPoints.length + 1);
      }
    }
    // The failure that stopped it.
    const failed = d.phases.find((p: any) => p.failure);
    expect(failed).toBeTruthy();
    await expect(phaseCard(page, failed.name).getByRole('note')).toHaveText(failed.failure);
  });

  test('a paused phase says when it paused, its window and the time left', async ({ page, server }) => {
    const d = await openRollout(page, server, 'cart');
    const p = d.phases.find((x: any) => x.status === 'paused');
    expect(p).toBeTruthy();
    await expect(phaseCard(page, p.name)).toContainText(/Paused at \d\d:\d\d:\d\d · 15m 00s window · \d+m \d\ds left/);
  });

  test('background verifications are shown apart from the phases', async ({ page, server }) => {
    const d = await openRollout(page, server, 'recommendations');
    expect(d.backgroundVerifications.length).toBeGreaterThan(0);
    const bg = page.getByRole('region', { name: 'Background verifications' });
    await expect(bg).toBeVisible();
    for (const v of d.backgroundVerifications) {
      await expect(bg.getByText(v.metricName, { exact: true })).toBeVisible();
    }
    await expect(page.getByRole('list').filter({ has: bg })).toHaveCount(0);
  });

  test('live data points arrive while the data table is open, and it stays open', async ({ page, freshServer }) => {
    const server = freshServer;
    let d = await openRollout(page, server, 'recommendations');
    const bg = page.getByRole('region', { name: 'Background verifications' });
    const phase = d.phases.find((p: any) => p.status === 'verifying');
    const card = phaseCard(page, phase.name);
    await card.getByText('Data points and query').click();
    await bg.getByText('Data points and query').click();
    const rows = (loc: Locator) => loc.getByRole('table').getByRole('row');
    await expect(rows(card)).toHaveCount(phase.verifications[0].dataPoints.length + 1);
    await server.advance(60);
    d = await detail(server, d.id);
    const v = d.phases.find((p: any) => p.name === phase.name).verifications[0];
    expect(v.dataPoints.length).toBeGreaterThan(phase.verifications[0].dataPoints.length);
    await expect(rows(card)).toHaveCount(v.dataPoints.length + 1);
    await expect(rows(bg)).toHaveCount(d.backgroundVerifications[0].dataPoints.length + 1);
  });

  test('the arrow hides the panel (kept in the URL) and shows it again', async ({ page, server }) => {
    await openRollout(page, server, 'checkout');
    const toggle = page.getByRole('button', { name: 'Rollout phases' });
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const controls = await toggle.getAttribute('aria-controls');
    const body = page.locator(`#${controls}`);
    await expect(body).toBeVisible();
    const appView = page.getByRole('region', { name: 'Application view' });
    const appTop = (await appView.boundingBox())!.y;

    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(body).toBeHidden();
    await expect(page).toHaveURL(/[?&]phases=hidden/);
    expect((await appView.boundingBox())!.y).toBeLessThan(appTop - 100);

    await page.reload();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(body).toBeHidden();

    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect(body).toBeVisible();
    await expect(page).not.toHaveURL(/phases=/);
  });
});

test.describe('actions', () => {
  test('the menu: a button with a popup, six items, disabled ones say why', async ({ page, server }) => {
    const d = await openRollout(page, server, 'search');
    const button = actionsButton(page);
    await expect(button).toHaveAttribute('aria-haspopup', 'menu');
    await expect(button).toHaveAttribute('aria-expanded', 'false');
    await openMenu(page);
    await expect(page.getByRole('menuitem')).toHaveText(ACTIONS.map((a) => new RegExp(`^${a}`)));
    for (const label of ACTIONS) {
      const a = d.actions.find((x: any) => x.action === ACTION_KIND[label]);
      const item = page.getByRole('menuitem', { name: label, exact: true });
      await expect(item).toHaveAttribute('aria-disabled', a.enabled ? 'false' : 'true');
      if (!a.enabled) await expect(item).toHaveAccessibleDescription(a.reason);
    }
    // Paused until someone acts: Pause and Retry are refused, with the engine's reason.
    await expect(page.getByRole('menuitem', { name: 'Retry' })).toHaveAccessibleDescription(
      'Retry is available once the rollout has completed',
    );
    await expect(page.getByRole('menuitem', { name: 'Pause', exact: true })).toHaveAttribute('aria-disabled', 'true');
    // A disabled item does nothing; Esc closes the menu and focus goes back to the button.
    await page.getByRole('menuitem', { name: 'Pause', exact: true }).click({ force: true });
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu')).toBeHidden();
    await expect(button).toBeFocused();
    await expect(button).toHaveAttribute('aria-expanded', 'false');
    // Keyboard: arrow down opens it on the first item.
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('menuitem', { name: 'Promote', exact: true })).toBeFocused();
    await page.keyboard.press('End');
    await expect(page.getByRole('menuitem', { name: 'Retry' })).toBeFocused();
    await page.keyboard.press('Escape');
  });

  test('a menu opened before /health answers stays open when it does', async ({ page, server }) => {
    // Hold the console's first (real) /health request a while: the rollout is shown before
    // the console knows whether the server is read-only.
    let requests = 0;
    let firstAnswered = false;
    await page.route('**/api/v1/health', async (route) => {
      if (requests++ === 0) {
        await new Promise((r) => setTimeout(r, 2_500));
        await route.continue();
        firstAnswered = true;
      } else {
        await route.continue();
      }
    });
    await openRollout(page, server, 'search');
    await openMenu(page);
    await expect.poll(() => firstAnswered, { timeout: 10_000 }).toBe(true);
    await page.waitForTimeout(300); // let the answer be rendered
    await expect(actionsButton(page)).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByRole('menuitem', { name: 'Resume' })).toBeVisible();
    await page.keyboard.press('Escape');
  });

  test('Cancel and Esc do nothing; focus is trapped in the dialog and returned', async ({ page, server }) => {
    const d = await openRollout(page, server, 'search');
    let dialog = await choose(page, 'Roll back');
    await expect(dialog).toHaveAccessibleName('Roll back the rollout?');
    await expect(dialog).toContainText(`${d.stableVersionStatus.version} is scaled up and receives all traffic again`);
    const cancel = dialog.getByRole('button', { name: 'Cancel' });
    const confirm = dialog.getByRole('button', { name: 'Confirm' });
    // Focus starts in the Reason field, then Tab goes through the buttons and back round.
    const reason = dialog.getByRole('textbox', { name: /Reason/ });
    await expect(reason).toBeFocused();
    await dialog.locator('button, textarea, [tabindex="0"]').last().focus();
    await expect(confirm).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(dialog.locator(':focus')).toHaveCount(1);
    await page.keyboard.press('Shift+Tab');
    await expect(confirm).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(cancel).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(actionsButton(page)).toBeFocused();

    dialog = await choose(page, 'Promote');
    await expect(dialog).toHaveAccessibleName('Promote to the next phase?');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(actionsButton(page)).toBeFocused();

    // Nothing reached the server: same status, no action event.
    const after = await detail(server, d.id);
    expect(after.status).toBe(d.status);
    const events = await server.events<any>(d.id);
    expect(events.filter((e) => /^Action/.test(e.reason))).toEqual([]);
    await expect(banner(page, 'status', 'Paused until you act')).toBeVisible();
  });

  test('a canary from its first phase to success with Promote and Promote all', async ({ page, freshServer }) => {
    const server = freshServer;
    let d = await openRollout(page, server, 'checkout');
    const [first, second, third] = d.phases;
    expect(d.newVersionStatus.trafficPercentage).toBe(first.trafficPercentage);
    await expect(phaseState(page, first.name)).toHaveText(/^(In progress|Paused|Verifying)$/);
    await expect(phaseState(page, second.name)).toHaveText('Pending');

    // Promote: the first phase ends, the second starts.
    const dialog = await choose(page, 'Promote');
    await expect(dialog).toHaveAccessibleName('Promote to the next phase?');
    await expect(dialog).toContainText(
      `Phase “${first.name}” ends now, without waiting for its pause or verifications, and phase “${second.name}” starts with ${second.trafficPercentage}% of traffic`,
    );
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect(dialog).toBeHidden();
    await expect(actionsButton(page)).toBeFocused();
    await expect(phaseState(page, first.name)).toHaveText('Promoted');
    await expect(phaseState(page, second.name)).toHaveText(/^(In progress|Verifying)$/);
    await expect(trafficBar(page, 100 - second.trafficPercentage, second.trafficPercentage)).toBeVisible();
    d = await detail(server, d.id);
    expect(d.phases[0].status).toBe('promoted');
    expect(d.newVersionStatus.trafficPercentage).toBe(second.trafficPercentage);

    // Time passes: the second phase verifies on its own; the page follows the stream.
    await server.advance(45);
    d = await detail(server, d.id);
    await expect(topLine(page).getByText(STATUS_LABEL[d.status], { exact: true })).toBeVisible();
    const v = d.phases[1].verifications[0];
    expect(v.dataPoints.length).toBeGreaterThan(0);
    await expect(
      phaseCard(page, second.name).getByRole('img', {
        name: new RegExp(`^${v.metricName} data points: ${v.dataPoints.length} of ${v.count} measurements`),
      }),
    ).toBeVisible();

    // Promote all: every remaining phase is skipped and the rollout succeeds.
    const all = await choose(page, 'Promote all');
    await expect(all).toHaveAccessibleName('Promote to the end of the rollout?');
    await expect(all).toContainText(`${d.newVersionStatus.version} receives 100% of traffic and becomes the stable version`);
    await all.getByRole('button', { name: 'Confirm' }).click();
    await expect(all).toBeHidden();
    await expect(topLine(page).getByRole('img', { name: 'Successful' })).toBeVisible();
    await expect(topLine(page).getByText(/^Took/)).toBeVisible();
    await expect(phaseState(page, second.name)).toHaveText('Promoted (all)');
    await expect(phaseState(page, third.name)).toHaveText('Skipped');
    d = await detail(server, d.id);
    expect(d.status).toBe('finished');
    expect(d.endTime).toBeTruthy();
    await expect(topLine(page).locator('.rollout-header__duration')).toHaveText(
      formatDuration((Date.parse(d.endTime) - Date.parse(d.startTime)) / 1000),
    );
    // Finished: nothing more to do; Retry says why.
    await openMenu(page);
    for (const label of ACTIONS) {
      await expect(page.getByRole('menuitem', { name: label, exact: true })).toHaveAttribute('aria-disabled', 'true');
    }
    await expect(page.getByRole('menuitem', { name: 'Retry' })).toHaveAccessibleDescription(
      'The rollout finished: its version is already live',
    );
    await page.keyboard.press('Escape');
  });

  test('Promote, phase after phase, until the last one makes it successful', async ({ page, freshServer }) => {
    const server = freshServer;
    let d = await openRollout(page, server, 'checkout');
    for (let i = 0; i < d.phases.length; i++) {
      const dialog = await choose(page, 'Promote');
      if (i === d.phases.length - 1) {
        await expect(dialog).toContainText(`it is the last one, so ${d.newVersionStatus.version} becomes the stable version`);
      }
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await expect(dialog).toBeHidden();
      const next = d.phases[i + 1];
      if (next) {
        await expect(trafficBar(page, 100 - next.trafficPercentage, next.trafficPercentage)).toBeVisible();
      }
    }
    await expect(topLine(page).getByRole('img', { name: 'Successful' })).toBeVisible();
    d = await detail(server, d.id);
    expect(d.status).toBe('finished');
    expect(d.phases.map((p: any) => p.status)).toEqual(['promoted', 'promoted', 'finished']);
    await expect(trafficBar(page, 0, 100)).toBeVisible();
  });

  test('Pause, then Resume', async ({ page, freshServer }) => {
    const server = freshServer;
    let d = await openRollout(page, server, 'checkout');
    const dialog = await choose(page, 'Pause');
    await expect(dialog).toHaveAccessibleName('Pause the rollout?');
    await expect(dialog).toContainText('keeping the current traffic split');
    // Hold the (real) request a moment, to see the dialog busy while it runs.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/v1/rollouts/*/actions', async (route) => {
      await held;
      await route.continue();
    });
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    const working = dialog.getByRole('button', { name: 'Working…' });
    await expect(working).toHaveAttribute('aria-busy', 'true');
    await expect(working).toBeDisabled();
    await page.keyboard.press('Escape'); // cannot cancel what is already running
    await expect(dialog).toBeVisible();
    release();
    await expect(dialog).toBeHidden();
    await page.unroute('**/api/v1/rollouts/*/actions');
    const paused = banner(page, 'status', 'Paused by a user');
    await expect(paused).toBeVisible();
    await expect(topLine(page).getByText('Paused by user', { exact: true })).toBeVisible();
    d = await detail(server, d.id);
    expect(d.conditions.paused.kind).toBe('manual');
    const weight = d.newVersionStatus.trafficPercentage;

    // A held rollout does not move while time passes.
    await server.advance(300);
    expect((await detail(server, d.id)).newVersionStatus.trafficPercentage).toBe(weight);
    await openMenu(page);
    await expect(page.getByRole('menuitem', { name: 'Pause', exact: true })).toHaveAccessibleDescription('The rollout is already paused');
    await page.keyboard.press('Escape');

    await act(page, 'Resume');
    await expect(paused).toHaveCount(0);
    d = await detail(server, d.id);
    expect(d.conditions.paused?.kind).not.toBe('manual');
    await expect(topLine(page).getByText(STATUS_LABEL[d.status], { exact: true })).toBeVisible();
  });

  test('Roll back, then Retry the rolled-back rollout', async ({ page, freshServer }) => {
    const server = freshServer;
    let d = await openRollout(page, server, 'checkout');
    const dialog = await choose(page, 'Roll back');
    await expect(dialog.getByRole('button', { name: 'Confirm' })).toHaveClass(/btn--danger/);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect(dialog).toBeHidden();
    await expect(banner(page, 'status', 'Rolled back by a user')).toBeVisible();
    await expect(banner(page, 'status', 'Workload Degraded')).toBeVisible();
    await expect(trafficBar(page, 100, 0)).toBeVisible();
    d = await detail(server, d.id);
    expect(['aborting', 'aborted']).toContain(d.status);
    await server.advance(30);
    d = await detail(server, d.id);
    expect(d.status).toBe('aborted');
    await expect(topLine(page).getByRole('img', { name: 'Rolled back' })).toBeVisible();

    // Retry: offered now the rollout has completed; it starts a new rollout and shows it.
    const retry = await choose(page, 'Retry');
    await expect(retry).toContainText(`A new rollout of ${d.newVersionStatus.version} starts from the first phase`);
    await retry.getByRole('button', { name: 'Confirm' }).click();
    await expect(retry).toBeHidden();
    const newest = await server.rolloutByName('checkout');
    expect(newest.id).not.toBe(d.id);
    await expect(page).toHaveURL(new RegExp(`/rollouts/${newest.id}$`));
    await expect(topLine(page).getByRole('definition').nth(2)).toContainText(newest.id);
    const n = await detail(server, newest.id);
    expect(['inProgress', 'paused', 'verifying']).toContain(n.status);
    expect(n.newVersionStatus.version).toBe(d.newVersionStatus.version);
    await expect(topLine(page).getByText(/^Running for/)).toBeVisible();
  });

  test('a refusal from the server (409) is shown in the dialog, not swallowed', async ({ page, freshServer }) => {
    const server = freshServer;
    const d = await openRollout(page, server, 'checkout');
    const dialog = await choose(page, 'Promote');
    // Meanwhile someone else rolls it back.
    const other = await server.post(`/rollouts/${d.id}/actions`, { action: 'rollback' });
    expect(other.status).toBe(200);
    await expect(banner(page, 'status', 'Rolled back by a user')).toBeVisible();
    // What the server will answer to this Promote now.
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    const error = dialog.getByRole('alert');
    await expect(error).toBeVisible();
    const probe = await server.post(`/rollouts/${d.id}/actions`, { action: 'promote' });
    expect(probe.status).toBe(409);
    const { message } = await probe.json();
    await expect(error).toHaveText(`The server refused: ${message}`);
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
  });

  test('read-only mode: the actions menu is not offered', async ({ page }) => {
    const ro = await startServer(['--read-only']);
    try {
      expect((await ro.api('/health')).readOnly).toBe(true);
      await openRollout(page, ro, 'checkout');
      await expect(page.getByRole('button', { name: 'Rollout details' })).toBeVisible();
      await expect(page.getByText(/· read-only$/)).toBeVisible();
      await expect(actionsButton(page)).toHaveCount(0);
      await expect(page.getByRole('menuitem')).toHaveCount(0);
    } finally {
      ro.stop();
    }
  });
});

test.describe('rollout details drawer', () => {
  test('Strategy and RolloutSpec YAML, syntax-coloured, with copy and download; Esc closes', async ({
    page,
    server,
    context,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const d = await openRollout(page, server, 'checkout');
    const def = await server.api(`/rollouts/${d.id}/definition`);
    const open = page.getByRole('button', { name: 'Rollout details' });
    await open.click();
    const drawer = page.getByRole('dialog', { name: 'Rollout details' });
    await expect(drawer).toBeVisible();
    await expect(page).toHaveURL(/[?&]details=1/);
    await expect(drawer.getByRole('heading', { name: 'Strategy', exact: true })).toBeVisible();
    await expect(drawer.getByRole('heading', { name: 'RolloutSpec', exact: true })).toBeVisible();
    const strategy = drawer.getByRole('region', { name: 'Strategy YAML' });
    const spec = drawer.getByRole('region', { name: 'RolloutSpec YAML' });
    // Every line is there (line numbers are not part of the text).
    for (const line of (def.strategy as string).split('\n').filter((l) => l.trim())) {
      await expect(strategy).toContainText(line.trim());
    }
    await expect(spec).toContainText(`name: ${d.rolloutSpec}`);
    // Syntax colour: keys and values are told apart.
    await expect(strategy.locator('.yaml__key').first()).toBeVisible();
    const keyColour = await strategy.locator('.yaml__key').first().evaluate((e) => getComputedStyle(e).color);
    const textColour = await strategy.evaluate((e) => getComputedStyle(e).color);
    expect(keyColour).not.toBe(textColour);

    await drawer.getByRole('button', { name: 'Copy Strategy YAML' }).click();
    await expect(drawer.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(def.strategy);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      drawer.getByRole('button', { name: 'Download RolloutSpec YAML' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${d.rolloutSpec}.yaml`);
    expect(readFileSync((await download.path())!, 'utf8')).toBe(def.rolloutSpec);

    await expectNoSeriousA11yViolations(page);
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
    await expect(page).not.toHaveURL(/details=/);
    await expect(open).toBeFocused();
  });

  test('a link with ?details=1 opens the drawer; its close button closes it', async ({ page, server }) => {
    const d = await openRollout(page, server, 'inventory', '?details=1');
    const drawer = page.getByRole('dialog', { name: 'Rollout details' });
    await expect(drawer).toBeVisible();
    await expect(drawer.getByRole('region', { name: 'Strategy YAML' })).toContainText(`name: ${d.strategyName}`);
    await drawer.getByRole('button', { name: 'Close' }).click();
    await expect(drawer).toBeHidden();
  });
});

test.describe('accessibility', () => {
  for (const name of ['checkout', 'inventory', 'payments-api', 'notifications', 'ingest', 'user-profile', 'frontend']) {
    test(`no serious axe violation: ${name}`, async ({ page, server }) => {
      await openRollout(page, server, name);
      await expect(page.getByRole('region', { name: 'Summary' })).toBeVisible();
      await expectNoSeriousA11yViolations(page);
    });
  }

  test('no serious axe violation with the menu and the confirm dialog open', async ({ page, server }) => {
    await openRollout(page, server, 'search');
    await openMenu(page);
    await expectNoSeriousA11yViolations(page);
    await page.getByRole('menuitem', { name: 'Resume' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await page.keyboard.press('Escape');
  });
});
