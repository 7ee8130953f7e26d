#!/bin/sh
# The linker for the console's wasm (.cargo/config.toml): rust-lld, keeping the relocations,
# then Leptos' splitter (wasm-split-cli, from crates.io's wasm_split_cli_support) when the
# module has split points (the lazy pages of src/app.rs). The main part replaces the linker's
# output, so Trunk's wasm-bindgen and wasm-opt see only it; the lazy parts and their loader
# (__wasm_split.js) go to <target dir>/wasm32-unknown-unknown/<profile>/wasm-split/, where
# scripts/post-build.mjs takes them from. Trunk has no step between cargo and wasm-bindgen
# (trunk-rs/trunk#1022): linking is the last moment the module is whole, with its relocations.
set -eu

[ "${1:-}" = "-flavor" ] && shift 2
out=
prev=
for arg in "$@"; do
  [ "$prev" = "-o" ] && out=$arg
  prev=$arg
done

lld=$(find "$(rustc --print sysroot)/lib/rustlib" -path '*/bin/rust-lld' | head -n 1)
"$lld" -flavor wasm --emit-relocs "$@"

# Only the console's binary has split points; nothing else is touched.
[ -n "$out" ] && grep -q __wasm_split_placeholder__ "$out" || exit 0

split=$(command -v wasm-split-cli || echo "${CARGO_HOME:-$HOME/.cargo}/bin/wasm-split-cli")
if [ ! -x "$split" ]; then
  echo "link.sh: wasm-split-cli is not installed (scripts/tools.sh installs it)" >&2
  exit 1
fi
# $out is <target dir>/wasm32-unknown-unknown/<profile>/deps/<crate>-<hash>.wasm.
dir="$(dirname "$(dirname "$out")")/wasm-split"
rm -rf "$dir"
mkdir -p "$dir"
"$split" "$out" "$dir" --out-name main >&2
mv "$dir/main.wasm" "$out"
