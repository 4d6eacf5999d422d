#!/usr/bin/env bash
# Measures release-profile variants: build time, binary size and the work of
# one scan of the benchmark tree, each built from an empty target folder so
# the build times are comparable. The figures behind [profile.release] and [profile.dist] in
# Cargo.toml (see CHANGELOG.md).
#
#   bash bench/profiles.sh            # 8,000-file tree
# Needs python3 and valgrind (callgrind counts instructions, which a busy
# machine does not change; wall-clock times there are mostly noise). Takes a
# while: every variant builds from scratch (20-30 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${BENCH_FILES:-8000}
RUNS=${BENCH_RUNS:-10}
TREE=${BENCH_TREE:-bench/tree-$FILES}
OUT=${PROFILES_TARGET:-target/profiles}
[ -d "$TREE" ] || python3 bench/gen.py "$TREE" "$FILES"

# name and `--config` overrides of [profile.release]
variants=(
  "none-cu16-strip|profile.release.lto=false|profile.release.codegen-units=16|profile.release.debug=false|profile.release.strip=true"
  "thin-cu4-debuginfo|profile.release.lto=\"thin\"|profile.release.codegen-units=4|profile.release.debug=\"line-tables-only\"|profile.release.strip=false"
  "thin-cu4-strip|profile.release.lto=\"thin\"|profile.release.codegen-units=4|profile.release.debug=false|profile.release.strip=true"
  "fat-cu4-strip|profile.release.lto=\"fat\"|profile.release.codegen-units=4|profile.release.debug=false|profile.release.strip=true"
  "fat-cu1-strip|profile.release.lto=\"fat\"|profile.release.codegen-units=1|profile.release.debug=false|profile.release.strip=true"
)
printf '%-20s %10s %12s %16s\n' variant build_s size_KiB instructions
for v in "${variants[@]}"; do
  IFS='|' read -r name rest <<<"$v"
  IFS='|' read -r -a sets <<<"$rest"
  args=()
  for s in "${sets[@]}"; do args+=(--config "$s"); done
  dir=$OUT/$name
  rm -rf "$dir"
  start=$(date +%s)
  CARGO_TARGET_DIR=$dir cargo build --release --locked -q "${args[@]}"
  build=$(( $(date +%s) - start ))
  bin=$dir/release/prisma1-lint
  size=$(( $(stat -c %s "$bin") / 1024 ))
  work=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$bin" check -j 1 --format json --fail-on never "$TREE" 2>&1 >/dev/null |
    sed -n 's/.*Collected : //p')
  cp "$bin" "$OUT/$name.bin"
  rm -rf "$dir"
  printf '%-20s %10s %12s %16s\n' "$name" "$build" "$size" "$work"
done
