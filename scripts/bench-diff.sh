#!/usr/bin/env bash
# CRD diff benchmark: how long the console's diff model takes on two 5,000-line manifests
# (line diff + word marks under the time budget, folding, unified text). Prints figures only.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release -p rollout-console --quiet bench_diff -- --ignored --nocapture 2>/dev/null \
  | grep -E 'lines' || { echo "bench-diff: the console tests did not build"; exit 1; }
