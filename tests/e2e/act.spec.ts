// Acting with confidence: the confirmation dialog asks for a reason (required on a
// --require-reason server) and shows what Roll back / Retry / Promote all leave live; the
// reason and who acted then show in the rollout's Activity, its events, their CSV export and
// the Audit page.
import type { Page, Locator } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { test, expect, expectNoSeriousA11yViolations, startServer } from './fixtures';

async function choose(page: Page, label: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Actions', exact: true }).click();
  await page.getByRole('menuitem', { name: label, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  return dialog;
}

async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: d.suggestedFilename(), text: readFileSync((await d.path())!, 'utf8') };
}

const REASON = 'canary error rate 4 %';

test('Roll back shows the diff and traffic change, then its reason and actor are everywhere', async ({ page, freshServer }) => {
  const server = freshServer;
  const r = await server.rolloutByName('search');
  const d = await server.api(`/rollouts/${r.id}`);
  await page.goto(`${server.url}rollouts/${r.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('search');
  await expect(page.getByRole('region', { name: 'Activity' })).toContainText('No one has acted on this rollout.');

  const dialog = await choose(page, 'Roll back');
  await expect(dialog).toHaveAccessibleName('Roll back the rollout?');
  // What will be live afterwards: traffic, image, and the SpotDeployment going back.
  const preview = dialog.getByRole('region', { name: 'What will be live afterwards' });
  await expect(preview).toContainText(`canary ${d.newVersionStatus.trafficPercentage} % → 0 %`);
  await expect(preview).toContainText(`${d.newVersionStatus.version} → ${d.stableVersionStatus.version}`);
  const diff = preview.getByRole('table', { name: 'SpotDeployment change' });
  await expect(diff).toBeVisible();
  const image = (s: string) => s.split(':').pop()!;
  await expect(diff.locator('.diff__line--removed')).toContainText([new RegExp(image(d.newVersionStatus.version).replace(/\./g, '\\.'))]);
  await expect(diff.locator('.diff__line--added')).toContainText([new RegExp(image(d.stableVersionStatus.version).replace(/\./g, '\\.'))]);
  // The reason field has focus first; it is optional here.
  const reason = dialog.getByRole('textbox', { name: /Reason/ });
  await expect(reason).toBeFocused();
  await expect(dialog.getByRole('button', { name: 'Confirm' })).toBeEnabled();
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: 'test-results/act-rollback-dialog.png' });
  await reason.fill(REASON);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toBeHidden();

  // The server kept it, with who acted.
  const after = await server.api(`/rollouts/${r.id}`);
  const record = after.activity.find((a: any) => a.action === 'rollback');
  expect(record).toMatchObject({ actor: 'anonymous', reason: REASON });

  // Activity on the page.
  await expect(page.getByRole('region', { name: 'Activity' })).toContainText(`Roll back by anonymous: ${REASON}`);

  // The events tab, and its CSV export with the actor and reason columns.
  await page.goto(`${server.url}rollouts/${r.id}?tab=events`);
  const events = page.getByRole('tabpanel', { name: 'Events' });
  await expect(events).toContainText(`Roll back by anonymous: ${REASON}`);
  await events.getByRole('button', { name: /^Export/ }).click();
  const csv = await download(page, () => events.getByRole('menuitem', { name: /^CSV/ }).click());
  const lines = csv.text.split('\r\n');
  expect(lines[0]).toBe('lastTimestamp,type,reason,object,message,id,actor,actionReason');
  expect(lines.some((l) => l.startsWith(`${''}`) && l.endsWith(`,anonymous,${REASON}`) && l.includes('ActionRollback'))).toBe(true);

  // The Audit page: filtered by who and what, linked to the rollout, exported as CSV.
  await page.goto(`${server.url}audit?actor=anonymous&action=rollback`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Audit');
  await expect(page.getByRole('combobox', { name: 'Action' })).toHaveValue('rollback');
  const table = page.getByRole('table', { name: 'Audit log' });
  const row = table.getByRole('row').filter({ hasText: REASON });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Roll back');
  await expect(row).toContainText('anonymous');
  await expectNoSeriousA11yViolations(page);
  const audit = await download(page, () => page.getByRole('button', { name: 'Export CSV' }).click());
  expect(audit.name).toBe('audit.csv');
  expect(audit.text.split('\r\n')[0]).toBe('at,actor,action,rolloutId,reason,summary,id');
  expect(audit.text).toContain(`,anonymous,rollback,${r.id},${REASON},`);
  // Another action filter leaves it out; the URL keeps the filters.
  await page.getByRole('combobox', { name: 'Action' }).selectOption({ label: 'Promote' });
  await expect(page).toHaveURL(/action=promote\b/);
  await expect(table.getByRole('row').filter({ hasText: REASON })).toHaveCount(0);
  await page.getByRole('combobox', { name: 'Action' }).selectOption({ label: 'All actions' });
  await row.getByRole('link', { name: r.id }).click();
  await expect(page).toHaveURL(new RegExp(`/rollouts/${r.id}$`));
});

test('on a --require-reason server Confirm waits for a reason and says why', async ({ page }) => {
  const server = await startServer(['--require-reason']);
  try {
    const r = await server.rolloutByName('checkout');
    await page.goto(`${server.url}rollouts/${r.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('checkout');
    const dialog = await choose(page, 'Promote all');
    await expect(dialog.getByRole('region', { name: 'What will be live afterwards' })).toContainText('→ 100 %');
    const confirm = dialog.getByRole('button', { name: 'Confirm' });
    await expect(dialog.getByRole('textbox', { name: /Reason \(required\)/ })).toBeVisible();
    await expect(confirm).toBeDisabled();
    await expect(confirm).toHaveAccessibleDescription('This server asks for a reason with every action.');
    await dialog.getByRole('textbox', { name: /Reason/ }).fill('   ');
    await expect(confirm).toBeDisabled();
    await dialog.getByRole('textbox', { name: /Reason/ }).fill('ship it, metrics are flat');
    await expect(confirm).toBeEnabled();
    await confirm.click();
    await expect(dialog).toBeHidden();
    const d = await server.api(`/rollouts/${r.id}`);
    expect(d.activity.at(-1)).toMatchObject({ action: 'promoteFull', reason: 'ship it, metrics are flat' });
    await expect(page.getByRole('region', { name: 'Activity' })).toContainText('Promote all by anonymous: ship it, metrics are flat');
  } finally {
    server.stop();
  }
});

test('when retention dropped older actions, the Activity list says how many under the newest it keeps', async ({ page }) => {
  const server = await startServer(['--max-actions-per-rollout', '2']);
  try {
    const r = await server.rolloutByName('checkout');
    await page.goto(`${server.url}rollouts/${r.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('checkout');
    const activity = page.getByRole('region', { name: 'Activity' });
    for (const [action, reason] of [['pause', 'first'], ['resume', 'second'], ['pause', 'third']]) {
      const res = await server.post(`/rollouts/${r.id}/actions`, { action, reason });
      expect(res.ok, `${action}: ${await res.text()}`).toBe(true);
    }
    // Three actions, two kept: one dropped, said in plain words under the list.
    const d = await server.api(`/rollouts/${r.id}`);
    expect([d.activity.length, d.activityPruned]).toEqual([2, 1]);
    // The manual clock stood still, so the kept two share one time; the list is still newest
    // first (the wire sends them oldest first).
    expect(d.activity[0].at).toBe(d.activity[1].at);
    expect(d.activity.map((a: any) => a.reason)).toEqual(['second', 'third']);
    await expect(activity.getByRole('listitem')).toHaveCount(2);
    await expect(activity.locator('.activity__line')).toHaveText([
      'Pause by anonymous: third',
      'Resume by anonymous: second',
    ]);
    await expect(activity.locator('.activity__list + .activity__pruned')).toHaveText(
      '1 older action is no longer kept: the server keeps only the newest actions of a rollout (2 shown above).',
    );
    await activity.screenshot({ path: 'test-results/activity-pruned.png' });
  } finally {
    server.stop();
  }
});
