#!/usr/bin/env bash
# Browser benchmarks: the rollouts list with 10,000 rollouts and the Events tab with 50,000
# events in Chromium (first render, keystrokes, scrolling, long tasks). Needs the console built (make console) and the debug
# server (cargo build -p rollout-server). Prints figures only; run on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q -p rollout-server
cd tests
node bench/list-10k.mjs 2>/dev/null
node bench/events-50k.mjs 2>/dev/null
