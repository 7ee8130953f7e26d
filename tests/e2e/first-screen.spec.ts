// The server's first screen: /rollouts and /rollouts/:id come with the top of the page as plain
// HTML (real data) that paints before the wasm has loaded, and the app takes its place once it
// has that page's data on screen — with no frame in between that shows neither.
import { test, expect, expectNoSeriousA11yViolations, type RolloutSummary } from './fixtures';
import type { Page } from '@playwright/test';

/** Counts, at every frame, the table rows a person can see (the first screen's or the app's);
 * `window.__fewest` is the smallest count seen since the first frame that had any. */
async function countVisibleRowsEachFrame(page: Page, selector: string): Promise<void> {
  await page.addInitScript((sel) => {
    const w = window as any;
    w.__fewest = null;
    const frame = () => {
      const seen = [...document.querySelectorAll(sel)].filter((e) =>
        e.checkVisibility({ visibilityProperty: true } as any),
      ).length;
      if (w.__fewest !== null || seen > 0) w.__fewest = Math.min(w.__fewest ?? seen, seen);
      if (!w.__done) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }, selector);
}

/** A slow link: the code arrives well after the first screen has painted. */
async function codeArrivesLate(page: Page): Promise<void> {
  await page.route('**/*.wasm', async (route) => {
    await new Promise((r) => setTimeout(r, 800));
    await route.continue();
  });
}

/** Opens /rollouts with the list's data held back: the app runs, hidden, its page still
 * loading, while the first screen is on display. Answers the function that lets the data go. */
async function openListWithItsDataHeld(page: Page): Promise<() => void> {
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route(/\/api\/v1\/rollouts\?/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/rollouts');
  await expect(page.locator('#app.app--pending')).toHaveCount(1);
  return release;
}

test('the rollouts list paints from the server before the wasm, links and form working', async ({ browser, server }) => {
  const list = await server.api<{ items: RolloutSummary[] }>('/rollouts?limit=1');
  const bare = await browser.newPage({ baseURL: server.url });
  await bare.route('**/*.wasm', (route) => route.abort());
  await bare.goto('/rollouts');
  // The data is the server's, as the API has it: the newest rollout first, linked.
  const first = bare.locator('#first-screen tr.rollouts-table__row').first();
  await expect(first.getByRole('link', { name: list.items[0].spotDeployment.name, exact: true })).toHaveAttribute(
    'href',
    `/rollouts/${list.items[0].id}`,
  );
  await expect(bare.locator('#first-screen').getByText(/\d+ rollouts? in the last 7 days/)).toBeVisible();
  // The loading note is a corner pill over it, saying what is going on.
  await expect(bare.getByRole('status').filter({ hasText: 'could not start' })).toBeVisible();
  // The filters are a plain form: searching before the app runs is a navigation it reads.
  await bare.getByRole('searchbox', { name: 'Search' }).fill('checkout');
  await bare.getByRole('searchbox', { name: 'Search' }).press('Enter');
  await expect(bare).toHaveURL(/\/rollouts\?(.*&)?q=checkout/);
  await bare.close();
});

test('the app takes over the list with no frame without rows, and it stays accessible', async ({ page }) => {
  await countVisibleRowsEachFrame(page, 'tr.rollouts-table__row');
  await codeArrivesLate(page);
  await page.goto('/rollouts');
  await expect(page.locator('#first-screen tr.rollouts-table__row').first()).toBeVisible();
  await expect(page.locator('#shell')).toHaveCount(0);
  await expect(page.locator('#app')).not.toHaveClass(/app--pending/);
  // One page: one title, one table, one main landmark; the app's rows are the ones on screen.
  await expect(page.getByRole('heading', { name: 'Rollouts', level: 1 })).toHaveCount(1);
  await expect(page.locator('main')).toHaveCount(1);
  await expect(page.getByRole('table')).toHaveCount(1);
  await expect(page.locator('tr.rollouts-table__row').first()).toBeVisible();
  const fewest = await page.evaluate(() => {
    (window as any).__done = true;
    return (window as any).__fewest;
  });
  expect(fewest).toBeGreaterThan(0);
  // The keys work: "/" reaches the app's search box.
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search' })).toBeFocused();
  await expectNoSeriousA11yViolations(page);
});

test('a rollout page paints from the server, then the app takes over', async ({ page, server }) => {
  const list = await server.api<{ items: RolloutSummary[] }>('/rollouts?spotDeployment=checkout&limit=1');
  const r = list.items[0];
  await codeArrivesLate(page);
  await page.goto(`/rollouts/${r.id}`);
  const early = page.locator('#first-screen');
  await expect(early.getByRole('heading', { name: r.spotDeployment.name, level: 1 })).toBeVisible();
  await expect(early.getByText(r.id, { exact: true })).toBeVisible();
  await expect(page.locator('#shell')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: r.spotDeployment.name, level: 1 })).toHaveCount(1);
  await expect(page.getByText('Rollout phases')).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("a rollout page whose code cannot be fetched keeps the server's copy, says so, and takes over once it can", async ({ page, server }) => {
  const list = await server.api<{ items: RolloutSummary[] }>('/rollouts?spotDeployment=checkout&limit=1');
  const r = list.items[0];
  // The rollout page's code is a lazy part of the wasm (src/app.rs): the network drops it.
  let dropped = 0;
  let cut = true;
  await page.route(/\/part-rollout-[0-9a-f]+\.wasm$/, async (route) => {
    if (!cut) return route.continue();
    dropped++;
    await route.abort('connectionreset');
  });
  await page.goto(`/rollouts/${r.id}`);
  const early = page.locator('#first-screen');
  await expect(page.locator('#shell-status')).toHaveText(
    'The server does not answer: this is the page as it last sent it. Trying again…',
  );
  // Past the 4 s after which the app would otherwise take over: the server's copy stays, as the
  // app has nothing of this page to show in its place.
  await page.waitForTimeout(5_000);
  expect(dropped).toBeGreaterThan(1);
  await expect(early.getByRole('heading', { name: r.spotDeployment.name, level: 1 })).toBeVisible();
  cut = false;
  await expect(page.locator('#shell')).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByRole('heading', { name: r.spotDeployment.name, level: 1 })).toHaveCount(1);
  await expect(page.getByText('Rollout phases')).toBeVisible();
});

test('a code part gone from the server (a new build) reloads the page once, then says so and the app goes on', async ({ page }) => {
  await page.route(/\/part-rollout-[0-9a-f]+\.wasm$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const openARollout = async () => {
    await expect(page.locator('#shell')).toHaveCount(0);
    await page.evaluate(() => ((window as any).__sameDocument = true));
    await page.locator('.rollouts-table__link').first().click();
  };
  await page.goto('/rollouts');
  // The page's build is gone: it loads afresh (a new build would have the part)…
  const reloaded = page.waitForEvent('load');
  await openARollout();
  await reloaded;
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBeUndefined();
  // …and the part missing again right after, it says so rather than reloading in a loop or
  // stopping the app: the list is still there and works.
  await openARollout();
  const note = page.getByRole('alert').filter({ hasText: 'not on the server right now' });
  await expect(note).toBeVisible();
  await page.waitForTimeout(2_000);
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  await expect(note).toBeVisible();
  await page.getByRole('link', { name: 'Workloads' }).click();
  await expect(page.getByRole('heading', { name: 'Workloads', level: 1 })).toBeVisible();
  expect(errors).toEqual([]);
});

test('a code part the network drops after the app took over: a note says so, and goes when the page comes', async ({ page }) => {
  let cut = true;
  await page.route(/\/part-rollout-[0-9a-f]+\.wasm$/, (route) => (cut ? route.abort('connectionreset') : route.continue()));
  await page.goto('/rollouts');
  await expect(page.locator('#shell')).toHaveCount(0);
  await page.locator('.rollouts-table__link').first().click();
  const note = page.getByRole('status').filter({ hasText: 'The server does not answer' });
  await expect(note).toBeVisible();
  cut = false;
  await expect(page.getByText('Rollout phases')).toBeVisible({ timeout: 15_000 });
  await expect(note).toHaveCount(0);
});

test("a rollout page opened from a link fetches its code part with the main wasm, and only once", async ({ page, server }) => {
  const list = await server.api<{ items: RolloutSummary[] }>('/rollouts?limit=1');
  // What the browser asks for, in order, and which answers came over the network (not its cache).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const asked: string[] = [];
  const fromNetwork: string[] = [];
  cdp.on('Network.requestWillBeSent', (e: any) => asked.push(new URL(e.request.url).pathname));
  cdp.on('Network.responseReceived', (e: any) => {
    if (!e.response.fromDiskCache && !e.response.fromPrefetchCache) fromNetwork.push(new URL(e.response.url).pathname);
  });
  await page.goto(`/rollouts/${list.items[0].id}`);
  await expect(page.locator('#shell')).toHaveCount(0);
  // Past the 3 s after which the loader fetches the rollout page's part again (a cache hit here).
  await page.waitForTimeout(4_000);
  const part = /^\/part-rollout-[0-9a-f]+\.wasm$/;
  const firstPart = asked.findIndex((p) => part.test(p));
  const glue = asked.findIndex((p) => /^\/rollout-console-[0-9a-f]+\.js$/.test(p));
  expect(firstPart, 'the part is asked for').toBeGreaterThan(-1);
  expect(firstPart, 'before the main code starts (the glue JS is asked for after it)').toBeLessThan(glue);
  expect(fromNetwork.filter((p) => part.test(p))).toHaveLength(1);
  await cdp.detach();
});

test('following a link of the first screen while the app waits for data hands over at once', async ({ page, server }) => {
  const list = await server.api<{ items: RolloutSummary[] }>('/rollouts?limit=1');
  // The list's data is slow; the code is not: the app runs, hidden, with its page still loading.
  const release = await openListWithItsDataHeld(page);
  await page.locator('#first-screen').getByRole('link', { name: list.items[0].spotDeployment.name, exact: true }).first().click();
  await expect(page).toHaveURL(new RegExp(`/rollouts/${list.items[0].id}$`));
  await expect(page.locator('#shell')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: list.items[0].spotDeployment.name, level: 1 })).toBeVisible();
  release();
});

test('Ctrl-K while the app waits for data hands over at once, with the palette open', async ({ page }) => {
  const release = await openListWithItsDataHeld(page);
  await page.keyboard.press('Control+k');
  await expect(page.getByRole('dialog', { name: 'Command palette' }).getByRole('combobox')).toBeFocused();
  await expect(page.locator('#shell')).toHaveCount(0);
  release();
});

test('what a person typed into the first screen is carried into the app, focus included', async ({ page }) => {
  // The list's data is slow: the first screen is what a person works with meanwhile.
  const release = await openListWithItsDataHeld(page);
  const early = page.locator('#first-screen');
  await early.getByRole('combobox', { name: 'Status' }).selectOption('paused');
  // "/" reaches the search box on screen (the first screen's: the app's is still hidden).
  await page.keyboard.press('/');
  await expect(early.getByRole('searchbox', { name: 'Search' })).toBeFocused();
  await page.keyboard.type('cart');
  release();
  await expect(page.locator('#shell')).toHaveCount(0);
  await expect(page).toHaveURL(/[?&]q=cart/);
  await expect(page).toHaveURL(/[?&]status=paused/);
  const search = page.getByRole('searchbox', { name: 'Search' });
  await expect(search).toHaveValue('cart');
  await expect(search).toBeFocused();
  await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('paused');
  // Typing goes on in the app's box.
  await page.keyboard.type('-x');
  await expect(search).toHaveValue('cart-x');
});

/** What a person reads in each part of the page under `root`, in order (with the search box's
 * placeholder), for comparing the first screen with the app. */
async function readParts(page: Page, root: string, parts: string[]): Promise<string[]> {
  return page.evaluate(
    ([root, parts]) =>
      parts.map((sel) =>
        [...document.querySelectorAll(`${root} ${sel}`)]
          .map((e) => `${(e as HTMLElement).innerText.trim()}${e.getAttribute('placeholder') ?? ''}`)
          .join(' | '),
      ),
    [root, parts] as const,
  );
}

test('the first screen reads as the app does, word for word, on both pages', async ({ browser, server }) => {
  const list = await server.api<{ items: RolloutSummary[] }>('/rollouts?spotDeployment=cart&limit=1');
  // Wording lives on both sides (the console's views, the server's first_screen/): this keeps
  // them from drifting apart, which would show as a jump when the app takes over.
  const pages: [string, string[]][] = [
    [
      '/rollouts',
      [
        '.rollouts__head',
        '.summary-bar__label',
        '.summary-bar__value',
        '.filters__label',
        '.filters__control[type=search]',
        'thead',
        'tbody tr.rollouts-table__row:nth-child(-n+6) td:not(.rollouts-table__cell--ticking)',
      ],
    ],
    [`/rollouts/${list.items[0].id}`, ['.rollout-header__where', '.rollout-header__top h1', '.rollout-header__status', '.rollout-banners', '.summary']],
  ];
  for (const [path, parts] of pages) {
    const bare = await browser.newPage({ baseURL: server.url });
    await bare.route('**/*.wasm', (route) => route.abort());
    await bare.goto(path);
    const early = await readParts(bare, '#first-screen', parts);
    await bare.close();
    const live = await browser.newPage({ baseURL: server.url });
    await live.goto(path);
    await expect(live.locator('#shell')).toHaveCount(0);
    await expect(live.locator(`main ${parts[parts.length - 1]}`).first()).toBeVisible();
    const app = await readParts(live, 'main', parts);
    await live.close();
    for (const [i, part] of parts.entries()) {
      expect(early[i], `${path} ${part}`).not.toBe('');
      expect(early[i], `${path} ${part}`).toBe(app[i]);
    }
  }
});
