#!/usr/bin/env bash
# Checks the crate as crates.io would get it: `cargo publish --dry-run
# --locked` packages it (the files must be the sources, the rules, the
# licenses and the README, nothing else), and the packaged sources must
# compile on their own, as `cargo install --locked prisma1-lint` compiles
# them. The compile is a `cargo check` in the shared target folder, so the
# dependencies already checked by clippy are reused; `cargo publish --dry-run
# --locked` without --no-verify does a full build of the package instead.
#
# Usage: tests/e2e/crate.sh [path/to/prisma1-lint]   (the binary is not used)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
cd "$PROJECT"
TARGET=${CARGO_TARGET_DIR:-$PROJECT/target}
dirty=()
if [[ -n $(git status --porcelain 2>/dev/null) ]]; then dirty=(--allow-dirty); fi

if cargo publish --dry-run --locked --no-verify ${dirty[@]+"${dirty[@]}"} >"$WORK/publish.log" 2>&1; then
  pass "cargo publish --dry-run --locked"
else
  fail "cargo publish --dry-run --locked failed"; tail -n 20 "$WORK/publish.log"
fi

cargo package --list --locked ${dirty[@]+"${dirty[@]}"} 2>/dev/null >"$WORK/files"
odd=$(grep -vE '^(src/.+\.rs|rules/[^/]+\.(yml|md)|Cargo\.toml|Cargo\.toml\.orig|Cargo\.lock|build\.rs|README\.md|LICENSE-MIT|LICENSE-APACHE|\.cargo_vcs_info\.json)$' "$WORK/files" || true)
if [[ -z $odd ]]; then pass "the package holds only sources, rules, licenses and README"; else
  fail "unexpected files in the package: $(echo "$odd" | head -n 5 | tr '\n' ' ')"; fi
for f in LICENSE-MIT LICENSE-APACHE README.md Cargo.lock build.rs src/main.rs; do
  grep -qx "$f" "$WORK/files" || fail "the package lacks $f"
done

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
# The dry run leaves the .crate file under target/package (tmp-crate/ on newer cargo).
crate=$(find "$TARGET/package" -name "prisma1-lint-$version.crate" 2>/dev/null | head -n 1)
rm -rf "$WORK/unpacked" && mkdir -p "$WORK/unpacked"
if [[ -n $crate ]] && tar -xzf "$crate" -C "$WORK/unpacked" &&
  cargo check --quiet --locked --manifest-path "$WORK/unpacked/prisma1-lint-$version/Cargo.toml" \
    --target-dir "$TARGET" >"$WORK/check.log" 2>&1; then
  pass "the packaged crate compiles on its own (cargo check --locked)"
else
  fail "the packaged crate does not compile"; tail -n 20 "$WORK/check.log" 2>/dev/null
fi

echo
if [[ $failures -gt 0 ]]; then
  echo "crate: $failures check(s) failed"
  exit 1
fi
echo "crate: all checks passed"
