#!/usr/bin/env bash
# First load: builds the release console, then prints per asset its raw / gzip / brotli size and
# the bytes the server actually sends to a browser that accepts brotli (the initial transfer),
# Lighthouse's scores on the demo's list and rollout pages (mobile and desktop), and what the
# wasm is made of (twiggy on the same code with its names kept). Lighthouse and twiggy are
# installed by `scripts/tools.sh --bench` (`make bench` does). Prints figures only.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tests/node_modules/.bin:$HOME/.cargo/bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
scripts/build-console.sh >/dev/null 2>&1 || { echo "bench-firstload: scripts/build-console.sh failed"; exit 1; }
cargo build -q -p rollout-server
(cd tests && node bench/firstload.mjs 2>/dev/null)
if [ -d tests/node_modules/lighthouse ]; then
  (cd tests && CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}" node bench/lighthouse.mjs 2>/dev/null)
else
  echo "Lighthouse: skipped (not installed: scripts/tools.sh --bench)"
fi

wasm=target/wasm32-unknown-unknown/wasm-release/rollout-console.wasm
if command -v twiggy >/dev/null && [ -f "$wasm" ]; then
  # The build's wasm before wasm-bindgen and wasm-opt still has its function names: sizes are
  # larger than in dist/, the proportions are what matter.
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  wasm-bindgen --target web --keep-debug --out-dir "$tmp" "$wasm"
  wasm-opt -Oz --debuginfo --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$tmp/rollout-console_bg.wasm" -o "$tmp/named.wasm"
  twiggy top -n 1000000 -f csv "$tmp/named.wasm" | node tests/bench/wasm-crates.mjs
  echo "wasm code by function (twiggy top, after wasm-opt -Oz with names kept)"
  # Names without their crates' hashes (`leptos[971f…]::`: the v0 symbol names of the build).
  twiggy top -n 25 "$tmp/named.wasm" | sed -E 's/\[[0-9a-f]{16}\]//g; s/^/  /'
  echo "wasm by retaining item (twiggy dominators, two levels)"
  twiggy dominators -d 2 -r 25 "$tmp/named.wasm" | sed -E 's/\[[0-9a-f]{16}\]//g; s/^/  /'
else
  echo "wasm breakdown: skipped (twiggy not installed: scripts/tools.sh --bench)"
fi
