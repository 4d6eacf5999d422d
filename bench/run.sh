#!/usr/bin/env bash
# Times `prisma1-lint check` (all rules) against ripgrep searching the same
# files for the same regex patterns, at the same thread count, in one run.
# Prints both times, their ratio, and peak memory.
#
#   bash bench/run.sh              # 24,000 files, 10 runs each
#   BENCH_FILES=2000 BENCH_RUNS=2 bash bench/run.sh   # quick smoke run
#
# Needs: python3; rg (ripgrep 15: `cargo install ripgrep`) and hyperfine are
# used when present, else a plain timing loop.
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${BENCH_FILES:-24000}
RUNS=${BENCH_RUNS:-10}
THREADS=${BENCH_THREADS:-2}
TREE=${BENCH_TREE:-bench/tree-$FILES}

cargo build --release --locked -q
BIN=target/release/prisma1-lint

if [ ! -d "$TREE" ]; then
  echo "generating $FILES files in $TREE"
  python3 bench/gen.py "$TREE" "$FILES"
fi
count=$(find "$TREE" -type f | wc -l)
bytes=$(du -sb "$TREE" | cut -f1)
echo "tree: $count files, $((bytes / 1024 / 1024)) MiB; threads: $THREADS"

# The same regex patterns every rule file declares (named groups become plain
# groups: rg joins all patterns into one regex, where names must be unique).
mapfile -t PATTERNS < <("$BIN" rules --json | python3 -c 'import json,re,sys; [print(re.sub(r"\(\?P<\w+>", "(?:", p)) for r in json.load(sys.stdin) for p in r["patterns"]]')
RG_ARGS=(--hidden -j "$THREADS" --no-messages)
for p in "${PATTERNS[@]}"; do RG_ARGS+=(-e "$p"); done
LINT=("$BIN" check -j "$THREADS" --format json --fail-on never "$TREE")

if command -v rg >/dev/null 2>&1; then
  echo "rg: $(rg --version | head -1)"
  RG=(rg "${RG_ARGS[@]}" "$TREE")
else
  echo "rg not found: install ripgrep 15 with 'cargo install ripgrep' for the comparison"
  RG=()
fi

findings=$("${LINT[@]}" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))')
echo "prisma1-lint findings: $findings"
if [ ${#RG[@]} -gt 0 ]; then
  echo "rg matching lines: $("${RG[@]}" | wc -l)"
fi

q() { printf '%q ' "$@"; }
if command -v hyperfine >/dev/null 2>&1 && [ ${#RG[@]} -gt 0 ]; then
  out=$(mktemp)
  hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$out" \
    -n prisma1-lint "$(q "${LINT[@]}")" -n rg "$(q "${RG[@]}")" >/dev/null 2>&1 || \
  hyperfine --warmup 2 --runs "$RUNS" --export-json "$out" \
    -n prisma1-lint "$(q "${LINT[@]}") >/dev/null" -n rg "$(q "${RG[@]}") >/dev/null" >/dev/null
  python3 - "$out" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
lint, rg = r["prisma1-lint"], r["rg"]
print(f"prisma1-lint: {lint['mean']*1000:.1f} ms ± {lint['stddev']*1000:.1f} (median {lint['median']*1000:.1f})")
print(f"rg:           {rg['mean']*1000:.1f} ms ± {rg['stddev']*1000:.1f} (median {rg['median']*1000:.1f})")
print(f"ratio prisma1-lint / rg (median): {lint['median']/rg['median']:.2f}x")
PY
  rm -f "$out"
else
  start=$(date +%s%N); for _ in $(seq "$RUNS"); do "${LINT[@]}" >/dev/null; done; end=$(date +%s%N)
  echo "prisma1-lint: $(( (end - start) / RUNS / 1000000 )) ms per run"
fi

if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "prisma1-lint peak memory: %M KiB" "${LINT[@]}" >/dev/null
  [ ${#RG[@]} -gt 0 ] && /usr/bin/time -f "rg peak memory: %M KiB" "${RG[@]}" >/dev/null || true
fi
