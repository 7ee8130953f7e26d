#!/usr/bin/env bash
# Installs what building and testing need, idempotently: each step is skipped when its tool is
# already there at the right version. Only package registries are used (crates.io, npm, Debian).
#   scripts/tools.sh            build tools (wasm target, Trunk, wasm-bindgen-cli, the wasm splitter,
#                               leptosfmt, npm packages)
#   scripts/tools.sh --browser  the same, plus Debian's Chromium for the browser tests
#   scripts/tools.sh --bench    the same as --browser, plus what only `make bench` uses: npm's
#                               Lighthouse (an optional dependency, left out of `make test`'s
#                               install) and twiggy (the wasm size profiler, from crates.io)
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# Formats the view! macros (checked by `make lint`); 0.1.33 builds on rustc 1.95.
LEPTOSFMT_VERSION=0.1.33
# The wasm-bindgen CLI must match the library version in Cargo.lock exactly, or Trunk would try
# to download one.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, "", $0); print; exit}' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q "trunk $TRUNK_VERSION"; then
  step "installing Trunk $TRUNK_VERSION (about 13 minutes the first time)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "wasm-bindgen $WB_VERSION"; then
  step "installing wasm-bindgen-cli $WB_VERSION (about 11 minutes the first time)"
  # Not --locked: its lock file pins a yanked crate.
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

# Leptos' wasm splitter: scripts/wasm-split/link.sh runs it on the console's wasm as it is linked.
WASM_SPLIT_VERSION=0.2.4
# (it has no --version: cargo's list of installed packages says which one is there)
if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  step "installing wasm_split_cli_support $WASM_SPLIT_VERSION (about 3 minutes the first time)"
  cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
fi

if ! leptosfmt --version 2>/dev/null | grep -qx "leptosfmt $LEPTOSFMT_VERSION"; then
  step "installing leptosfmt $LEPTOSFMT_VERSION (about 3 minutes the first time)"
  cargo install --locked leptosfmt --version "$LEPTOSFMT_VERSION"
fi

MODE="${1:-}"
# npm: wasm-opt (binaryen 132; Debian's 108 builds a console that fails to start), Playwright
# and axe-core. Reinstalled only when package-lock.json changed. Lighthouse (optional) only for
# the benchmarks.
if [ "$MODE" = "--bench" ]; then NPM_OPTIONAL=--include=optional; else NPM_OPTIONAL=--omit=optional; fi
if [ ! -x tests/node_modules/.bin/wasm-opt ] || [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ] \
  || { [ "$MODE" = "--bench" ] && [ ! -d tests/node_modules/lighthouse ]; }; then
  step "installing npm packages (tests/)"
  (cd tests && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund "$NPM_OPTIONAL")
fi

# twiggy, for the wasm size breakdown `make bench` prints.
TWIGGY_VERSION=0.8.0
if [ "$MODE" = "--bench" ] && ! twiggy --version 2>/dev/null | grep -q "$TWIGGY_VERSION"; then
  step "installing twiggy $TWIGGY_VERSION (about 4 minutes the first time)"
  cargo install --locked twiggy --version "$TWIGGY_VERSION"
fi

# schemathesis (PyPI) in a virtualenv under the git-ignored .tools/, for `make test`.
SCHEMATHESIS_VERSION=4.32.5
if { [ "$MODE" = "--browser" ] || [ "$MODE" = "--bench" ]; } && ! .tools/venv/bin/st --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  step "installing schemathesis $SCHEMATHESIS_VERSION (.tools/venv)"
  python3 -m venv .tools/venv
  .tools/venv/bin/pip install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
fi

if { [ "$MODE" = "--browser" ] || [ "$MODE" = "--bench" ]; } && [ ! -x /usr/bin/chromium ]; then
  step "installing Debian's Chromium"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium chromium-driver
fi
exit 0
