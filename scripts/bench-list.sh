#!/usr/bin/env bash
# Rollouts list: filter + sort + stats over 10,000 rows, measured (not asserted) in release mode.
# Native figures; the wasm build in the browser is typically 1.5-3x slower.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release -p rollout-console --bin rollout-console -- --ignored --nocapture --test-threads=1 \
  model::list_rows::tests::bench_filter_sort_stats_10k 2>&1 | grep -v '^test \|^running\|^$\|test result'
