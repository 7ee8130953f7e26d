// The Audit page: live (an action taken elsewhere shows on top without a reload, once) and
// paged ("Load more" continues the list in order, without duplicates, to its end; the live
// refresh keeps the older pages already loaded).
import type { Page, Locator } from '@playwright/test';
import { test, expect, type Server } from './fixtures';

/** The page size the console asks for (src/model/audit.rs `PAGE`). */
const PAGE = 100;

/** Posts `count` actions on the `checkout` rollout (pause, resume, ...), each with its own reason. */
async function act(server: Server, count: number, prefix: string, paused = false): Promise<boolean> {
  const r = await server.rolloutByName('checkout');
  for (let i = 0; i < count; i++) {
    const action = paused ? 'resume' : 'pause';
    const res = await server.post(`/rollouts/${r.id}/actions`, { action, reason: `${prefix} ${i + 1}` });
    expect(res.ok, `${action}: ${await res.text()}`).toBe(true);
    paused = !paused;
  }
  return paused;
}

/** Every reason in the whole audit log, newest first ('' for an entry without one). */
async function allReasons(server: Server): Promise<string[]> {
  const page = await server.api<{ entries: { reason?: string | null }[] }>('/audit?limit=10000');
  return page.entries.map((e) => e.reason ?? '');
}

async function openAudit(page: Page, server: Server): Promise<Locator> {
  await page.goto(`${server.url}audit`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Audit');
  // Marks this document: still there afterwards means nothing reloaded the page.
  await page.evaluate(() => ((window as any).__sameDocument = true));
  return page.getByRole('table', { name: 'Audit log' });
}

const reasons = (table: Locator) => table.locator('tbody td.audit__reason');

async function expectNotReloaded(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
}

test('an action taken elsewhere shows on top without a reload, exactly once', async ({ page, freshServer }) => {
  const server = freshServer;
  const table = await openAudit(page, server);
  const before = await allReasons(server);
  await expect(reasons(table)).toHaveText(before);

  const paused = await act(server, 1, 'taken elsewhere');
  await expect(reasons(table).first()).toHaveText('taken elsewhere 1');
  await expect(reasons(table)).toHaveText(['taken elsewhere 1', ...before]);
  // Another action later: it joins on top, the first stays once.
  await act(server, 1, 'and again', paused);
  await expect(reasons(table)).toHaveText(['and again 1', 'taken elsewhere 1', ...before]);
  await expect(page.locator('.rollouts__count')).toContainText(`${before.length + 2} entries`);
  await expectNotReloaded(page);
});

test('Load more reads the next page, continues in order without duplicates, and goes at the end', async ({ page, freshServer }) => {
  const server = freshServer;
  const start = (await allReasons(server)).length;
  // Just over one page in all.
  await act(server, PAGE + 10 - start, 'paged');
  const all = await allReasons(server);
  expect(all.length).toBe(PAGE + 10);

  const table = await openAudit(page, server);
  await expect(reasons(table)).toHaveText(all.slice(0, PAGE));
  await expect(page.locator('.rollouts__count')).toHaveText(`${PAGE} entries, newest first, more older`);
  const more = page.getByRole('button', { name: 'Load more' });
  await more.click();
  await expect(reasons(table)).toHaveText(all);
  await expect(more).toBeHidden();
  await expect(page.locator('.rollouts__count')).toHaveText(`${all.length} entries, newest first`);
  await page.screenshot({ path: 'test-results/audit-load-more.png' });
});

test('the live refresh keeps the older pages loaded and the cursor of the next one', async ({ page, freshServer }) => {
  const server = freshServer;
  const start = (await allReasons(server)).length;
  // Two pages and a half.
  const paused = await act(server, 2 * PAGE + 50 - start, 'older');
  const all = await allReasons(server);

  const table = await openAudit(page, server);
  await expect(reasons(table)).toHaveCount(PAGE);
  const more = page.getByRole('button', { name: 'Load more' });
  await more.click();
  await expect(reasons(table)).toHaveText(all.slice(0, 2 * PAGE));

  // News: on top, and the two pages read stay below it.
  await act(server, 1, 'news', paused);
  await expect(reasons(table)).toHaveText(['news 1', ...all.slice(0, 2 * PAGE)]);
  // Load more still goes on from where the second page ended, to the end.
  await more.click();
  await expect(reasons(table)).toHaveText(['news 1', ...all]);
  await expect(more).toBeHidden();
  await expectNotReloaded(page);
});

test('on a phone the log keeps its rows short (three lines at most) and scrolls sideways inside its frame', async ({ browser, server }) => {
  const phone = await browser.newPage({ viewport: { width: 412, height: 823 } });
  const table = await openAudit(phone, server);
  const rows = table.locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  // A line is ~17 px, a row's padding and border ~14: a long summary takes two or three
  // lines, no more (each column squeezed to a few characters, a row was ~120 px).
  for (const height of await rows.evaluateAll((trs) => trs.slice(0, 10).map((tr) => tr.getBoundingClientRect().height))) {
    expect(height).toBeLessThanOrEqual(70);
  }
  // The rollout id is whole on its line, not broken at its hyphen.
  const id = table.locator('tbody td a.mono').first();
  expect((await id.boundingBox())!.height).toBeLessThan(24);
  // The frame scrolls; the page does not.
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(412);
  await phone.close();
});
