// Test fixtures: each worker starts the real rollout-server (with the built console, demo data
// and a manual clock) on a free loopback port, and stops it afterwards.
import { test as base, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const serverBin = process.env.ROLLOUT_SERVER_BIN ?? path.join(root, 'target', 'debug', 'rollout-server');
const dist = process.env.ROLLOUT_DIST ?? path.join(root, 'dist');

export interface RolloutSummary {
  id: string;
  status: string;
  spotDeployment: { name: string; revision: number; isLiveApplied: boolean };
  clusterId: string;
  namespace: string;
  [key: string]: unknown;
}

export class Server {
  constructor(
    readonly url: string,
    private readonly proc: ChildProcess,
    private readonly dataDir: string,
  ) {}

  /** GET /api/v1{path} as JSON; throws on an error status. */
  async api<T = any>(apiPath: string): Promise<T> {
    const res = await fetch(`${this.url}api/v1${apiPath}`);
    if (!res.ok) throw new Error(`GET ${apiPath}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** POST JSON (or YAML text when `contentType` says so) to /api/v1{path}. */
  async post(apiPath: string, body: unknown, contentType = 'application/json'): Promise<Response> {
    const payload = typeof body === 'string' ? body : JSON.stringify(body);
    return fetch(`${this.url}api/v1${apiPath}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: payload,
    });
  }

  /** Apply multi-document YAML; returns the ApplyResponse, throws on 4xx. */
  async apply(yaml: string): Promise<any> {
    const res = await this.post('/apply', yaml, 'application/yaml');
    const body = await res.json();
    if (!res.ok) throw new Error(`apply: ${res.status} ${JSON.stringify(body)}`);
    return body;
  }

  /** Move the manual clock forward (the engine runs meanwhile). */
  async advance(seconds: number): Promise<any> {
    const res = await this.post('/sim/advance', { seconds });
    if (!res.ok) throw new Error(`advance: ${res.status} ${await res.text()}`);
    return res.json();
  }

  /** Every event the server keeps for a rollout, newest first, read page by page. */
  async events<T = any>(rolloutId: string): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page: { events: T[]; nextCursor: string | null } = await this.api(
        `/rollouts/${encodeURIComponent(rolloutId)}/events?limit=1000${q}`,
      );
      out.push(...page.events);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  /** The newest rollout of a SpotDeployment (ids are random; names are not). */
  async rolloutByName(name: string): Promise<RolloutSummary> {
    const list = await this.api<{ items: RolloutSummary[] }>(
      `/rollouts?spotDeployment=${encodeURIComponent(name)}&limit=1000`,
    );
    const found = list.items.find((r) => r.spotDeployment.name === name);
    if (!found) throw new Error(`no rollout of ${name}`);
    return found;
  }

  stop(): void {
    this.proc.kill('SIGKILL');
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export async function startServer(extraArgs: string[] = []): Promise<Server> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rollout-e2e-'));
  const args = ['serve', '--addr', '127.0.0.1:0', '--data-dir', dataDir, '--dist', dist, '--demo', '--manual-clock', ...extraArgs];
  return launch(args, dataDir);
}

/** The Kubernetes objects captured by the Argo Rollouts project (crates/kube/tests/fixtures). */
export const SNAPSHOT_FIXTURES = path.join(root, 'crates', 'kube', 'tests', 'fixtures');

/** A server showing a snapshot of Kubernetes objects (`serve --snapshot`): read-only, no clock. */
export async function startSnapshotServer(snapshot: string = SNAPSHOT_FIXTURES): Promise<Server> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rollout-e2e-'));
  return launch(['serve', '--addr', '127.0.0.1:0', '--dist', dist, '--snapshot', snapshot], dataDir);
}

async function launch(args: string[], dataDir: string): Promise<Server> {
  const proc = spawn(serverBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60s:\n${log}`)), 60_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const m = log.match(/Rollout Console: (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (c: Buffer) => (log += c.toString()));
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
  return new Server(url, proc, dataDir);
}

/** Fails on any serious or critical accessibility violation of the page as it is now. */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

export const test = base.extend<{ freshServer: Server }, { server: Server }>({
  // Every page fails its test on an uncaught error (a wasm panic) or a CSP violation, which
  // would otherwise pass unseen: the browser blocks the thing and the page just looks wrong.
  page: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|panicked/.test(m.text())) problems.push(m.text());
    });
    await use(page);
    expect(problems, 'errors in the browser console').toEqual([]);
  },
  server: [
    async ({}, use) => {
      const server = await startServer();
      await use(server);
      server.stop();
    },
    { scope: 'worker' },
  ],
  freshServer: async ({}, use) => {
    const server = await startServer();
    await use(server);
    server.stop();
  },
  baseURL: async ({ server }, use) => {
    await use(server.url);
  },
});

export { expect };
