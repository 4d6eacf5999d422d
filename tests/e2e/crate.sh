#!/usr/bin/env bash
# Checks the crates as crates.io would get them: `cargo publish --dry-run
# --locked --workspace` packages both (`prisma1-lint-core` first, which the
# other depends on), and the files must be the sources, the rules, the
# licenses and the README, nothing else. The build of the packaged sources
# (the dry run without --no-verify, what `cargo install --locked
# prisma1-lint` compiles) is left out here: it shares unit hashes with this
# checkout's build in the same target folder and would overwrite its build
# script output, and in a folder of its own it rebuilds every dependency.
#
# Usage: tests/e2e/crate.sh [path/to/prisma1-lint]   (the binary is not used)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
cd "$PROJECT"
TARGET=${CARGO_TARGET_DIR:-$PROJECT/target}
dirty=()
if [[ -n $(git status --porcelain 2>/dev/null) ]]; then dirty=(--allow-dirty); fi

if cargo publish --dry-run --locked --no-verify --workspace ${dirty[@]+"${dirty[@]}"} >"$WORK/publish.log" 2>&1; then
  pass "cargo publish --dry-run --locked --workspace"
else
  fail "cargo publish --dry-run --locked --workspace failed"; tail -n 20 "$WORK/publish.log"
fi

cargo package --list --locked -p prisma1-lint-core ${dirty[@]+"${dirty[@]}"} 2>/dev/null >"$WORK/core-files"
odd=$(grep -vE '^(src/.+\.rs|Cargo\.toml|Cargo\.toml\.orig|Cargo\.lock|README\.md|\.cargo_vcs_info\.json)$' "$WORK/core-files" || true)
if [[ -z $odd ]] && grep -qx src/lib.rs "$WORK/core-files"; then pass "prisma1-lint-core holds only its sources and README"; else
  fail "prisma1-lint-core: unexpected or missing files: $(echo "$odd" | head -n 5 | tr '\n' ' ')"; fi

cargo package --list --locked -p prisma1-lint ${dirty[@]+"${dirty[@]}"} 2>/dev/null >"$WORK/files"
odd=$(grep -vE '^(src/.+\.rs|rules/[^/]+\.(yml|md)|Cargo\.toml|Cargo\.toml\.orig|Cargo\.lock|build\.rs|README\.md|LICENSE-MIT|LICENSE-APACHE|\.cargo_vcs_info\.json)$' "$WORK/files" || true)
if [[ -z $odd ]]; then pass "the package holds only sources, rules, licenses and README"; else
  fail "unexpected files in the package: $(echo "$odd" | head -n 5 | tr '\n' ' ')"; fi
for f in LICENSE-MIT LICENSE-APACHE README.md Cargo.lock build.rs src/main.rs; do
  grep -qx "$f" "$WORK/files" || fail "the package lacks $f"
done

echo
if [[ $failures -gt 0 ]]; then
  echo "crate: $failures check(s) failed"
  exit 1
fi
echo "crate: all checks passed"
