// The command palette (Ctrl/⌘-K): a modal combobox that jumps to rollouts, workloads and pages
// and runs the actions of the rollout on screen through the same confirmation dialog.
import { test, expect, expectNoSeriousA11yViolations } from './fixtures';

test('Ctrl-K opens a rollout by name; arrows, Enter and Esc work and focus comes back', async ({ page, server }) => {
  const checkout = await server.rolloutByName('checkout');
  await page.goto(`${server.url}workloads`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Workloads');

  // The top bar's button opens it; Esc closes it and gives focus back.
  const button = page.getByRole('button', { name: /Go to/ });
  await button.click();
  const dialog = page.getByRole('dialog', { name: 'Command palette' });
  const input = dialog.getByRole('combobox', { name: 'Go to or run' });
  await expect(input).toBeFocused();
  await expectNoSeriousA11yViolations(page);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(button).toBeFocused();

  await page.keyboard.press('Control+k');
  await expect(input).toBeFocused();
  await input.fill('checkout rev');
  const options = dialog.getByRole('option');
  await expect(options.first()).toContainText(`checkout revision ${checkout.spotDeployment.revision}`);
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await expect(input).toHaveAttribute('aria-activedescendant', (await options.first().getAttribute('id'))!);
  // ↓ then ↑ comes back to the first.
  if ((await options.count()) > 1) {
    await page.keyboard.press('ArrowDown');
    await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowUp');
  }
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`/rollouts/${checkout.id}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('checkout');

  // Pages are there too, and what was chosen recently comes first.
  await page.keyboard.press('Control+k');
  await expect(dialog.getByRole('option').filter({ hasText: `checkout revision` }).first()).toBeVisible();
  await input.fill('clusters');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/clusters$/);
});

test('the palette runs Promote on the rollout on screen through the confirmation dialog', async ({ page, freshServer }) => {
  const server = freshServer;
  const r = await server.rolloutByName('checkout');
  await page.goto(`${server.url}rollouts/${r.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('checkout');
  // The app has the rollout (not only the server's first screen): its actions are the palette's.
  await expect(page.locator('#shell')).toHaveCount(0);

  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.getByRole('combobox').fill('promote');
  const first = palette.getByRole('option').first();
  await expect(first).toContainText('Promote');
  await expect(first).toContainText('on checkout');
  // An action the rollout does not allow now is not offered.
  await expect(palette.getByRole('option').filter({ hasText: /^ActionResume/ })).toHaveCount(0);
  await page.keyboard.press('Enter');

  const confirm = page.getByRole('dialog', { name: 'Promote to the next phase?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Confirm' }).click();
  await expect(confirm).toBeHidden();
  const d = await server.api(`/rollouts/${r.id}`);
  expect(d.phases[0].status).toBe('promoted');
});
