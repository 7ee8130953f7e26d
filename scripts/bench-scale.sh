#!/usr/bin/env bash
# Scale benchmark (release): applying 1,000 SpotDeployments in one stream and one simulated
# second with 1,000 live rollouts, in the engine alone (targets asserted: 2 s, 10 ms) and
# through the whole server path (SQLite store and live stream). Prints figures only.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release -p rollout-engine --test bench_scale --quiet -- --ignored --nocapture 2>/dev/null \
  | grep -E '^engine:' || { echo "bench-scale: the engine benchmark failed"; exit 1; }
cargo test --release -p rollout-server --test bench_scale --quiet -- --ignored --nocapture 2>/dev/null \
  | grep -E '^server:' || { echo "bench-scale: the server benchmark failed"; exit 1; }
