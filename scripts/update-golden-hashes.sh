#!/usr/bin/env bash
# Rewrites tests/golden/trace_hashes.json from the native CLI: run it deliberately after a change that is meant to
# alter simulation results, and say why in the commit. The golden tests fail until then.
set -euo pipefail
cd "$(dirname "$0")/.."
cli=build/native/playground-cli
[ -x "$cli" ] || { echo "build the native CLI first (./test --native-only)" >&2; exit 1; }
mkdir -p tests/golden
{
  echo "{"
  first=1
  for f in $(ls scenarios/*.json tests/scenarios/*.json | grep -v '/index.json$' | sort); do
    hash=$("$cli" run "$f" | sed -nE 's/^  "trace_hash": "([0-9a-f]{16})",?$/\1/p')
    [ -n "$hash" ] || { echo "no hash for $f" >&2; exit 1; }
    [ $first -eq 1 ] || echo ","
    printf '  "%s": "%s"' "$f" "$hash"
    first=0
  done
  echo
  echo "}"
} > tests/golden/trace_hashes.json
echo "wrote tests/golden/trace_hashes.json"
