// Lighthouse (npm, with Debian's Chromium) on the demo's rollouts list and one rollout page, in
// its mobile profile (simulated slow 4G and a 4x slower CPU) and its desktop preset: the
// performance, accessibility and best-practices scores, LCP and total blocking time, and what
// each audit that fell short flags. Figures, not a test. Run: scripts/bench-firstload.sh
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from './server.mjs';

const bin = path.join(import.meta.dirname, '..', 'node_modules', '.bin', 'lighthouse');
const chrome = process.env.CHROME_PATH ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const server = await startServer();
const out = mkdtempSync(path.join(tmpdir(), 'lighthouse-'));
try {
  const list = await (await fetch(`${server.url}api/v1/rollouts?spotDeployment=checkout&limit=1`)).json();
  const pages = [
    ['/rollouts', `${server.url}rollouts`],
    ['/rollouts/:id', `${server.url}rollouts/${list.items[0].id}`],
  ];
  console.log('Lighthouse 12 (Chromium headless), demo data: performance / accessibility / best practices, LCP, TBT');
  for (const [name, url] of pages) {
    for (const form of ['mobile', 'desktop']) {
      const file = path.join(out, 'report.json');
      execFileSync(
        bin,
        [
          url,
          '--quiet',
          '--output=json',
          `--output-path=${file}`,
          '--only-categories=performance,accessibility,best-practices',
          '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
          ...(form === 'desktop' ? ['--preset=desktop'] : []),
        ],
        { env: { ...process.env, CHROME_PATH: chrome }, stdio: ['ignore', 'ignore', 'inherit'] },
      );
      const r = JSON.parse(readFileSync(file, 'utf8'));
      const score = (c) => Math.round((r.categories[c]?.score ?? 0) * 100);
      const ms = (a) => `${((r.audits[a]?.numericValue ?? 0) / 1000).toFixed(2)} s`;
      console.log(
        `  ${`${name} ${form}:`.padEnd(24)}perf ${score('performance')}, a11y ${score('accessibility')}, best practices ${score('best-practices')}; ` +
          `LCP ${ms('largest-contentful-paint')}, TBT ${Math.round(r.audits['total-blocking-time']?.numericValue ?? 0)} ms, FCP ${ms('first-contentful-paint')}`,
      );
      // What kept a score below 100 (failed binary audits, and metric audits below 0.9).
      const short = Object.values(r.categories)
        .flatMap((c) => c.auditRefs.filter((a) => a.weight > 0).map((a) => r.audits[a.id]))
        .filter((a) => a && a.score !== null && a.score < (a.scoreDisplayMode === 'binary' ? 1 : 0.9));
      for (const a of short) {
        const where = (a.details?.items ?? [])
          .map((i) => i.node?.selector ?? i.url)
          .filter(Boolean)
          .slice(0, 3);
        console.log(`      ${a.id}: ${a.displayValue ?? a.title}${where.length ? ` (${where.join(', ')})` : ''}`);
      }
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
  server.stop();
}
