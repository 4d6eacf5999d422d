#!/usr/bin/env bash
# Measures release-profile variants: build time, binary size and scan time on
# the benchmark tree, each from an empty target folder so the build times are
# comparable. The figures behind [profile.release] in Cargo.toml.
#
#   bash bench/profiles.sh            # 8,000-file tree, 10 runs per variant
# Needs python3 and hyperfine. Takes a while: every variant builds from scratch.
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${BENCH_FILES:-8000}
RUNS=${BENCH_RUNS:-10}
TREE=${BENCH_TREE:-bench/tree-$FILES}
OUT=${PROFILES_TARGET:-target/profiles}
[ -d "$TREE" ] || python3 bench/gen.py "$TREE" "$FILES"

# name and `--config` overrides of [profile.release]
variants=(
  "thin-cu4-debuginfo|profile.release.lto=\"thin\"|profile.release.codegen-units=4|profile.release.debug=\"line-tables-only\"|profile.release.strip=false"
  "thin-cu4-strip|profile.release.lto=\"thin\"|profile.release.codegen-units=4|profile.release.debug=false|profile.release.strip=true"
  "fat-cu4-strip|profile.release.lto=\"fat\"|profile.release.codegen-units=4|profile.release.debug=false|profile.release.strip=true"
  "fat-cu1-strip|profile.release.lto=\"fat\"|profile.release.codegen-units=1|profile.release.debug=false|profile.release.strip=true"
)
printf '%-20s %10s %12s %14s\n' variant build_s size_KiB scan_ms
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
  json=$(mktemp)
  hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$json" \
    "$bin check -j 2 --format json --fail-on never $TREE" >/dev/null 2>&1
  ms=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f ± %.1f" % (r["median"]*1000, r["stddev"]*1000))' "$json")
  rm -f "$json"
  cp "$bin" "$OUT/$name.bin"
  rm -rf "$dir"
  printf '%-20s %10s %12s %14s\n' "$name" "$build" "$size" "$ms"
done
