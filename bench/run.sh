#!/usr/bin/env bash
# Compares `prisma1-lint check` (every rule) with ripgrep searching the same
# files for the same regular expressions, then times the other ways the tool
# is run. Prints:
#   - hyperfine medians of both at -j1 and -j2 and their ratio (the two tools
#     alternate within one hyperfine run, in rounds, so load drifts hit both);
#   - peak RSS of both;
#   - callgrind instruction counts of both at -j1 (when valgrind is installed);
#   - the pre-commit shape: `check FILE...` with 5 files of the tree;
#   - `audit --each-subdir` against `check` over the same folders;
#   - 1x/2x/4x copies of the tree: time and peak RSS.
#
#   bash bench/run.sh                          # generated tree of 24,000 files
#   BENCH_DIR=/path/to/corpus bash bench/run.sh   # any folder (never committed)
#   BENCH_FILES=2000 BENCH_RUNS=2 bash bench/run.sh  # CI's smoke run
#
# Knobs: BENCH_RUNS (runs per round, 3), BENCH_ROUNDS (2), BENCH_SCALES
# ("1 2 4"; copies are hard links under BENCH_SCALE_DIR, default
# "$BENCH_DIR.scale" or bench/tree-N.scale), BENCH_CALLGRIND (1; 0 skips it).
# Needs python3; rg (ripgrep 15: `cargo install ripgrep`), hyperfine and
# valgrind are used when present.
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${BENCH_FILES:-24000}
RUNS=${BENCH_RUNS:-3}
ROUNDS=${BENCH_ROUNDS:-2}
SCALES=${BENCH_SCALES:-1 2 4}
CALLGRIND=${BENCH_CALLGRIND:-1}
if [ -n "${BENCH_DIR:-}" ]; then
  TREE=$(cd "$BENCH_DIR" && pwd)
else
  TREE=$PWD/${BENCH_TREE:-bench/tree-$FILES}
fi
SCALE_DIR=${BENCH_SCALE_DIR:-${TREE%/}.scale}
M="python3 bench/measure.py"
# Git with the repository's own programs (fsmonitor, hooks) and the system
# config disabled: the benchmark never runs code from the tree.
g() { GIT_CONFIG_NOSYSTEM=1 git -c core.fsmonitor=false -c core.hooksPath=/dev/null "$@"; }

cargo build --profile dist --locked -q
BIN=$PWD/target/dist/prisma1-lint

if [ ! -d "$TREE" ]; then
  echo "generating $FILES files in $TREE"
  python3 bench/gen.py "$TREE" "$FILES"
  # A git index, so the pre-commit shape lists the tree the way it does in
  # a real repository.
  if command -v git >/dev/null 2>&1; then
    (cd "$TREE" && g init -q && g add -A) || true
  fi
fi
HAVE_RG=0; command -v rg >/dev/null 2>&1 && HAVE_RG=1
HAVE_HF=0; command -v hyperfine >/dev/null 2>&1 && HAVE_HF=1

# The same regex patterns every rule file declares (named groups become plain
# groups: rg joins all patterns into one regex, where names must be unique).
mapfile -t PATTERNS < <("$BIN" rules --json | python3 -c 'import json,re,sys; [print(re.sub(r"\(\?P<\w+>", "(?:", p)) for r in json.load(sys.stdin) for p in r["patterns"]]')
# The same files: hidden files, .gitignore applied with or without a git
# repository, .git and node_modules skipped, files over 4 MiB skipped.
rg_cmd() { # THREADS DIR...
  local j=$1; shift
  printf '%s\0' rg --hidden --no-require-git --max-filesize 4M -g '!.git' -g '!node_modules' \
    --no-messages -j "$j"
  for p in "${PATTERNS[@]}"; do printf '%s\0' -e "$p"; done
  printf '%s\0' "$@"
}
lint_cmd() { printf '%s\0' "$BIN" check -j "$1" --format json --fail-on never "${@:2}"; }
q() { printf '%q ' "$@"; }
words() { mapfile -d '' -t W < <("$@"); }

summary=$("$BIN" check --format json --fail-on never "$TREE" | python3 -c 'import json,sys; d=json.load(sys.stdin); s=d["summary"]; print(len(d["findings"]), s["files_scanned"], s["skipped_binary"])')
read -r findings scanned binary <<<"$summary"
echo "tree: $TREE"
echo "  $((scanned + binary)) files read ($binary binary), $(($(du -sbl --exclude=.git "$TREE" | cut -f1) / 1024 / 1024)) MiB; prisma1-lint findings: $findings"
echo "rules: ${#PATTERNS[@]} regex patterns; machine: $(nproc) cores"
if [ $HAVE_RG = 1 ]; then
  words rg_cmd 1 "$TREE"
  echo "rg: $(rg --version | head -1); files searched: $("${W[@]}" --files | wc -l), matching lines: $("${W[@]}" | wc -l)"
else
  echo "rg not found: install ripgrep 15 with 'cargo install ripgrep' for the comparison"
fi

# Alternating rounds in one hyperfine run; prints "lint_ms rg_ms".
race() { # THREADS
  local out; out=$(mktemp)
  local args=()
  local lint; words lint_cmd "$1" "$TREE"; lint=$(q "${W[@]}")
  local rg; words rg_cmd "$1" "$TREE"; rg=$(q "${W[@]}")
  for r in $(seq "$ROUNDS"); do args+=(-n "lint#$r" "$lint" -n "rg#$r" "$rg"); done
  hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$out" "${args[@]}" >/dev/null 2>&1
  $M pool "$out" lint rg
  rm -f "$out"
}
ratio() { python3 -c "import sys; a, b = map(float, sys.argv[1:]); print(f'{a / b:.2f}x')" "$@"; }
mib() { python3 -c "import sys; print(f'{int(sys.argv[1]) / 1024:.1f} MiB')" "$1"; }

echo
echo "== check vs rg, warm cache, medians of $((RUNS * ROUNDS)) runs each (alternating rounds)"
if [ $HAVE_HF = 1 ] && [ $HAVE_RG = 1 ]; then
  for j in 1 2; do
    read -r l r <<<"$(race $j)"
    echo "  -j$j: prisma1-lint $l ms, rg $r ms, ratio $(ratio "$l" "$r")"
  done
else
  words lint_cmd 2 "$TREE"
  start=$(date +%s%N); for _ in $(seq "$RUNS"); do "${W[@]}" >/dev/null; done; end=$(date +%s%N)
  echo "  -j2: prisma1-lint $(( (end - start) / RUNS / 1000000 )) ms per run (install hyperfine and rg for the comparison)"
fi

echo
echo "== peak RSS (-j2, median of 3)"
words lint_cmd 2 "$TREE"; echo "  prisma1-lint: $(mib "$($M rss 3 "${W[@]}")")"
if [ $HAVE_RG = 1 ]; then words rg_cmd 2 "$TREE"; echo "  rg:           $(mib "$($M rss 3 "${W[@]}")")"; fi

if [ "$CALLGRIND" = 1 ] && command -v valgrind >/dev/null 2>&1 && [ $HAVE_RG = 1 ]; then
  echo
  echo "== instructions at -j1 (callgrind)"
  words lint_cmd 1 "$TREE"; li=$($M callgrind "${W[@]}")
  words rg_cmd 1 "$TREE"; ri=$($M callgrind "${W[@]}")
  echo "  prisma1-lint $li, rg $ri, ratio $(ratio "$li" "$ri")"
fi

# Five files of the tree, spread over it, as a pre-commit hook passes them.
precommit() { # DIR LABEL
  local dir=$1
  mapfile -t five < <(cd "$dir" && find . -path ./.git -prune -o -type f \( -name '*.ts' -o -name '*.js' -o -name 'package.json' -o -name '*.yml' \) -print | LC_ALL=C sort | awk '{a[NR]=$0} END{for(i=1;i<=5;i++) print a[int(NR*i/6)]}')
  local cmd=("$BIN" check --format json --fail-on never --root "$dir")
  for f in "${five[@]}"; do cmd+=("$dir/${f#./}"); done
  local git="no git index: tree listed by a walk"
  (cd "$dir" && g rev-parse --is-inside-work-tree >/dev/null 2>&1) && git="git index"
  if [ $HAVE_HF = 1 ]; then
    local out; out=$(mktemp)
    hyperfine -N --warmup 2 --runs $((RUNS * 5)) --export-json "$out" -n pc "$(q "${cmd[@]}")" >/dev/null 2>&1
    echo "  $2: $($M pool "$out" pc) ms ($(cd "$dir" && find . -path ./.git -prune -o -type f -print | wc -l) files, $git)"
    rm -f "$out"
  fi
}
echo
echo "== pre-commit shape: check FILE... with 5 files (median)"
precommit "$TREE" "tree"
SMALL=$PWD/bench/tree-2000
if [ "$TREE" != "$SMALL" ] && [ -d "$SMALL" ]; then precommit "$SMALL" "small tree"; fi

# audit --each-subdir against check over the same folders.
subdirs=$(find "$TREE" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | wc -l)
if [ "$subdirs" -gt 1 ] && [ $HAVE_HF = 1 ]; then
  echo
  echo "== audit --each-subdir ($subdirs folders) vs check of the same folders, -j2"
  out=$(mktemp)
  mapfile -t subs < <(find "$TREE" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | LC_ALL=C sort)
  a=$(q "$BIN" audit -j2 --each-subdir --format json "$TREE")
  c=$(q "$BIN" check -j2 --format json --fail-on never --root "$TREE" "${subs[@]}")
  hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$out" -n "audit#1" "$a" -n "check#1" "$c" -n "audit#2" "$a" -n "check#2" "$c" >/dev/null 2>&1
  read -r am cm <<<"$($M pool "$out" audit check)"
  echo "  audit $am ms, check $cm ms, ratio $(ratio "$am" "$cm")"
  rm -f "$out"
fi

if [ -n "$SCALES" ] && [ $HAVE_HF = 1 ]; then
  echo
  echo "== scaling: copies of the tree (hard links), check -j2"
  for k in $SCALES; do
    dir=$TREE
    if [ "$k" != 1 ]; then
      dir=$SCALE_DIR/x$k
      if [ ! -d "$dir" ]; then
        mkdir -p "$dir"
        for i in $(seq "$k"); do cp -al "$TREE" "$dir/copy$i"; done
      fi
    fi
    words lint_cmd 2 "$dir"; lint=$(q "${W[@]}")
    out=$(mktemp)
    if [ $HAVE_RG = 1 ]; then
      words rg_cmd 2 "$dir"; rgc=$(q "${W[@]}")
      hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$out" -n s "$lint" -n r "$rgc" >/dev/null 2>&1
      read -r ms rms <<<"$($M pool "$out" s r)"
      vs=", rg $rms ms (ratio $(ratio "$ms" "$rms"))"
    else
      hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$out" -n s "$lint" >/dev/null 2>&1
      ms=$($M pool "$out" s); vs=""
    fi
    rm -f "$out"
    words lint_cmd 2 "$dir"
    mb=$(($(du -sbl --exclude=.git "$dir" | cut -f1) / 1024 / 1024))
    echo "  ${k}x: $mb MiB, $ms ms$vs, $(python3 -c "print(f'{$ms / max($mb, 1):.2f}')") ms/MiB, peak RSS $(mib "$($M rss 1 "${W[@]}")")"
  done
fi
