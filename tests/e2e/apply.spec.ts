// The Apply page: YAML in an editor, a dry run after every edit (per document, problems at
// their lines, what would happen to rollouts, the diff of each change), then Apply.
import { test, expect, expectNoSeriousA11yViolations, startSnapshotServer } from './fixtures';

test('a dry run marks an invalid document at its line, shows the change and the rollout it would start; Apply starts it', async ({ page, freshServer }) => {
  const server = freshServer;
  const before = await server.rolloutByName('pricing');
  const manifests = await server.api(`/rollouts/${before.id}/manifests`);
  const current: string = manifests.newManifest;
  const oldImage = current.match(/image: (\S+)/)![1];
  const newImage = oldImage.replace(/:[^:]+$/, ':9.9.9');
  const changed = current.replace(oldImage, newImage).trimEnd();
  const broken = ['apiVersion: v1', 'kind: Gadget', 'metadata:', '  name: gizmo'].join('\n');
  const text = `${changed}\n---\n${broken}\n`;
  const badLine = text.split('\n').indexOf('kind: Gadget') + 1;

  await page.goto(`${server.url}apply`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Apply');
  const editor = page.getByRole('textbox', { name: 'YAML to apply' });
  await editor.fill(text);

  // The dry run runs by itself once typing settles.
  const plan = page.getByRole('region', { name: 'Dry run' });
  await expect(plan).toContainText('2 documents: 1 changed, 1 invalid');
  // The invalid document: marked in the gutter at its line, with the message; listed below.
  const mark = page.locator(`.editor__num[data-line="${badLine}"]`);
  await expect(mark).toHaveClass(/editor__num--bad/);
  await expect(mark).toHaveAttribute('title', /unknown kind `Gadget`/);
  const problem = page.getByRole('list', { name: 'Problems' }).getByRole('button', { name: new RegExp(`^Line ${badLine}\\b`) });
  await expect(problem).toBeVisible();
  await problem.click();
  await expect(editor).toBeFocused();
  expect(await editor.evaluate((t: HTMLTextAreaElement) => t.value.slice(t.selectionStart, t.selectionEnd))).toBe('kind: Gadget');
  // The change: its diff against what is stored; with an invalid document nothing would apply.
  await expect(plan.getByRole('table', { name: 'Document changes' })).toContainText(newImage);
  await expect(plan).toContainText('nothing would be applied until it is fixed');
  const apply = plan.getByRole('button', { name: 'Apply', exact: true });
  await expect(apply).toBeDisabled();
  await expectNoSeriousA11yViolations(page);

  // Only the valid change: Apply is offered, and starts the rollout.
  await editor.fill(`${changed}\n`);
  await expect(plan).toContainText('1 document: 1 changed');
  await expect(plan.getByRole('list', { name: 'Rollouts that would start' })).toContainText('storefront/pricing');
  await expect(page.locator('.editor__num--bad')).toHaveCount(0);
  await expect(apply).toBeEnabled();
  await page.screenshot({ path: 'test-results/apply-dry-run.png' });
  // Nothing changed yet.
  expect((await server.rolloutByName('pricing')).id).toBe(before.id);
  await apply.click();
  const done = plan.getByRole('status').filter({ hasText: 'Applied 1 document' });
  await expect(done).toBeVisible();
  const started = await server.rolloutByName('pricing');
  expect(started.id).not.toBe(before.id);
  // After the apply the same text is unchanged.
  await expect(plan).toContainText('1 document: 1 unchanged');
  await done.getByRole('link', { name: started.id }).click();
  await expect(page).toHaveURL(new RegExp(`/rollouts/${started.id}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('pricing');
});

test('a value past a cap is marked at its own line, not at its document\'s first line', async ({ page, freshServer }) => {
  const server = freshServer;
  const short = ['kind: Strategy', 'name: short', 'canary:', '  steps: [{setWeight: 100}]'].join('\n');
  const long = [
    'kind: Strategy',
    'name: long-pause',
    'canary:',
    '  steps:',
    '    - setWeight: 10',
    '    - {setWeight: 80, pause: {duration: 99999d}}',
    '    - setWeight: 100',
  ].join('\n');
  const text = `${short}\n---\n${long}\n`;
  const lines = text.split('\n');
  const docStart = lines.lastIndexOf('kind: Strategy') + 1;
  const badLine = lines.findIndex((l) => l.includes('99999d')) + 1;
  expect(badLine).toBe(11);

  await page.goto(`${server.url}apply`);
  const editor = page.getByRole('textbox', { name: 'YAML to apply' });
  await editor.fill(text);
  const plan = page.getByRole('region', { name: 'Dry run' });
  await expect(plan).toContainText('2 documents: 1 created, 1 invalid');
  // The one marker sits on the duration's line, saying why; not on the document's first line.
  const bad = page.locator('.editor__num--bad');
  await expect(bad).toHaveCount(1);
  await expect(bad).toHaveAttribute('data-line', String(badLine));
  await expect(bad).toHaveAttribute('title', /pause\.duration: .*30 days/);
  await expect(page.locator(`.editor__num[data-line="${docStart}"]`)).not.toHaveClass(/editor__num--bad/);
  const problem = page.getByRole('list', { name: 'Problems' }).getByRole('button', { name: new RegExp(`^Line ${badLine}\\b`) });
  await expect(problem).toBeVisible();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`a disabled Apply button looks inert in the ${scheme} theme: muted, not-allowed, no hover`, async ({ page, server }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${server.url}apply`);
    const plan = page.getByRole('region', { name: 'Dry run' });
    const apply = plan.getByRole('button', { name: 'Apply', exact: true });
    const neutral = plan.getByRole('button', { name: 'Dry run now' });
    await expect(apply).toBeDisabled();
    const look = (l: typeof apply) =>
      l.evaluate((b) => {
        const s = getComputedStyle(b);
        return { bg: s.backgroundColor, color: s.color, cursor: s.cursor, opacity: s.opacity };
      });
    const off = await look(apply);
    const on = await look(neutral);
    // No accent fill and no fading: the plain surface of an ordinary button, fainter text.
    expect(off.cursor).toBe('not-allowed');
    expect(off.opacity).toBe('1');
    expect(off.bg).toBe(on.bg);
    expect(off.color).not.toBe(on.color);
    await apply.hover();
    expect(await look(apply)).toEqual(off);
    await plan.locator('.apply__bar').screenshot({ path: `test-results/apply-disabled-${scheme}.png` });
  });
}

test('a read-only snapshot server shows the dry run only, and says why', async ({ page }) => {
  const server = await startSnapshotServer();
  try {
    await page.goto(`${server.url}apply`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Apply');
    const plan = page.getByRole('region', { name: 'Dry run' });
    await expect(plan).toContainText('This server is read-only: it shows the dry run only.');
    await expect(plan.getByRole('button', { name: 'Apply', exact: true })).toHaveCount(0);
    await page.getByRole('textbox', { name: 'YAML to apply' }).fill('apiVersion: v1\nkind: Gadget\n');
    await expect(plan.getByText(/The dry run failed|1 document/)).toBeVisible();
  } finally {
    server.stop();
  }
});
