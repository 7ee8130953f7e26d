#!/usr/bin/env bash
# schemathesis against the live server (demo data, manual clock, a temporary data dir), every
# check on: the OpenAPI document and the server must agree. Needs scripts/tools.sh --schemathesis.
set -euo pipefail
cd "$(dirname "$0")/.."
ST=.tools/venv/bin/st
DATA=$(mktemp -d)
OUT=$(mktemp)
target/debug/rollout-server serve --addr 127.0.0.1:0 --data-dir "$DATA" --dist /nonexistent \
  --demo --manual-clock >"$OUT" 2>/dev/null &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$DATA" "$OUT"' EXIT
for _ in $(seq 1 100); do
  URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$OUT" || true)
  [ -n "$URL" ] && break
  sleep 0.2
done
[ -n "$URL" ] || { echo "schemathesis: the server did not start"; exit 1; }
"$ST" run "$URL/api/v1/openapi.json" --url "$URL/api/v1" --checks all \
  --max-examples "${ST_MAX_EXAMPLES:-15}" --workers 1 --seed 1 --no-color
