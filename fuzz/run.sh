#!/usr/bin/env bash
# Fuzz one target on the stable toolchain, without cargo-fuzz:
#   fuzz/run.sh TARGET SECONDS [libFuzzer options...]
#   fuzz/run.sh build            (build every target, run nothing)
# TARGET is one of fuzz/fuzz_targets/*.rs (extract, parsers, pipeline,
# config, rules). config and rules take inputs up to 1 MiB (the size the
# loaders read), the others 16 KiB; FUZZ_MAX_LEN overrides.
# Seeds come from tests/fixtures and the rule examples (fuzz/corpus/, not
# committed); crashes land in fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")"
TRIPLE=x86_64-unknown-linux-gnu
# --target keeps build scripts uninstrumented; these flags are what
# cargo-fuzz passes, minus the nightly-only sanitizer.
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$PWD/target}"

# Not --locked: the main crate's dependencies move under this lock file.
cargo build --release --target "$TRIPLE" --bins
if [ "${1:-build}" = build ]; then
  exit 0
fi
target=$1
seconds=${2:-60}
shift 2 || true
# FUZZ_SEEDS_WRITTEN=1: the caller wrote them already (targets run side by
# side must not rewrite each other's seed files while they read them).
[ "${FUZZ_SEEDS_WRITTEN:-}" = 1 ] || python3 seeds.py
mkdir -p "corpus/$target" "artifacts/$target"
case $target in
  config | rules) max_len=1048576 ;;
  *) max_len=16384 ;;
esac
exec "$CARGO_TARGET_DIR/$TRIPLE/release/$target" \
  -max_total_time="$seconds" -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -timeout="${FUZZ_TIMEOUT:-10}" \
  -max_len="${FUZZ_MAX_LEN:-$max_len}" -artifact_prefix="artifacts/$target/" -print_final_stats=1 \
  "$@" "corpus/$target"
