#!/usr/bin/env bash
# Cold build times: this crate against ripgrep, one after the other in the
# same run, each from an empty target folder (sources already downloaded, so
# only compiling is timed). Prints each time, the load, and the ratios the
# goals are set in: `cargo build --release --locked` within 1.5x of
# ripgrep's cold release build, a cold `cargo test --locked` within 3x.
#
#   bash bench/build.sh                 # ripgrep 15.1.0, ROUNDS=1
#   RG_VERSION=15.1.0 ROUNDS=2 bash bench/build.sh
#
# A wall-clock figure depends on the machine and on whatever else it runs:
# compare ratios from one run, and read the load printed beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
RG_VERSION=${RG_VERSION:-15.1.0}
ROUNDS=${ROUNDS:-1}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

load() { cut -d' ' -f1-3 /proc/loadavg; }
secs() { # secs CMD... : wall seconds of CMD, output discarded
  local start end
  start=$(date +%s.%N)
  "$@" >"$WORK/log" 2>&1 || { tail -n 20 "$WORK/log" >&2; return 1; }
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.1f}')"
}

echo "fetching sources first (not timed)"
cargo fetch --locked -q
# ripgrep's sources, from its crates.io package, so its lock file is used.
cargo install ripgrep --locked --version "$RG_VERSION" --root "$WORK/rg-root" \
  --target-dir "$WORK/rg-warm" -q >/dev/null 2>&1 || true
rm -rf "$WORK/rg-warm" "$WORK/rg-root"

printf '%-44s %9s  %s\n' build seconds "load (1/5/15 min) before"
for round in $(seq "$ROUNDS"); do
  l=$(load); t=$(secs cargo install ripgrep --locked --version "$RG_VERSION" \
    --root "$WORK/rg-root" --target-dir "$WORK/t-rg-$round" --force)
  printf '%-44s %9s  %s\n' "ripgrep $RG_VERSION: cargo install --locked" "$t" "$l"; rg_t=$t
  l=$(load); t=$(secs env CARGO_TARGET_DIR="$WORK/t-rel-$round" cargo build --release --locked --timings)
  printf '%-44s %9s  %s\n' "prisma1-lint: cargo build --release --locked" "$t" "$l"; rel_t=$t
  # Where the time went (cargo's --timings report): when the workspace's
  # own crates started and ended, and how much of the build ran before them.
  python3 - "$WORK/t-rel-$round/cargo-timings/cargo-timing.html" <<'PY'
import json, re, sys
html = open(sys.argv[1]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
for u in units:
    if u["name"].startswith("prisma1-lint") and u["duration"] > 1:
        end = u["start"] + u["duration"]
        print(f"  {u['name']} {u.get('target', '').strip() or 'lib'}: {u['start']:.1f}-{end:.1f} s ({u['duration']:.1f} s)")
deps = sum(u["duration"] for u in units if not u["name"].startswith("prisma1-lint"))
print(f"  dependencies: {len(units)} units, {deps:.1f} s of compile time summed")
PY
  l=$(load); t=$(secs env CARGO_TARGET_DIR="$WORK/t-dist-$round" cargo build --profile dist --locked)
  printf '%-44s %9s  %s\n' "prisma1-lint: cargo build --profile dist" "$t" "$l"; dist_t=$t
  l=$(load); t=$(secs env CARGO_TARGET_DIR="$WORK/t-test-$round" cargo test --locked --no-run)
  printf '%-44s %9s  %s\n' "prisma1-lint: cargo test --no-run (cold)" "$t" "$l"; test_t=$t
  size_rel=$(stat -c %s "$WORK/t-rel-$round/release/prisma1-lint")
  size_dist=$(stat -c %s "$WORK/t-dist-$round/dist/prisma1-lint")
  rm -rf "$WORK"/t-*-"$round"
  python3 - "$rg_t" "$rel_t" "$dist_t" "$test_t" "$size_rel" "$size_dist" <<'PY'
import sys
rg, rel, dist, test, srel, sdist = map(float, sys.argv[1:])
print(f"  release vs ripgrep: {rel / rg:.2f}x (goal <= 1.5x)")
print(f"  dist vs ripgrep:    {dist / rg:.2f}x")
print(f"  test vs ripgrep:    {test / rg:.2f}x (goal <= 3x)")
print(f"  binary size: release {srel / 1048576:.1f} MiB, dist {sdist / 1048576:.1f} MiB")
PY
done
echo "load after: $(load)"
