// A server with a token: the console opened with the printed `#token=` link trades it for an
// HttpOnly session cookie, takes it out of the address bar, and then works (list, live stream,
// an action); without the link the API refuses.
import { test, expect, startServer } from './fixtures';

const TOKEN = 'e2e-session-token-0123456789abcdef0123';

test('the #token= link opens a session and leaves the token nowhere', async ({ page }) => {
  const server = await startServer(['--token', TOKEN]);
  try {
    expect((await fetch(`${server.url}api/v1/rollouts`)).status).toBe(401);
    await page.goto(`${server.url}#token=${TOKEN}`);
    await expect(page).toHaveURL(/\/rollouts/);
    expect(page.url()).not.toContain(TOKEN);
    const checkout = page.getByRole('link', { name: 'checkout', exact: true }).first();
    await expect(checkout).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
    // The cookie is HttpOnly and SameSite=Strict: no script sees it.
    expect(await page.evaluate(() => document.cookie)).not.toContain('rollout_session');
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'rollout_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    expect(session?.value).not.toContain(TOKEN);
    // A deep link in a new tab of the same browser works without the token.
    const other = await page.context().newPage();
    await other.goto(`${server.url}rollouts`);
    await expect(other.getByRole('link', { name: 'checkout', exact: true }).first()).toBeVisible();
  } finally {
    server.stop();
  }
});

test('without the link a token server shows the refusal, not an empty list', async ({ page }) => {
  const server = await startServer(['--token', TOKEN]);
  try {
    await page.goto(server.url);
    await expect(page.getByText(/needs its token/).first()).toBeVisible();
  } finally {
    server.stop();
  }
});
