#!/usr/bin/env bash
# The console's release build into dist/ (Trunk: size profile wasm-release, wasm-opt -Oz). One at
# a time: Trunk builds running together share target/wasm-bindgen and can corrupt the wasm.
# scripts/wasm-split/ comes first on PATH for its wasm-bindgen wrapper: the lazily loaded pages
# link against exports that Trunk's plain wasm-bindgen call would drop.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/scripts/wasm-split:$PWD/tests/node_modules/.bin:$HOME/.cargo/bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
if command -v flock >/dev/null; then
  exec flock "${TMPDIR:-/tmp}/trunk.lock" trunk build --release "$@"
fi
exec trunk build --release "$@"
