// The application view (lower part of /rollouts/:id): Events / Resources / CRD diff tabs, their
// exports and Copy, checked against what the real server's API says.
import { test, expect, expectNoSeriousA11yViolations, type Server } from './fixtures';
import type { Download, Locator, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// ---------------------------------------------------------------------------------------------
// Helpers (local to this suite)

interface ApiEvent {
  id: number;
  rolloutId: string | null;
  lastTimestamp: string;
  type: 'Normal' | 'Warning';
  reason: string;
  object: string;
  message: string;
}

interface ApiPod {
  name: string;
  replicaSet: string;
  version: 'stable' | 'latest';
  status: string;
  containersReadiness: string;
  ready: boolean;
  restarts: number;
  node: string;
  createdAt: string;
}

interface ApiReplicaSet {
  name: string;
  version: 'stable' | 'latest';
  revision: number;
  image: string;
  desired: number;
  ready: number;
}

interface ApiResources {
  pods: ApiPod[];
  replicaSets: { stable: ApiReplicaSet | null; latest: ApiReplicaSet | null };
  services: unknown[];
}

interface ApiManifests {
  oldVersion: number | null;
  newVersion: number;
  oldManifest: string;
  newManifest: string;
}

/** RFC 4180 reader: every record must end in CRLF; quoted fields may hold , " CR LF. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i += 1;
      } else {
        field += c;
        i += 1;
      }
      continue;
    }
    if (c === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
      i += 1;
    } else if (c === ',') {
      record.push(field);
      field = '';
      i += 1;
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else if (c === '\n' || c === '\r') {
      throw new Error(`bare line break outside quotes at ${i} (records must end in CRLF)`);
    } else {
      field += c;
      i += 1;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length > 0) throw new Error('the last record does not end in CRLF');
  return records;
}

const EVENT_HEADER = ['lastTimestamp', 'type', 'reason', 'object', 'message', 'id', 'actor', 'actionReason'];
const eventRecord = (e: ApiEvent) => [
  e.lastTimestamp,
  e.type,
  e.reason,
  e.object,
  e.message,
  String(e.id),
  (e as any).actor ?? '',
  (e as any).actionReason ?? '',
];

const POD_HEADER = ['name', 'version', 'replicaSet', 'phase', 'readyContainers', 'ready', 'restarts', 'node', 'createdAt'];
const versionLabel = (v: ApiPod['version']) => (v === 'latest' ? 'canary' : 'stable');
const podRecord = (p: ApiPod) => [
  p.name,
  versionLabel(p.version),
  p.replicaSet,
  p.status,
  p.containersReadiness,
  String(p.ready),
  String(p.restarts),
  p.node,
  p.createdAt,
];

/** What the events text filter lets through: every field, case-insensitive. */
function eventMatches(e: ApiEvent, needle: string): boolean {
  const hay = `${e.type} ${e.reason} ${e.object} ${e.message}`.toLowerCase();
  return hay.includes(needle.trim().toLowerCase());
}

/** kubectl-style age, as the Resources tab shows it. */
function kubeAge(createdAt: string, now: string): string {
  const s = Math.max(0, Math.floor((Date.parse(now) - Date.parse(createdAt)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Optional screenshots for a human look: APPVIEW_SHOTS=1. */
async function shot(target: Page | Locator, name: string): Promise<void> {
  if (!process.env.APPVIEW_SHOTS) return;
  mkdirSync('/tmp/shots', { recursive: true });
  await target.screenshot({ path: `/tmp/shots/appview-${name}.png`, animations: 'disabled' });
}

async function openRollout(page: Page, server: Server, name: string, tab?: string): Promise<string> {
  const r = await server.rolloutByName(name);
  await page.goto(`${server.url}rollouts/${r.id}${tab ? `?tab=${tab}` : ''}`);
  await expect(page.getByRole('heading', { level: 1 }).first()).toContainText(name);
  return r.id;
}

const appView = (page: Page) => page.getByRole('region', { name: 'Application view' });
const panel = (page: Page, tab: string) => page.getByRole('tabpanel', { name: tab });

/** Chooses a format in a panel's Export menu and returns the saved file. */
async function exportAs(page: Page, scope: Locator, format: RegExp): Promise<{ name: string; text: string }> {
  const button = scope.getByRole('button', { name: /^Export/ });
  await button.click();
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  const item = scope.getByRole('menuitem', { name: format });
  const [download] = await Promise.all([page.waitForEvent('download'), item.click()]);
  await expect(button).toHaveAttribute('aria-expanded', 'false');
  return { name: download.suggestedFilename(), text: await readDownload(download) };
}

async function readDownload(download: Download): Promise<string> {
  const file = await download.path();
  const bytes = readFileSync(file);
  // UTF-8 without a BOM, decoded strictly (a wrong encoding throws).
  expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** Applies `diff` to `oldText` with the system's `patch -p1` and returns the result. */
function applyPatch(oldText: string, diff: string, fileName: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'appview-patch-'));
  try {
    const target = path.join(dir, fileName);
    writeFileSync(target, oldText);
    writeFileSync(path.join(dir, 'change.diff'), diff);
    execFileSync('patch', ['-p1', '--batch', '--no-backup-if-mismatch', '-i', 'change.diff'], { cwd: dir });
    return readFileSync(target, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The file name a unified diff's `+++ b/<name>` header patches. */
function patchedName(diff: string): string {
  const m = diff.match(/^\+\+\+ b\/(\S+)/m);
  if (!m) throw new Error(`no +++ header in\n${diff.slice(0, 300)}`);
  return m[1];
}

async function grantClipboard(page: Page, server: Server): Promise<void> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
}

/** The rows of the events table (virtualized: the ones rendered), without the header row. */
const eventRows = (page: Page) => page.getByRole('table', { name: 'Kubernetes events' }).locator('[role=row][aria-rowindex]:not([aria-rowindex="1"])');

async function eventRowData(row: Locator) {
  const cells = row.getByRole('cell');
  return {
    datetime: await cells.nth(0).locator('time').getAttribute('datetime'),
    title: await cells.nth(0).locator('time').getAttribute('title'),
    type: (await cells.nth(1).innerText()).trim(),
    reason: (await cells.nth(2).innerText()).trim(),
    object: (await cells.nth(3).innerText()).trim(),
    message: (await cells.nth(4).innerText()).trim(),
  };
}

// ---------------------------------------------------------------------------------------------
// Tabs

test.describe('tabs', () => {
  test('Events is the default; tabs switch by mouse, keep the URL, and a deep link opens a tab', async ({ page, server }) => {
    await openRollout(page, server, 'checkout');
    const tabs = appView(page).getByRole('tablist', { name: 'Application view' });
    await expect(tabs.getByRole('tab')).toHaveText(['Events', 'Resources', 'CRD diff']);
    await expect(tabs.getByRole('tab', { name: 'Events' })).toHaveAttribute('aria-selected', 'true');
    await expect(panel(page, 'Events')).toBeVisible();
    await expect(panel(page, 'Resources')).toBeHidden();

    await tabs.getByRole('tab', { name: 'Resources' }).click();
    await expect(page).toHaveURL(/[?&]tab=resources\b/);
    await expect(tabs.getByRole('tab', { name: 'Resources' })).toHaveAttribute('aria-selected', 'true');
    await expect(tabs.getByRole('tab', { name: 'Events' })).toHaveAttribute('aria-selected', 'false');
    await expect(panel(page, 'Resources')).toBeVisible();
    await expect(panel(page, 'Events')).toBeHidden();

    await tabs.getByRole('tab', { name: 'CRD diff' }).click();
    await expect(page).toHaveURL(/[?&]tab=diff\b/);
    await expect(panel(page, 'CRD diff')).toBeVisible();
    await expect(panel(page, 'CRD diff').getByRole('table', { name: 'SpotDeployment changes' })).toBeVisible();

    // The URL alone opens the same view.
    const url = page.url();
    await page.goto('about:blank');
    await page.goto(url);
    await expect(appView(page).getByRole('tab', { name: 'CRD diff' })).toHaveAttribute('aria-selected', 'true');
    await expect(panel(page, 'CRD diff')).toBeVisible();
    await expect(panel(page, 'Events')).toBeHidden();
  });

  test('arrow keys, Home and End move between tabs and select them (WAI-ARIA tabs)', async ({ page, server }) => {
    await openRollout(page, server, 'checkout', 'events');
    const tab = (name: string) => appView(page).getByRole('tab', { name, exact: true });
    // One tab stop: only the selected tab is in the tab order.
    await expect(tab('Events')).toHaveAttribute('tabindex', '0');
    await expect(tab('Resources')).toHaveAttribute('tabindex', '-1');
    await tab('Events').focus();

    const expectOn = async (name: string, key: string) => {
      await expect(tab(name)).toBeFocused();
      await expect(tab(name)).toHaveAttribute('aria-selected', 'true');
      await expect(tab(name)).toHaveAttribute('tabindex', '0');
      await expect(page).toHaveURL(new RegExp(`[?&]tab=${key}\\b`));
      await expect(panel(page, name)).toBeVisible();
    };
    await page.keyboard.press('ArrowRight');
    await expectOn('Resources', 'resources');
    await page.keyboard.press('ArrowRight');
    await expectOn('CRD diff', 'diff');
    await page.keyboard.press('ArrowRight'); // wraps around
    await expectOn('Events', 'events');
    await page.keyboard.press('ArrowLeft'); // wraps back
    await expectOn('CRD diff', 'diff');
    await page.keyboard.press('Home');
    await expectOn('Events', 'events');
    await page.keyboard.press('End');
    await expectOn('CRD diff', 'diff');
    // Tab leaves the tab list for the panel.
    await page.keyboard.press('Tab');
    await expect(tab('CRD diff')).not.toBeFocused();
    const focusedInPanel = await panel(page, 'CRD diff').evaluate((p) => p.contains(document.activeElement));
    expect(focusedInPanel).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Events

test.describe('events', () => {
  test('newest first with relative and exact times; Warning stands out; axe', async ({ page, server }) => {
    const id = await openRollout(page, server, 'payments-api');
    const events = await server.events<ApiEvent>(id);
    expect(events.length).toBeGreaterThan(3);
    const p = panel(page, 'Events');
    await expect(p.getByText(plural(events.length, 'event', 'events'), { exact: true })).toBeVisible();
    await expect(eventRows(page).first()).toBeVisible();
    await expect(page.getByRole('table', { name: 'Kubernetes events' })).toHaveAttribute(
      'aria-rowcount',
      String(events.length + 1),
    );

    const n = Math.min(8, events.length);
    for (let i = 0; i < n; i++) {
      const row = await eventRowData(eventRows(page).nth(i));
      const e = events[i];
      expect(row.datetime).toBe(e.lastTimestamp);
      expect(row.title).toContain(e.lastTimestamp.slice(0, 10)); // exact time on hover
      expect(row.type).toBe(e.type);
      expect(row.reason).toBe(e.reason);
      expect(row.object).toBe(e.object);
      expect(row.message).toBe(e.message);
    }
    const times = eventRows(page).locator('time');
    await expect(times.first()).toHaveText(/just now|\d+[smhd] ago/);

    // A Warning row is marked by more than its word: another colour and an icon.
    const warnIdx = events.findIndex((e) => e.type === 'Warning');
    const normIdx = events.findIndex((e) => e.type === 'Normal');
    expect(warnIdx).toBeGreaterThanOrEqual(0);
    expect(normIdx).toBeGreaterThanOrEqual(0);
    await page.getByRole('combobox', { name: 'Type' }).selectOption('all');
    const typeCell = async (type: string) => {
      const cell = eventRows(page).getByRole('cell').filter({ hasText: new RegExp(`^${type}$`) }).first();
      return cell.evaluate((el) => ({
        color: getComputedStyle(el).color,
        weight: getComputedStyle(el).fontWeight,
        icon: el.querySelector('svg') !== null,
        rowBg: getComputedStyle(el.parentElement!).backgroundColor,
      }));
    };
    const warn = await typeCell('Warning');
    const norm = await typeCell('Normal');
    expect(warn.icon).toBe(true);
    expect(norm.icon).toBe(false);
    expect(warn.color).not.toBe(norm.color);
    expect(warn.rowBg).not.toBe(norm.rowBg);

    await shot(appView(page), 'events');
    await expectNoSeriousA11yViolations(page);
  });

  test('filter by type and text; the export and copy are of the filtered view and say so', async ({ page, server }) => {
    const id = await openRollout(page, server, 'payments-api');
    await grantClipboard(page, server);
    const events = await server.events<ApiEvent>(id);
    const p = panel(page, 'Events');
    await expect(p.getByRole('button', { name: 'Export', exact: true })).toBeEnabled();

    // Type: Warning only.
    const warnings = events.filter((e) => e.type === 'Warning');
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThan(events.length);
    await p.getByRole('combobox', { name: 'Type' }).selectOption('Warning');
    await expect(p.getByText(`${warnings.length} of ${events.length} events`)).toBeVisible();
    await expect(page.getByRole('table', { name: 'Kubernetes events' })).toHaveAttribute(
      'aria-rowcount',
      String(warnings.length + 1),
    );
    const shownTypes = await eventRows(page).locator('[role=cell]:nth-child(2)').allInnerTexts();
    expect(shownTypes.length).toBeGreaterThan(0);
    expect(new Set(shownTypes.map((t) => t.trim()))).toEqual(new Set(['Warning']));

    // And text: a word taken from the data, typed in another case.
    const needle = warnings[warnings.length - 1].reason.toUpperCase();
    const expected = warnings.filter((e) => eventMatches(e, needle));
    await p.getByRole('searchbox', { name: 'Filter events' }).fill(needle);
    await expect(p.getByText(`${expected.length} of ${events.length} events`)).toBeVisible();
    const label = `Export (filtered: ${expected.length} of ${events.length})`;
    const exportButton = p.getByRole('button', { name: label });
    await expect(exportButton).toBeVisible();
    await shot(appView(page), 'events-filtered');

    const csv = await exportAs(page, p, /^CSV/);
    expect(csv.name).toBe(`${id}-events.csv`);
    const records = parseCsv(csv.text);
    expect(records[0]).toEqual(EVENT_HEADER);
    expect(records.slice(1)).toEqual(expected.map(eventRecord));

    const json = await exportAs(page, p, /^JSON/);
    expect(json.name).toBe(`${id}-events.json`);
    expect(JSON.parse(json.text)).toEqual(expected);

    await p.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(p.getByRole('status')).toHaveText(`Copied ${plural(expected.length, 'event', 'events')} as CSV`);
    await expect(p.getByRole('status')).toBeVisible();
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    expect(clip).toBe(csv.text);

    // The filter is in the URL: a link opens the same filtered view.
    await expect(page).toHaveURL(/[?&]type=Warning\b/);
    expect(new URL(page.url()).searchParams.get('q')).toBe(needle);
    const link = page.url();
    await page.goto('about:blank');
    await page.goto(link);
    await expect(appView(page).getByRole('tab', { name: 'Events' })).toHaveAttribute('aria-selected', 'true');
    await expect(p.getByRole('combobox', { name: 'Type' })).toHaveValue('Warning');
    await expect(p.getByRole('searchbox', { name: 'Filter events' })).toHaveValue(needle);
    await expect(p.getByRole('button', { name: label })).toBeVisible();

    // A filter that matches nothing says so and leaves nothing to export.
    await p.getByRole('searchbox', { name: 'Filter events' }).fill('no event says zqxjv');
    await expect(p.getByText('No event matches the filter.')).toBeVisible();
    await expect(p.getByRole('button', { name: /^Export/ })).toBeDisabled();

    // Clearing the filters brings every event back and the plain "Export".
    await p.getByRole('searchbox', { name: 'Filter events' }).fill('');
    await p.getByRole('combobox', { name: 'Type' }).selectOption('all');
    await expect(p.getByText(plural(events.length, 'event', 'events'), { exact: true })).toBeVisible();
    await expect(p.getByRole('button', { name: 'Export', exact: true })).toBeEnabled();
  });

  test('unfiltered exports hold every event exactly as the API gives them; Copy confirms', async ({ page, server }) => {
    const id = await openRollout(page, server, 'checkout');
    await grantClipboard(page, server);
    const events = await server.events<ApiEvent>(id);
    const p = panel(page, 'Events');
    await expect(p.getByText(plural(events.length, 'event', 'events'), { exact: true })).toBeVisible();

    const csv = await exportAs(page, p, /^CSV/);
    expect(csv.name).toBe(`${id}-events.csv`);
    const records = parseCsv(csv.text);
    expect(records[0]).toEqual(EVENT_HEADER);
    expect(records.slice(1)).toEqual(events.map(eventRecord));

    const json = await exportAs(page, p, /^JSON/);
    expect(json.name).toBe(`${id}-events.json`);
    expect(JSON.parse(json.text)).toEqual(events);

    // Keyboard: the menu opens on ArrowDown with the first format focused; Esc closes it.
    const button = p.getByRole('button', { name: 'Export', exact: true });
    await button.focus();
    await page.keyboard.press('ArrowDown');
    await expect(p.getByRole('menu', { name: 'Export formats' })).toBeVisible();
    await expect(p.getByRole('menuitem', { name: /^CSV/ })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(p.getByRole('menuitem', { name: /^JSON/ })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(p.getByRole('menu')).toBeHidden();
    await expect(button).toBeFocused();

    await p.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(p.getByRole('status')).toHaveText(`Copied ${plural(events.length, 'event', 'events')} as CSV`);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(csv.text);
  });

  test('the list is virtualized: a window of rows in the DOM, scrolling reaches the oldest event', async ({ page, server }) => {
    const id = await openRollout(page, server, 'payments-api');
    const events = await server.events<ApiEvent>(id);
    await expect(eventRows(page).first()).toBeVisible();
    const rendered = await eventRows(page).count();
    // Only precondition: enough events to need scrolling (the demo's failed rollout has them).
    test.skip(events.length < 40, `only ${events.length} events`);
    expect(rendered).toBeLessThan(events.length);
    const body = page.getByRole('table', { name: 'Kubernetes events' }).locator('[role=rowgroup].virtual-list');
    // The scrolling list is reachable and scrollable from the keyboard.
    await body.focus();
    await expect(body).toBeFocused();
    await page.keyboard.press('End');
    await expect
      .poll(async () => (await eventRows(page).last().getAttribute('aria-rowindex')) ?? '')
      .toBe(String(events.length + 1));
    const last = await eventRowData(eventRows(page).last());
    const oldest = events[events.length - 1];
    expect(last.datetime).toBe(oldest.lastTimestamp);
    expect(last.message).toBe(oldest.message);
    await expect(eventRows(page).last()).toBeInViewport();
    expect(await eventRows(page).count()).toBeLessThan(events.length);
  });

  test('a new event arrives live, without a reload', async ({ page, freshServer }) => {
    const id = await openRollout(page, freshServer, 'checkout');
    const before = await freshServer.events<ApiEvent>(id);
    const p = panel(page, 'Events');
    await expect(p.getByText(plural(before.length, 'event', 'events'), { exact: true })).toBeVisible();
    const marker = await page.evaluate(() => ((window as any).__noReload = 'still here'));

    // The canary's first window ends: the next phase scales the canary up, which makes events.
    await freshServer.advance(180);
    const after = await freshServer.events<ApiEvent>(id);
    expect(after.length).toBeGreaterThan(before.length);

    await expect(p.getByText(plural(after.length, 'event', 'events'), { exact: true })).toBeVisible();
    const first = await eventRowData(eventRows(page).first());
    expect(first.datetime).toBe(after[0].lastTimestamp);
    expect(first.message).toBe(after[0].message);
    expect(await page.evaluate(() => (window as any).__noReload)).toBe(marker);

    // And the export follows: the new events are in it, newest first.
    const json = await exportAs(page, p, /^JSON/);
    expect(JSON.parse(json.text)).toEqual(after);
  });
});

// ---------------------------------------------------------------------------------------------
// Resources

/** Each replica set of the API answer is a table of its pods (or says it has none). */
async function expectPodGroups(page: Page, res: ApiResources, now: string): Promise<void> {
  const p = panel(page, 'Resources');
  const sets = [res.replicaSets.latest, res.replicaSets.stable].filter((s): s is ApiReplicaSet => !!s);
  expect(sets.length).toBeGreaterThan(0);
  let rowsSeen = 0;
  for (const rs of sets) {
    await expect(p.getByRole('heading', { name: new RegExp(`^ReplicaSet ${rs.name}\\b`) })).toBeVisible();
    const pods = res.pods.filter((x) => x.replicaSet === rs.name).sort((a, b) => a.name.localeCompare(b.name));
    const table = p.getByRole('table', { name: new RegExp(`ReplicaSet ${rs.name}\\b`) });
    if (pods.length === 0) {
      await expect(table).toBeHidden();
      const says = rs.desired === 0 ? 'No pods: this replica set is scaled down to 0.' : 'No pods yet.';
      await expect(p.getByText(says)).toBeVisible();
      continue;
    }
    await expect(table).toBeVisible();
    const rows = table.getByRole('row').filter({ has: page.getByRole('cell') });
    await expect(rows).toHaveCount(pods.length);
    for (let i = 0; i < pods.length; i++) {
      const pod = pods[i];
      const cells = (await rows.nth(i).getByRole('cell').allInnerTexts()).map((t) => t.trim());
      expect(cells).toEqual([
        pod.name,
        versionLabel(pod.version),
        pod.status,
        pod.containersReadiness,
        String(pod.restarts),
        kubeAge(pod.createdAt, now),
        pod.node,
      ]);
    }
    rowsSeen += pods.length;
  }
  expect(rowsSeen).toBe(res.pods.length);
}

test.describe('resources', () => {
  test('one row per pod grouped by replica set, as the API says; exports and copy; axe', async ({ page, server }) => {
    const id = await openRollout(page, server, 'checkout', 'resources');
    await grantClipboard(page, server);
    const res = await server.api<ApiResources>(`/rollouts/${id}/resources`);
    const health = await server.api<{ now: string }>('/health');
    const p = panel(page, 'Resources');
    expect(res.pods.length).toBeGreaterThan(0);
    await expect(p.getByText(plural(res.pods.length, 'pod', 'pods'), { exact: true })).toBeVisible();

    await expectPodGroups(page, res, health.now);
    await shot(appView(page), 'resources');
    await expectNoSeriousA11yViolations(page);

    const csv = await exportAs(page, p, /^CSV/);
    expect(csv.name).toBe(`${id}-resources.csv`);
    const records = parseCsv(csv.text);
    expect(records[0]).toEqual(POD_HEADER);
    expect(records.slice(1)).toEqual(res.pods.map(podRecord));

    const json = await exportAs(page, p, /^JSON/);
    expect(json.name).toBe(`${id}-resources.json`);
    expect(JSON.parse(json.text)).toEqual(res);

    await p.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(p.getByRole('status')).toHaveText(`Copied ${plural(res.pods.length, 'pod', 'pods')} as CSV`);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(csv.text);

    // A rolled-back rollout: its canary replica set is scaled down and says so.
    const failedId = await openRollout(page, server, 'payments-api', 'resources');
    const failed = await server.api<ApiResources>(`/rollouts/${failedId}/resources`);
    await expect(p.getByText(plural(failed.pods.length, 'pod', 'pods'), { exact: true })).toBeVisible();
    await expectPodGroups(page, failed, (await server.api<{ now: string }>('/health')).now);
  });

  test('pods update live when the rollout moves on', async ({ page, freshServer }) => {
    const id = await openRollout(page, freshServer, 'checkout', 'resources');
    const before = await freshServer.api<ApiResources>(`/rollouts/${id}/resources`);
    const p = panel(page, 'Resources');
    await expect(p.getByText(plural(before.pods.length, 'pod', 'pods'), { exact: true })).toBeVisible();

    await freshServer.advance(180);
    const after = await freshServer.api<ApiResources>(`/rollouts/${id}/resources`);
    const key = (r: ApiResources) => JSON.stringify(r.pods.map((x) => [x.name, x.status, x.containersReadiness]));
    expect(key(after)).not.toBe(key(before));

    await expect(p.getByText(plural(after.pods.length, 'pod', 'pods'), { exact: true })).toBeVisible();
    for (const pod of after.pods) {
      const row = p.getByRole('row').filter({ has: page.getByRole('cell', { name: pod.name, exact: true }) });
      await expect(row).toHaveCount(1);
      await expect(row.getByRole('cell').nth(2)).toHaveText(pod.status);
      await expect(row.getByRole('cell').nth(3)).toHaveText(pod.containersReadiness);
    }
    const gone = before.pods.filter((x) => !after.pods.some((y) => y.name === x.name));
    for (const pod of gone) await expect(p.getByRole('cell', { name: pod.name, exact: true })).toHaveCount(0);
  });
});

// ---------------------------------------------------------------------------------------------
// CRD diff

test.describe('CRD diff', () => {
  test('unified view: line numbers of both sides, word marks, folds that expand; axe', async ({ page, server }) => {
    const id = await openRollout(page, server, 'checkout', 'diff');
    const m = await server.api<ApiManifests>(`/rollouts/${id}/manifests`);
    expect(m.oldManifest).not.toBe('');
    const oldLines = m.oldManifest.replace(/\n$/, '').split('\n');
    const newLines = m.newManifest.replace(/\n$/, '').split('\n');
    const p = panel(page, 'CRD diff');
    const table = p.getByRole('table', { name: 'SpotDeployment changes' });
    await expect(table).toBeVisible();
    await expect(p.getByRole('button', { name: 'Unified' })).toHaveAttribute('aria-pressed', 'true');
    await expect(p.getByText(new RegExp(`revision ${m.oldVersion} → revision ${m.newVersion}: \\+\\d+ −\\d+ lines`))).toBeVisible();

    // Every rendered line is the line of that number on its side.
    const rows = await table.locator('tbody tr.diff__line').evaluateAll((trs) =>
      trs.map((tr) => {
        const td = tr.querySelectorAll('td');
        const code = td[2] as HTMLElement;
        const sign = code.querySelector('.diff__sign')?.textContent ?? '';
        const text = code.querySelector('.diff__text')?.textContent ?? '';
        return {
          old: td[0].textContent ?? '',
          new: td[1].textContent ?? '',
          sign,
          text,
          marks: [...code.querySelectorAll('mark')].map((x) => x.textContent ?? ''),
        };
      }),
    );
    expect(rows.length).toBeGreaterThan(0);
    let added = 0;
    let removed = 0;
    for (const r of rows) {
      if (r.old) expect(oldLines[Number(r.old) - 1]).toBe(r.text);
      if (r.new) expect(newLines[Number(r.new) - 1]).toBe(r.text);
      if (r.sign === '+') {
        added++;
        expect(r.old).toBe('');
      }
      if (r.sign === '-') {
        removed++;
        expect(r.new).toBe('');
      }
      for (const mark of r.marks) expect(r.text).toContain(mark);
    }
    expect(added + removed).toBeGreaterThan(0);
    // Word-level: a changed line marks only part of itself.
    const marked = rows.filter((r) => r.marks.length > 0);
    expect(marked.length).toBeGreaterThan(0);
    expect(marked.some((r) => r.marks.join('').length < r.text.trim().length)).toBe(true);

    // Unchanged stretches are folded; the control expands exactly those lines.
    const fold = p.getByRole('button', { name: /^Show \d+ unchanged lines/ }).first();
    await expect(fold).toBeVisible();
    const label = (await fold.textContent())!;
    const [, count, from, to] = label.match(/^Show (\d+) unchanged lines \((\d+)–(\d+)\)/)!;
    expect(Number(to) - Number(from) + 1).toBe(Number(count));
    const before = await table.locator('tbody tr.diff__line').count();
    await shot(appView(page), 'diff-unified');
    await expectNoSeriousA11yViolations(page);
    await fold.click();
    await expect(table.locator('tbody tr.diff__line')).toHaveCount(before + Number(count));
    const byNewNumber = await table.locator('tbody tr.diff__line').evaluateAll((trs) =>
      Object.fromEntries(
        trs.map((tr) => [tr.querySelectorAll('td')[1].textContent ?? '', tr.querySelector('.diff__text')?.textContent ?? '']),
      ),
    );
    for (let n = Number(from); n <= Number(to); n++) expect(byNewNumber[String(n)]).toBe(newLines[n - 1]);
  });

  test('side-by-side view pairs the two versions, numbered on each side', async ({ page, server }) => {
    const id = await openRollout(page, server, 'checkout', 'diff');
    const m = await server.api<ApiManifests>(`/rollouts/${id}/manifests`);
    const oldLines = m.oldManifest.replace(/\n$/, '').split('\n');
    const newLines = m.newManifest.replace(/\n$/, '').split('\n');
    const p = panel(page, 'CRD diff');
    await p.getByRole('button', { name: 'Side by side' }).click();
    await expect(p.getByRole('button', { name: 'Side by side' })).toHaveAttribute('aria-pressed', 'true');
    await expect(p.getByRole('button', { name: 'Unified' })).toHaveAttribute('aria-pressed', 'false');
    const table = p.getByRole('table', { name: 'SpotDeployment changes' });
    await expect(table.getByRole('columnheader')).toHaveText(['Previous line', 'Previous', 'New line', 'This rollout']);
    const rows = await table.locator('tbody tr.diff__line').evaluateAll((trs) =>
      trs.map((tr) => {
        const td = [...tr.querySelectorAll('td')];
        const text = (cell: Element) => cell.querySelector('.diff__text')?.textContent ?? '';
        return {
          oldNo: td[0].textContent ?? '',
          oldText: text(td[1]),
          oldKind: td[1].className,
          newNo: td[2].textContent ?? '',
          newText: text(td[3]),
          newKind: td[3].className,
        };
      }),
    );
    expect(rows.length).toBeGreaterThan(0);
    let paired = 0;
    for (const r of rows) {
      if (r.oldNo) expect(oldLines[Number(r.oldNo) - 1]).toBe(r.oldText);
      if (r.newNo) expect(newLines[Number(r.newNo) - 1]).toBe(r.newText);
      if (r.oldKind.includes('removed') && r.newKind.includes('added')) paired++;
    }
    expect(paired).toBeGreaterThan(0); // a changed line faces its new version
    await expect(table.locator('mark').first()).toBeVisible();
    await shot(appView(page), 'diff-split');
    await expectNoSeriousA11yViolations(page);
  });

  test('exports: the .diff applies with patch to the old YAML and gives the new; Copy copies it', async ({ page, server }) => {
    const id = await openRollout(page, server, 'checkout', 'diff');
    await grantClipboard(page, server);
    const m = await server.api<ApiManifests>(`/rollouts/${id}/manifests`);
    const p = panel(page, 'CRD diff');
    await expect(p.getByRole('table', { name: 'SpotDeployment changes' })).toBeVisible();

    const diff = await exportAs(page, p, /^Unified diff/);
    expect(diff.name).toBe(`${id}-spotdeployment.diff`);
    expect(diff.text).toMatch(/^--- a\/\S+\n\+\+\+ b\/\S+\n@@ -\d+(,\d+)? \+\d+(,\d+)? @@/);
    expect(applyPatch(m.oldManifest, diff.text, patchedName(diff.text))).toBe(m.newManifest);

    const oldYaml = await exportAs(page, p, /^Previous YAML/);
    expect(oldYaml.name).toBe(`${id}-spotdeployment-old.yaml`);
    expect(oldYaml.text).toBe(m.oldManifest);
    const newYaml = await exportAs(page, p, /^This rollout's YAML/);
    expect(newYaml.name).toBe(`${id}-spotdeployment-new.yaml`);
    expect(newYaml.text).toBe(m.newManifest);
    // The downloaded files themselves round-trip.
    expect(applyPatch(oldYaml.text, diff.text, patchedName(diff.text))).toBe(newYaml.text);

    await p.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(p.getByRole('status')).toContainText('Copied the unified diff');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(diff.text);
  });

  test('a 5,000-line SpotDeployment: the diff renders folded, expands, and its .diff patches', async ({ page, server }) => {
    const name = 'bulk-config';
    const big = (tag: string, variant: number) => {
      const lines = [
        'apiVersion: spot.io/v1beta1',
        'kind: SpotDeployment',
        'metadata:',
        `  name: ${name}`,
        '  namespace: bulk',
        'spec:',
        '  replicas: 2',
        '  selector:',
        `    matchLabels: {app: ${name}}`,
        '  template:',
        '    metadata:',
        `      labels: {app: ${name}}`,
        '    spec:',
        '      containers:',
        `        - name: ${name}`,
        `          image: registry.example.com/bulk/${name}:${tag}`,
        '          env:',
      ];
      for (let i = 0; i < 2_495; i++) {
        lines.push(`            - name: SETTING_${i}`);
        lines.push(`              value: "${variant > 0 && i % 97 === 0 ? `v${variant}-${i}` : `base-${i}`}"`);
      }
      return lines.join('\n') + '\n';
    };
    const setup = `
apiVersion: v1
kind: Service
metadata: {name: ${name}-stable, namespace: bulk}
spec: {selector: {app: ${name}}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}-canary, namespace: bulk}
spec: {selector: {app: ${name}}, ports: [{port: 80}]}
---
apiVersion: spot.io/v1beta1
kind: Strategy
name: ${name}-two-steps
canary:
  steps:
    - setWeight: 50
      pause: {}
    - setWeight: 100
---
apiVersion: spot.io/v1beta1
kind: RolloutSpec
name: ${name}-rollout
spotDeployment: {clusterId: prod-us-east, namespace: bulk, name: ${name}}
strategy: {name: ${name}-two-steps}
traffic: {stableService: ${name}-stable, canaryService: ${name}-canary}
---
`;
    const v1 = big('1.0.0', 0);
    const v2 = big('1.1.0', 1);
    expect(v1.split('\n').length).toBeGreaterThan(5_000);
    await server.apply(setup + v1);
    await server.apply(v2);
    const id = await openRollout(page, server, name, 'diff');
    const m = await server.api<ApiManifests>(`/rollouts/${id}/manifests`);
    // The server keeps the manifests in its own normal form: compare with what it says.
    const a = m.oldManifest.split('\n');
    const b = m.newManifest.split('\n');
    expect(a.length).toBeGreaterThan(5_000);
    expect(b.length).toBe(a.length);
    expect(m.newManifest).toContain('v1-97');
    // Same line count on both sides, changes far apart: each is one removed and one added line.
    const changed = a.filter((line, i) => line !== b[i]).length;
    expect(changed).toBeGreaterThan(20);

    const p = panel(page, 'CRD diff');
    await expect(p.getByText(`revision ${m.oldVersion} → revision ${m.newVersion}: +${changed} −${changed} lines`)).toBeVisible({
      timeout: 20_000,
    });
    const table = p.getByRole('table', { name: 'SpotDeployment changes' });
    await expect(table).toBeVisible();
    // Folded: far fewer rows than lines, one fold between each pair of changes.
    const rendered = await table.locator('tbody tr').count();
    expect(rendered).toBeLessThan(1_000);
    const folds = p.getByRole('button', { name: /^Show \d+ unchanged lines/ });
    expect(await folds.count()).toBeGreaterThanOrEqual(changed - 1);
    const changedRows = table.locator('tbody tr.diff__line--added');
    // Every change is reachable (possibly behind "Show more").
    const more = p.getByRole('button', { name: /^Show more/ });
    while (await more.isVisible()) await more.click();
    await expect(changedRows).toHaveCount(changed);
    // The page still answers: switching tab and back works.
    await appView(page).getByRole('tab', { name: 'Events' }).click();
    await expect(panel(page, 'Events')).toBeVisible();
    await appView(page).getByRole('tab', { name: 'CRD diff' }).click();
    await expect(table).toBeVisible();

    await shot(appView(page), 'diff-large');
    const diff = await exportAs(page, p, /^Unified diff/);
    expect(applyPatch(m.oldManifest, diff.text, patchedName(diff.text))).toBe(m.newManifest);
  });
});

// ---------------------------------------------------------------------------------------------
// Copy refused

test('a refused clipboard is reported, not silently ignored', async ({ page, server }) => {
  // The one simulated case: the browser refuses writeText (as it does without permission).
  await page.addInitScript(() => {
    const refuse = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
    Object.defineProperty(Clipboard.prototype, 'writeText', { value: refuse, configurable: true });
  });
  await openRollout(page, server, 'payments-api');
  const p = panel(page, 'Events');
  await p.getByRole('button', { name: 'Copy', exact: true }).click();
  const status = p.getByRole('status');
  await expect(status).toHaveText(/^Copy failed: .*Write permission denied/);
  await expect(status).toBeVisible();
  await expect(status).not.toContainText('Copied');
  await shot(appView(page), 'copy-refused');
});
