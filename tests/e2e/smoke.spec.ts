// Smoke: the real server serves the built console, and the console shows what the API says.
import { createHash } from 'node:crypto';
import { test, expect, expectNoSeriousA11yViolations } from './fixtures';

test('the console loads and shows data that came from the API', async ({ page, server }) => {
  const health = await server.api<{ version: string; rollouts: number }>('/health');
  await page.goto('/');
  await expect(page).toHaveURL(/\/rollouts/);
  // The top bar reports the engine version and rollout count read from /api/v1/health.
  await expect(page.getByText(`engine ${health.version} · ${health.rollouts} rollouts`)).toBeVisible();
  // A demo rollout from /api/v1/rollouts is linked by its SpotDeployment name.
  const checkout = await server.rolloutByName('checkout');
  await expect(page.getByRole('link', { name: 'checkout', exact: true }).first()).toHaveAttribute(
    'href',
    `/rollouts/${checkout.id}`,
  );
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
});

test('a deep link opens the rollout page and unknown paths get a 404 page', async ({ page, server }) => {
  const checkout = await server.rolloutByName('checkout');
  const res = await page.goto(`/rollouts/${checkout.id}`);
  expect(res?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 }).first()).toContainText('checkout');
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test('the console is served with a strict content security policy', async ({ request, server }) => {
  const res = await request.get(server.url);
  const csp = res.headers()['content-security-policy'];
  expect(csp).toContain("'wasm-unsafe-eval'");
  expect(csp).not.toContain('unsafe-inline');
  expect(res.headers()['x-content-type-options']).toBe('nosniff');
  // Every integrity hash the loader gives (the JS glue's modulepreload, the wasm's fetch)
  // matches the file as served: the build minifies the glue after Trunk hashed it, and must hash
  // it again; a mismatch would stop the console from starting.
  const pinned = [...(await res.text()).matchAll(/"(\/[^"]+\.(?:js|wasm))"[^"]*integrity: "(sha384-[A-Za-z0-9+/=]+)"/g)];
  expect(pinned.map((m) => m[1].split('.').pop()).sort()).toEqual(['js', 'wasm']);
  for (const [, href, want] of pinned) {
    const body = await (await request.get(new URL(href, server.url).toString())).body();
    expect(`sha384-${createHash('sha384').update(body).digest('base64')}`, href).toBe(want);
  }
});

test('the page paints its bar before the wasm runs, and the app takes its place', async ({ browser, page, server }) => {
  // Without the wasm (a page of its own: its failing start is the point, not a test failure):
  // the shell from index.html, styled by its inline CSS (the CSP allows it by hash), saying the
  // console could not start rather than loading forever.
  const bare = await browser.newPage({ baseURL: server.url });
  const blocked: string[] = [];
  bare.on('console', (m) => {
    if (/Content Security Policy/.test(m.text())) blocked.push(m.text());
  });
  await bare.route('**/*.wasm', (route) => route.abort());
  await bare.goto('/rollouts');
  const nav = bare.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Workloads' })).toHaveAttribute('href', '/workloads');
  await expect(bare.getByRole('status')).toHaveText(/^The console could not start \(.+\)\. Reload the page to try again\.$/);
  expect(await bare.locator('header.topbar').evaluate((h) => getComputedStyle(h).display)).toBe('flex');
  expect(blocked).toEqual([]);
  await bare.close();
  // With it: the shell is gone and the app's own bar and page stand alone.
  await page.goto('/rollouts');
  await expect(page.getByRole('heading', { name: 'Rollouts', level: 1 })).toBeVisible();
  await expect(page.locator('#shell')).toHaveCount(0);
  await expect(page.locator('main')).toHaveCount(1);
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(1);
});

test('on a phone no page is wider than the screen (the bar scrolls on its own, to the page\'s link)', async ({ browser, server }) => {
  const phone = await browser.newPage({ baseURL: server.url, viewport: { width: 412, height: 823 } });
  for (const path of ['/rollouts', '/clusters', '/attention', '/apply']) {
    await phone.goto(path);
    await expect(phone.locator('#shell')).toHaveCount(0);
    await expect(phone.getByRole('heading', { level: 1 })).toBeVisible();
    // The bar scrolls on its own; the page does not scroll sideways.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(412);
    // The page's own link is in view (Apply, last of the bar, included); the brand too when
    // the link fits without scrolling.
    const current = phone.locator('.topbar__nav a[aria-current="page"]');
    const box = (await current.boundingBox())!;
    expect(box.x, path).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, path).toBeLessThanOrEqual(412);
    if (path === '/rollouts') await expect(phone.locator('.topbar__brand')).toBeInViewport({ ratio: 1 });
  }
  await phone.close();
});

test('a tab that never paints (opened in the background) still starts the console', async ({ browser, server }) => {
  const hidden = await browser.newPage({ baseURL: server.url });
  // A background tab runs no animation frames until it is shown: the loader, which waits for
  // the first paint, must not wait for that.
  await hidden.addInitScript(() => {
    window.requestAnimationFrame = () => 0;
  });
  await hidden.goto('/workloads');
  await expect(hidden.locator('#shell')).toHaveCount(0);
  await expect(hidden.getByRole('heading', { name: 'Workloads', level: 1 })).toBeVisible();
  await hidden.close();
});
