// The light and dark themes: the system's preference is followed unless the top bar's choice
// says otherwise (kept in local storage, applied before the first paint), and every main page
// passes axe in both, colour contrast included.
import type { Page } from '@playwright/test';
import { test, expect, expectNoSeriousA11yViolations, type Server } from './fixtures';

/** The main pages, each waited for until its content is drawn. */
async function pages(server: Server): Promise<[string, (p: Page) => Promise<void>][]> {
  const checkout = await server.rolloutByName('checkout');
  const failed = await server.rolloutByName('inventory');
  const heading = (name: string | RegExp) => async (p: Page) => {
    await expect(p.getByRole('heading', { level: 1 })).toContainText(name);
  };
  return [
    ['rollouts', heading('Rollouts')],
    [`rollouts/${checkout.id}`, heading('checkout')],
    [`rollouts/${failed.id}?tab=events`, heading('inventory')],
    ['workloads', heading('Workloads')],
    ['workloads/prod-us-east/payments/payments-api', heading('payments-api')],
    ['clusters', heading('Clusters')],
    ['attention', heading('Attention')],
    ['audit', heading('Audit')],
    ['apply', heading('Apply')],
  ];
}

for (const scheme of ['light', 'dark'] as const) {
  test(`every main page passes axe in the ${scheme} theme`, async ({ page, server }) => {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [path, ready] of await pages(server)) {
      await page.goto(`${server.url}${path}`);
      await ready(page);
      await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
      await page.waitForTimeout(300); // the live data settles
      await expectNoSeriousA11yViolations(page);
    }
  });
}

test('the top bar choice overrides the system, survives a reload and is set before the first paint', async ({ page, server }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`${server.url}rollouts`);
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const dark = await background();

  const theme = page.getByRole('combobox', { name: 'Theme' });
  await theme.selectOption({ label: 'Light' });
  await expect(html).toHaveAttribute('data-theme', 'light');
  expect(await background()).not.toBe(dark);
  await expectNoSeriousA11yViolations(page);

  // Before any wasm runs: the inline script already drew the stored choice.
  await page.goto(`${server.url}workloads`, { waitUntil: 'commit' });
  await page.waitForFunction(() => document.documentElement.hasAttribute('data-theme'));
  expect(await html.getAttribute('data-theme')).toBe('light');
  await expect(theme).toHaveValue('light');

  // Back to the system's: it follows the preference, also when the preference changes.
  await theme.selectOption({ label: 'System theme' });
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(html).toHaveAttribute('data-theme', 'light');
  expect(await page.evaluate(() => localStorage.getItem('theme'))).toBeNull();
});
