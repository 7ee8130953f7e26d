#!/usr/bin/env bash
# The console's release build into dist/ (Trunk: size profile wasm-release, wasm-opt -Oz). One at
# a time: Trunk builds running together share target/wasm-bindgen and can corrupt the wasm.
# scripts/wasm-split/ comes first on PATH for its wasm-bindgen wrapper: the lazily loaded pages
# link against exports that Trunk's plain wasm-bindgen call would drop.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/scripts/wasm-split:$PWD/tests/node_modules/.bin:$HOME/.cargo/bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true

# The standard library is built with the console, for size (about 9 % of the wasm, brotli): at
# opt-level z with the rest, and a panic is a bare trap (immediate-abort: no message formatting,
# no file and line, no Debug text linked in). These are unstable flags of the stable compiler
# (RUSTC_BOOTSTRAP), for this build only: debug builds, tests and the server are not affected,
# and a panic in the debug console still reports its message. Needs the toolchain's rust-src;
# without it the build goes on without these savings, and says so.
if [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library/std" ]; then
  export RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  # Replaces .cargo/config.toml's rustflags for the wasm target: its --cfg is repeated here.
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none"
else
  echo "build-console: rust-src is not installed (rustup component add rust-src): building without the size flags" >&2
fi
if command -v flock >/dev/null; then
  exec flock "${TMPDIR:-/tmp}/trunk.lock" trunk build --release "$@"
fi
exec trunk build --release "$@"
