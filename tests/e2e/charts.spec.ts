// Charts people can read (issue 16): a verification's "why", the traffic-weight timeline, and
// their data tables, against the real server's demo. Expected texts are derived from the API.
import type { Page, Locator } from '@playwright/test';
import { test, expect, expectNoSeriousA11yViolations, type Server } from './fixtures';

async function openRollout(page: Page, server: Server, name: string): Promise<any> {
  const r = await server.rolloutByName(name);
  await page.goto(`${server.url}rollouts/${r.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
  return server.api(`/rollouts/${r.id}`);
}

function phaseCard(page: Page, name: string): Locator {
  return page
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { level: 3, name, exact: true }) });
}

/** The console's clock time of a timestamp (UTC, HH:MM:SS). */
const clock = (ts: string) => new Date(ts).toISOString().slice(11, 19);
/** The console's number format: up to 4 decimals, no trailing zeros. */
const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(4).replace(/0+$/, '').replace(/\.$/, ''));
const PRETTY: Record<string, string> = { '<=': '≤', '>=': '≥', '<': '<', '>': '>', '==': '=', '!=': '≠' };
const NEGATED: Record<string, string> = { '<=': '>', '>=': '<', '<': '≥', '>': '≤', '==': '≠', '!=': '=' };

/** `result[0] >= 0.95` → ['>=', 0.95]. */
function comparison(condition: string): [string, number] {
  const m = condition.match(/(<=|>=|==|!=|<|>)\s*([-\d.]+)/);
  if (!m) throw new Error(`not a simple comparison: ${condition}`);
  return [m[1], Number(m[2])];
}

test.describe('verification chart', () => {
  test('the failed verification of inventory shows the threshold, the failed point and the verdict', async ({ page, server }) => {
    const d = await openRollout(page, server, 'inventory');
    const phase = d.phases.find((p: any) => p.verifications.some((v: any) => v.status === 'failed'));
    expect(phase, 'inventory has a failed verification').toBeTruthy();
    const v = phase.verifications.find((x: any) => x.status === 'failed');
    const card = phaseCard(page, phase.name);

    const chart = card.getByRole('img', { name: new RegExp(`^${v.metricName} data points: `) });
    await expect(chart).toBeVisible();
    // The threshold, labelled from the condition, with the side that passes.
    const [op, threshold] = comparison(v.conditions.success);
    await expect(chart).toHaveAccessibleName(new RegExp(`pass: ${PRETTY[op]} ${num(threshold)}$`));
    await expect(chart.locator('.chart__threshold')).toHaveCount(1);
    await expect(chart.locator('.chart__threshold-label')).toHaveText(`pass: ${PRETTY[op]} ${num(threshold)}`);
    await expect(chart.locator('.chart__pass')).toHaveCount(1);
    // Every failed measurement is a cross, every passed one a circle.
    const failed = v.dataPoints.filter((p: any) => p.status === 'failed');
    const passed = v.dataPoints.filter((p: any) => p.status === 'successful');
    expect(failed.length).toBeGreaterThan(0);
    await expect(chart.locator('.chart__point--cross')).toHaveCount(failed.length);
    await expect(chart.locator('.chart__point--circle')).toHaveCount(passed.length);
    // The verdict: when, the value and the threshold it broke.
    const decisive = failed[v.failureLimit] ?? failed[failed.length - 1];
    const verdict = `Failed at ${clock(decisive.timestamp)}: ${num(decisive.value)} ${NEGATED[op]} ${num(threshold)}`;
    await expect(card.getByText(verdict, { exact: false })).toBeVisible();

    // Keyboard: the points are one tab stop; arrows move, the read-out says time, value, status.
    const points = card.getByRole('group', { name: /Measurements, one by one/ });
    await points.locator('[tabindex="0"]').focus();
    await page.keyboard.press('Home');
    const first = v.dataPoints[0];
    const firstLabel = `${clock(first.timestamp)} · ${num(first.value)} · ${first.status === 'successful' ? 'passed' : 'failed'}`;
    await expect(card.locator('.chart__readout')).toHaveText(firstLabel);
    await expect(points.getByRole('img', { name: firstLabel })).toBeFocused();
    await page.keyboard.press('End');
    const last = v.dataPoints[v.dataPoints.length - 1];
    await expect(card.locator('.chart__readout')).toContainText(`${clock(last.timestamp)} · ${num(last.value)}`);

    // The data table holds the same numbers as the API.
    await card.getByText('Data points and query').click();
    const rows = card.getByRole('table').getByRole('row');
    await expect(rows).toHaveCount(v.dataPoints.length + 1);
    for (const [i, p] of v.dataPoints.entries()) {
      await expect(rows.nth(i + 1).getByRole('cell').nth(0)).toHaveText(clock(p.timestamp));
      await expect(rows.nth(i + 1).getByRole('cell').nth(1)).toHaveText(String(p.value));
    }

    // Expand to full width and back.
    const expand = card.getByRole('button', { name: 'Expand' });
    await expand.click();
    await expect(card.locator('.verification--wide')).toHaveCount(1);
    await card.getByRole('button', { name: 'Narrow' }).click();
    await expect(card.locator('.verification--wide')).toHaveCount(0);
    await expectNoSeriousA11yViolations(page);
  });

  test('background verifications are drawn on the rollout time axis', async ({ page, server }) => {
    const d = await openRollout(page, server, 'recommendations');
    const bg = page.getByRole('region', { name: 'Background verifications' });
    for (const v of d.backgroundVerifications) {
      await expect(bg.getByRole('img', { name: new RegExp(`^${v.metricName} data points: `) })).toBeVisible();
    }
  });
});

test.describe('traffic-weight timeline', () => {
  test('a rollout paused until someone acts, then promoted: the pause and the action are on it', async ({ page, freshServer }) => {
    const server = freshServer;
    let d = await openRollout(page, server, 'search');
    const paused = d.phases.find((p: any) => p.pausedAt && !p.endTime);
    expect(paused, 'search waits for someone').toBeTruthy();
    const timeline = page.getByRole('img', { name: /^Canary traffic % over time/ });
    await expect(timeline).toBeVisible();
    // Paused now: an indefinite pause running to "now", and the steps still to come dashed.
    await expect(timeline.locator('.chart__pause--indefinite')).toHaveCount(1);
    await expect(timeline.locator('.chart__now')).toHaveCount(1);
    await expect(timeline.locator('.chart__planned')).toHaveCount(1);

    const res = await server.post(`/rollouts/${d.id}/actions`, { action: 'promote' });
    expect(res.status).toBe(200);
    await server.advance(5);
    d = await server.api(`/rollouts/${d.id}`);
    const action = d.activity.find((a: any) => a.action === 'promote');
    expect(action).toBeTruthy();
    // Live: the action is marked where the pause ended, without a reload.
    const mark = timeline.locator('.chart__mark--action');
    await expect(mark).toHaveCount(1);
    await expect(mark.locator('title')).toHaveText(`Promoted by ${action.actor} at ${clock(action.at)}`);
    const p = d.phases.find((x: any) => x.name === paused.name);
    await expect(timeline.locator('.chart__pause--indefinite title')).toHaveText(
      `${p.name}: paused ${clock(p.pausedAt)} → ${clock(p.endTime)} (until someone acts)`,
    );

    // The data table: one row per step, with its weight and state.
    const figure = page.getByRole('figure').filter({ has: timeline });
    await figure.getByRole('button', { name: 'Data' }).click();
    const rows = figure.getByRole('table').getByRole('row');
    await expect(rows).toHaveCount(d.phases.length + 1);
    for (const [i, ph] of d.phases.entries()) {
      await expect(rows.nth(i + 1).getByRole('cell').nth(0)).toHaveText(ph.name);
      await expect(rows.nth(i + 1).getByRole('cell').nth(1)).toHaveText(`${ph.trafficPercentage}%`);
    }
    await expect(figure.getByRole('listitem').filter({ hasText: `Promoted by ${action.actor}` })).toHaveCount(1);
    await expectNoSeriousA11yViolations(page);
  });
});

test.describe('workload trend', () => {
  test('one bar per recent rollout, coloured and signed by outcome, each opening its rollout', async ({ page, server }) => {
    const r = await server.rolloutByName('checkout');
    const list = await server.api(
      `/rollouts?clusterId=${r.clusterId}&namespace=${r.namespace}&spotDeployment=checkout&limit=20&from=1970-01-01T00:00:00Z`,
    );
    expect(list.items.length).toBeGreaterThan(1);
    await page.goto(`${server.url}workloads/${r.clusterId}/${r.namespace}/checkout`);
    const chart = page.getByRole('img', { name: /^Duration of the last \d+ rollouts/ });
    await expect(chart).toBeVisible();
    const bars = chart.locator('.chart__bar');
    await expect(bars).toHaveCount(list.items.length);
    // Oldest on the left: the last bar is the newest rollout, and its tooltip names it.
    const newest = list.items[0];
    await expect(bars.last().locator('title')).toContainText(`${newest.id}: `);
    // The numbers beside it: the table has one row per bar.
    const table = page.getByRole('table', { name: 'Recent rollouts' });
    await expect(table.getByRole('row')).toHaveCount(list.items.length + 1);
    // Same rollouts, same order (oldest first) as the bars.
    const oldestFirst = [...list.items].reverse();
    for (const [i, item] of oldestFirst.entries()) {
      await expect(table.getByRole('row').nth(i + 1).getByRole('link')).toHaveText(item.id);
      await expect(bars.nth(i).locator('title')).toContainText(`${item.id}: `);
    }
    await expectNoSeriousA11yViolations(page);
    // A bar opens its rollout.
    await bars.last().click({ force: true });
    await expect(page).toHaveURL(new RegExp(`/rollouts/${newest.id}$`));
    await expect(page.getByRole('heading', { level: 1 })).toContainText('checkout');
  });
});
