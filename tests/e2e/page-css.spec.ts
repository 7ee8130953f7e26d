// The CSS of the lazily loaded pages is a file of its own (scripts/post-build.mjs): the list's
// page does not carry it, a rollout's first screen has it before it paints, and a page reached
// from the list shows only once its CSS is in.
import { test, expect, type RolloutSummary } from './fixtures';

/** The rollout header's status icon: 26 px on the rollout page (its own CSS), 20 px without. */
const headerIconWidth = '.rollout-header__name .status-icon';

test("the list's page carries only the list's CSS; a rollout's first screen comes styled", async ({ browser, server }) => {
  const page = await (await fetch(`${server.url}rollouts`)).text();
  expect(page).toContain('.rollouts-table');
  expect(page).not.toContain('.rollout-header');
  expect(page).toMatch(/pageStyles/);

  const list = await server.api<{ items: RolloutSummary[] }>('/rollouts?limit=1');
  const bare = await browser.newPage({ baseURL: server.url });
  // No wasm: what shows is the server's first screen alone.
  await bare.route('**/*.wasm', (route) => route.abort());
  await bare.goto(`/rollouts/${list.items[0].id}`);
  const icon = bare.locator(`#first-screen ${headerIconWidth}`);
  await expect(icon).toBeVisible();
  expect(await icon.evaluate((e) => getComputedStyle(e).width)).toBe('26px');
  await bare.close();
});

test("a rollout opened from the list before the pages' CSS has arrived shows with it", async ({ page }) => {
  // The CSS comes 1.5 s after it is asked for: the rollout page's part must wait for it.
  await page.route('**/pages-*.css', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.goto('/rollouts');
  await expect(page.locator('#shell')).toHaveCount(0);
  await page.locator('.rollouts-table__link').first().click();
  const icon = page.locator(headerIconWidth);
  await icon.waitFor();
  expect(await icon.evaluate((e) => getComputedStyle(e).width)).toBe('26px');
  await expect(page.getByText('Rollout phases')).toBeVisible();
});
