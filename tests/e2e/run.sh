#!/usr/bin/env bash
# Builds prisma1-lint and runs every end-to-end script in tests/e2e (each
# takes the binary path as its first argument), then reports totals.
#
# Usage: bash tests/e2e/run.sh [SCRIPT...]   (default: every tests/e2e/*.sh)
# Honours CARGO_TARGET_DIR. Exit status 1 when any script fails.
set -euo pipefail

PROJECT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$PROJECT"

echo "building prisma1-lint (cargo build)"
cargo build --quiet --bin prisma1-lint
TARGET=${CARGO_TARGET_DIR:-$PROJECT/target}
case "$TARGET" in /*) ;; *) TARGET=$PROJECT/$TARGET ;; esac
BIN=$TARGET/debug/prisma1-lint
[[ -x $BIN ]] || BIN=$BIN.exe
if [[ ! -x $BIN ]]; then
  echo "FAIL: cargo build left no binary at $TARGET/debug/prisma1-lint" >&2
  exit 2
fi

scripts=()
if [[ $# -gt 0 ]]; then
  scripts=("$@")
else
  for s in tests/e2e/*.sh; do
    [[ $(basename "$s") == run.sh ]] || scripts+=("$s")
  done
fi

passed=() failed=()
for s in "${scripts[@]}"; do
  echo
  echo "=== $s"
  start=$SECONDS
  if bash "$s" "$BIN"; then
    passed+=("$s")
    echo "=== $s: ok ($((SECONDS - start))s)"
  else
    failed+=("$s")
    echo "=== $s: FAILED ($((SECONDS - start))s)"
  fi
done

echo
echo "e2e: ${#passed[@]} passed, ${#failed[@]} failed, ${#scripts[@]} total"
for s in ${failed[@]+"${failed[@]}"}; do echo "  failed: $s"; done
[[ ${#failed[@]} -eq 0 ]]
