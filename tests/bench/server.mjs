// Starts the real rollout-server (debug build, demo data, manual clock) on a free port for a
// benchmark, with the built console from dist/.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

export async function startServer() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rollout-bench-'));
  const bin = process.env.ROLLOUT_SERVER_BIN ?? path.join(root, 'target', 'debug', 'rollout-server');
  const dist = process.env.ROLLOUT_DIST ?? path.join(root, 'dist');
  const proc = spawn(bin, ['serve', '--addr', '127.0.0.1:0', '--data-dir', dataDir, '--dist', dist, '--demo', '--manual-clock'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (c) => {
      out += c;
      const m = out.match(/Rollout Console: (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    url,
    stop() {
      proc.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
