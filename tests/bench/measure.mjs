// What the browser benchmarks measure, in the page: long tasks (> 50 ms), the time from a
// keystroke or a scroll step to its painted frame, and how figures are printed.
import { chromium } from 'playwright-core';

export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript(() => {
    window.__long = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(e.duration))).observe({
      type: 'longtask',
      buffered: true,
    });
  });
  return { browser, page };
}

/** Long tasks since the last call. */
export const longTasks = (page) => page.evaluate(() => window.__long.splice(0));

/** Types `text` into the focused input one key at a time; each key's time to the next frame. */
export async function typeKeys(page, text) {
  const times = [];
  for (const ch of text) {
    times.push(
      await page.evaluate(async (c) => {
        const input = document.activeElement;
        const t = performance.now();
        input.value += c;
        input.dispatchEvent(new InputEvent('input', { bubbles: true, data: c }));
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        return performance.now() - t;
      }, ch),
    );
  }
  return times;
}

/** Scrolls `selector` `count` times by `step` px (or a screen); each step's time to its frame. */
export function scroll(page, selector, step, count) {
  return page.evaluate(
    async ([selector, step, count]) => {
      const el = document.querySelector(selector);
      const out = [];
      for (let i = 0; i < count; i++) {
        const t = performance.now();
        el.scrollTop += step === 'screen' ? el.clientHeight : step;
        // The scroll handler renders the new rows; the frame after it paints them.
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        out.push(performance.now() - t);
      }
      return out;
    },
    [selector, step, count],
  );
}

export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  return `median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${(s.at(-1) ?? 0).toFixed(1)} ms`;
}

export const longs = (xs) => (xs.length ? `${xs.length} (longest ${Math.max(...xs).toFixed(0)} ms)` : 'none');

/** Prints a benchmark's figures under its title, labels aligned. */
export function report(title, rows) {
  console.log(title);
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  for (const [label, value] of rows) console.log(`  ${`${label}:`.padEnd(width)}${value}`);
}
