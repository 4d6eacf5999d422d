#!/usr/bin/env bash
# Compares `prisma1-lint check` (every rule) with the anchor: ripgrep 15
# searching the same files for a grep user's Prisma 1 patterns
# (bench/prisma1-patterns.txt, one regex a line, joined by `|`), and with two
# floors that every search of the tree pays: `rg --files` (walk only) and
# `rg -c -F zzqqxx` (read every file, match nothing). Then times the other
# ways the tool runs. Prints, with the machine's load (`uptime`) beside each
# figure:
#   - wall time at -j1 and -j2 of the tool, the anchor and both floors, all in
#     one hyperfine run per thread count, alternating in rounds;
#   - instructions at -j1 (callgrind): the tool, the anchor, the read floor;
#   - peak RSS and cores used (/usr/bin/time) at -j2 on 1x, 2x and 4x copies
#     of the tree (hard links), with wall times against the anchor;
#   - the pre-commit shape: `check FILE...` with 5 files of the tree in a git
#     repository of the whole tree and in a generated 2,000-file one; and
#     the same 5 files with their surroundings in a 2,000-file repository
#     made from the whole one (bench/neighbourhood.py);
#   - `audit --each-subdir` against `check` of the same folders;
#   - a summary table with every ratio.
#
#   BENCH_DIR=/path/to/corpus bash bench/run.sh   # any folder (never committed)
#   bash bench/run.sh                             # generated tree of 24,000 files
#   BENCH_FILES=2000 BENCH_RUNS=2 BENCH_ROUNDS=1 bash bench/run.sh  # CI's smoke run
#
# Knobs: BENCH_PROFILE (the cargo profile measured: dist, what the packages
# ship; CI's smoke run uses release, which the checks before it built),
# BENCH_RUNS (runs per round, 3), BENCH_ROUNDS (2), BENCH_SCALES
# ("1 2 4"), BENCH_CALLGRIND (1; 0 skips it), BENCH_PATTERNS (the anchor's
# pattern file), BENCH_SCALE_DIR (where the hard-linked copies and the git
# copy of the tree go; default "$BENCH_DIR.scale"; made once, reused).
# Needs python3 and git; rg (ripgrep 15: `cargo install ripgrep`), hyperfine,
# valgrind and GNU time are used when present.
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${BENCH_FILES:-24000}
RUNS=${BENCH_RUNS:-3}
ROUNDS=${BENCH_ROUNDS:-2}
SCALES=${BENCH_SCALES:-1 2 4}
CALLGRIND=${BENCH_CALLGRIND:-1}
ANCHOR=${BENCH_PATTERNS:-$PWD/bench/prisma1-patterns.txt}
if [ -n "${BENCH_DIR:-}" ]; then
  TREE=$(cd "$BENCH_DIR" && pwd)
else
  TREE=$PWD/bench/tree-$FILES
fi
SCALE_DIR=${BENCH_SCALE_DIR:-${TREE%/}.scale}
SMALL=$PWD/bench/tree-2000
M="python3 bench/measure.py"
# Git with the repository's own programs (fsmonitor, hooks) and the system
# config disabled: the benchmark never runs code from the tree.
g() { GIT_CONFIG_NOSYSTEM=1 git -c core.fsmonitor=false -c core.hooksPath=/dev/null "$@"; }
load() { uptime | sed -E 's/.*load average[s]?: ([0-9.]+).*/\1/'; }

PROFILE=${BENCH_PROFILE:-dist}  # dist: the profile the packages ship
cargo build --profile "$PROFILE" --locked -q
BIN=$PWD/target/$PROFILE/prisma1-lint
HAVE_RG=0; command -v rg >/dev/null 2>&1 && HAVE_RG=1
HAVE_HF=0; command -v hyperfine >/dev/null 2>&1 && HAVE_HF=1
HAVE_TIME=0; [ -x /usr/bin/time ] && HAVE_TIME=1

# A git repository of generated files: the tree itself when generated, and
# the 2,000-file one the pre-commit shape is compared with.
generate() { # DIR N
  [ -d "$1" ] && return
  echo "generating $2 files in $1"
  python3 bench/gen.py "$1" "$2"
  (cd "$1" && g init -q && g add -A) || true
}
[ -n "${BENCH_DIR:-}" ] || generate "$TREE" "$FILES"
generate "$SMALL" 2000

# The anchor's patterns, joined by `|`; and the regexes the rules declare
# (named groups become plain groups, so they can be joined too).
mapfile -t ANCHOR_PATTERNS < <(grep -v '^$' "$ANCHOR")
ANCHOR_RE=$(IFS='|'; echo "${ANCHOR_PATTERNS[*]}")
mapfile -t OWN_PATTERNS < <("$BIN" rules --json | python3 -c 'import json,re,sys; [print(re.sub(r"\(\?P<\w+>", "(?:", p)) for r in json.load(sys.stdin) for p in r["patterns"]]')
OWN_RE=$(IFS='|'; echo "${OWN_PATTERNS[*]}")

# The files the scan reads: hidden files, .gitignore applied with or without
# a git repository, .git and node_modules skipped, files over 4 MiB skipped.
RG_WALK=(--hidden --no-require-git --max-filesize 4M -g '!.git' -g '!node_modules' --no-messages)
rg_anchor() { printf '%s\0' rg "${RG_WALK[@]}" -j "$1" -c -e "$ANCHOR_RE" "${@:2}"; }
rg_own() { printf '%s\0' rg "${RG_WALK[@]}" -j "$1" -c -e "$OWN_RE" "${@:2}"; }
rg_walk() { printf '%s\0' rg "${RG_WALK[@]}" -j "$1" --files "${@:2}"; }
rg_read() { printf '%s\0' rg "${RG_WALK[@]}" -j "$1" -c -F zzqqxx "${@:2}"; }
lint_cmd() { printf '%s\0' "$BIN" check -j "$1" --format json --fail-on never "${@:2}"; }
q() { printf '%q ' "$@"; }
words() { mapfile -d '' -t W < <("$@"); }
ratio() { python3 -c "import sys; a, b = map(float, sys.argv[1:]); print(f'{a / b:.2f}x' if b else '-')" "$@"; }
mib() { python3 -c "import sys; print(f'{int(sys.argv[1]) / 1024:.1f}')" "$1"; }
gi() { python3 -c "import sys; print(f'{int(sys.argv[1]) / 1e9:.2f}e9')" "$1"; }
ROWS=()
row() { ROWS+=("| $1 | $2 | $3 | $4 | $5 |"); }

summary=$("$BIN" check --format json --fail-on never "$TREE" | python3 -c 'import json,sys; d=json.load(sys.stdin); s=d["summary"]; print(len(d["findings"]), s["files_scanned"], s["skipped_binary"])')
read -r findings scanned binary <<<"$summary"
echo "tree: $TREE"
echo "  $((scanned + binary)) files read ($binary binary), $(($(du -sbl --exclude=.git "$TREE" | cut -f1) / 1024 / 1024)) MiB; prisma1-lint findings: $findings"
echo "machine: $(nproc) cores; $(uptime | sed 's/^ *//')"
echo "anchor: ${#ANCHOR_PATTERNS[@]} patterns from $ANCHOR, joined by |"
if [ "$(printf '%s\n' "${ANCHOR_PATTERNS[@]}" | sort)" != "$(printf '%s\n' "${OWN_PATTERNS[@]}" | sort)" ]; then
  echo "the rules' own regexes differ from the anchor's: ${#OWN_PATTERNS[@]} patterns; both are timed (rg-own)"
  printf '  anchor: %s\n' "${ANCHOR_PATTERNS[@]}"
  printf '  own:    %s\n' "${OWN_PATTERNS[@]}"
fi
if [ $HAVE_RG = 1 ]; then
  words rg_anchor 1 "$TREE"
  echo "rg: $(rg --version | head -1); files searched: $(words rg_walk 1 "$TREE"; "${W[@]}" | wc -l), files with anchor matches: $(words rg_anchor 1 "$TREE"; "${W[@]}" | wc -l)"
else
  echo "rg not found: install ripgrep 15 with 'cargo install ripgrep' for the comparison"
fi

# One hyperfine run: the tool, the anchor, the tool's own patterns and both
# floors, alternating in rounds; prints the pooled medians in that order.
race() { # THREADS
  local out; out=$(mktemp)
  local args=() cmds=() f
  for f in lint_cmd rg_anchor rg_own rg_walk rg_read; do
    words "$f" "$1" "$TREE"; cmds+=("$(q "${W[@]}")")
  done
  for r in $(seq "$ROUNDS"); do
    args+=(-n "lint#$r" "${cmds[0]}" -n "anchor#$r" "${cmds[1]}" -n "own#$r" "${cmds[2]}"
      -n "walk#$r" "${cmds[3]}" -n "read#$r" "${cmds[4]}")
  done
  hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$out" "${args[@]}" >/dev/null 2>&1
  $M pool "$out" lint anchor own walk read
  rm -f "$out"
}

echo
echo "== wall time, warm cache, medians of $((RUNS * ROUNDS)) runs each (alternating rounds)"
if [ $HAVE_HF = 1 ] && [ $HAVE_RG = 1 ]; then
  for j in 1 2; do
    before=$(load)
    read -r l a o w r <<<"$(race $j)"
    echo "  -j$j (load $before -> $(load)): prisma1-lint $l ms; anchor $a ms ($(ratio "$l" "$a")); rg-own $o ms ($(ratio "$l" "$o")); walk floor $w ms ($(ratio "$l" "$w")); read floor $r ms ($(ratio "$l" "$r"))"
    row "wall -j$j" "$l ms" "$a ms" "$(ratio "$l" "$a")" "$before"
    row "wall -j$j vs the read floor (rg -c -F zzqqxx)" "$l ms" "$r ms" "$(ratio "$l" "$r")" "$before"
    row "wall -j$j vs the walk floor (rg --files)" "$l ms" "$w ms" "$(ratio "$l" "$w")" "$before"
  done
else
  echo "  (install hyperfine and rg for the comparison)"
fi

if [ "$CALLGRIND" = 1 ] && command -v valgrind >/dev/null 2>&1 && [ $HAVE_RG = 1 ]; then
  echo
  echo "== instructions at -j1 (callgrind; the load does not change them)"
  words lint_cmd 1 "$TREE"; li=$($M callgrind "${W[@]}")
  words rg_anchor 1 "$TREE"; ai=$($M callgrind "${W[@]}")
  words rg_read 1 "$TREE"; ri=$($M callgrind "${W[@]}")
  echo "  prisma1-lint $(gi "$li"), anchor $(gi "$ai") ($(ratio "$li" "$ai")), read floor $(gi "$ri") ($(ratio "$li" "$ri"))"
  row "instructions -j1" "$(gi "$li")" "$(gi "$ai")" "$(ratio "$li" "$ai")" "-"
fi

# Copies of the tree as hard links (made once).
copy_of() { # K: prints the folder of K copies
  if [ "$1" = 1 ]; then echo "$TREE"; return; fi
  local dir=$SCALE_DIR/x$1
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir"
    for i in $(seq "$1"); do cp -al "$TREE" "$dir/copy$i"; done
  fi
  echo "$dir"
}
if [ -n "$SCALES" ] && [ $HAVE_TIME = 1 ]; then
  echo
  echo "== copies of the tree (hard links), -j2: peak RSS and cores used (median of 3), wall against the anchor"
  rss1=""
  for k in $SCALES; do
    dir=$(copy_of "$k")
    before=$(load)
    words lint_cmd 2 "$dir"; read -r kib cores <<<"$($M usage 3 "${W[@]}")"
    line="  ${k}x: $(($(du -sbl --exclude=.git "$dir" | cut -f1) / 1024 / 1024)) MiB; prisma1-lint peak RSS $(mib "$kib") MiB, $cores cores"
    [ -z "$rss1" ] && rss1=$kib
    if [ $HAVE_RG = 1 ]; then
      words rg_anchor 2 "$dir"; read -r rkib rcores <<<"$($M usage 3 "${W[@]}")"
      line+="; anchor $(mib "$rkib") MiB, $rcores cores"
      [ "$k" = 1 ] && row "cores used -j2 (of $(nproc))" "$cores" "$rcores" "$(ratio "$cores" "$rcores")" "$before"
    fi
    if [ $HAVE_HF = 1 ] && [ $HAVE_RG = 1 ]; then
      out=$(mktemp)
      words lint_cmd 2 "$dir"; lint=$(q "${W[@]}")
      words rg_anchor 2 "$dir"; rgc=$(q "${W[@]}")
      hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$out" -n s "$lint" -n r "$rgc" >/dev/null 2>&1
      read -r ms rms <<<"$($M pool "$out" s r)"
      rm -f "$out"
      line+="; wall $ms ms, anchor $rms ms ($(ratio "$ms" "$rms"))"
    fi
    echo "$line (load $before)"
    if [ "$k" = 1 ]; then
      row "peak RSS -j2, 1x" "$(mib "$kib") MiB" "$( [ $HAVE_RG = 1 ] && mib "$rkib" || echo -) MiB" "" "$before"
    else
      row "peak RSS -j2, ${k}x (vs 1x)" "$(mib "$kib") MiB" "" "$(ratio "$kib" "$rss1")" "$before"
    fi
  done
fi

# The pre-commit shape: five files spread over DIR, as a hook passes them.
five_of() { # DIR: five files spread over DIR's sorted list, as a hook passes them
  (cd "$1" && find . -path ./.git -prune -o -type f \( -name '*.ts' -o -name '*.js' -o -name 'package.json' -o -name '*.yml' \) -print | LC_ALL=C sort | awk '{a[NR]=$0} END{for(i=1;i<=5;i++) print a[int(NR*i/6)]}' | sed 's|^\./||')
}
hook_cmd() { # DIR FILE...: the hook's command line, quoted
  local dir=$1 cmd=("$BIN" check --format json --fail-on never --root "$1")
  for f in "${@:2}"; do cmd+=("$dir/$f"); done
  q "${cmd[@]}"
}
# Two hook runs, alternating in rounds (as the wall rows are): prints both
# medians. DIR1 FILES1 DIR2 FILES2, each list given as one string.
precommit_pair() {
  local a b out args=()
  mapfile -t f1 <<<"$2"; mapfile -t f2 <<<"$4"
  a=$(hook_cmd "$1" "${f1[@]}"); b=$(hook_cmd "$3" "${f2[@]}")
  for r in $(seq "$ROUNDS"); do args+=(-n "large#$r" "$a" -n "small#$r" "$b"); done
  out=$(mktemp)
  hyperfine -N -i --warmup 2 --runs $((RUNS * 5)) --export-json "$out" "${args[@]}" >/dev/null 2>&1
  $M pool "$out" large small
  rm -f "$out"
}
# A git repository of the whole tree: a hard-linked copy with its own index
# (the tree itself is not touched).
git_copy() {
  if (cd "$TREE" && g rev-parse --is-inside-work-tree >/dev/null 2>&1); then
    echo "$TREE"; return
  fi
  local dir=$SCALE_DIR/git
  if [ ! -d "$dir/.git" ]; then
    rm -rf "$dir"; mkdir -p "$SCALE_DIR"; cp -al "$TREE" "$dir"
    (cd "$dir" && g init -q && g add -A) >/dev/null 2>&1
  fi
  echo "$dir"
}
if [ $HAVE_HF = 1 ]; then
  echo
  echo "== pre-commit shape: check FILE... with 5 files (medians of $((RUNS * 5 * ROUNDS)) runs, the two repositories alternating in rounds)"
  big=$(git_copy)
  before=$(load)
  read -r b s <<<"$(precommit_pair "$big" "$(five_of "$big")" "$SMALL" "$(five_of "$SMALL")")"
  nb=$(cd "$big" && g ls-files | wc -l); ns=$(cd "$SMALL" && g ls-files | wc -l)
  echo "  $nb-file git repository: $b ms; $ns-file git repository: $s ms; ratio $(ratio "$b" "$s") (load $before)"
  row "pre-commit, 5 files, $nb-file git repository" "$b ms" "" "" "$before"
  row "pre-commit, 5 files, $ns-file git repository" "$s ms" "" "$(ratio "$b" "$s") (large/small)" "$before"
  # The same five files in the same surroundings (every folder above them,
  # listed, with its CI configs) in a 2,000-file repository made from the
  # large one: what the large repository's size alone costs.
  mapfile -t five < <(five_of "$big")
  near=$SCALE_DIR/pc-2000
  rm -rf "$near"
  read -r nn nt <<<"$(python3 bench/neighbourhood.py "$big" "$near" 2000 "${five[@]}")"
  before=$(load)
  read -r b2 s2 <<<"$(precommit_pair "$big" "$(five_of "$big")" "$near" "$(five_of "$big")")"
  echo "  the same 5 files: $nb-file repository $b2 ms; $nt-file repository with their $nn-file neighbourhood $s2 ms; ratio $(ratio "$b2" "$s2") (load $before)"
  row "pre-commit, the same 5 files and neighbourhood, $nt-file git repository" "$s2 ms" "" "$(ratio "$b2" "$s2") (large/small)" "$before"
  rm -rf "$near"
fi

# audit --each-subdir against check over the same folders.
subdirs=$(find "$TREE" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | wc -l)
if [ "$subdirs" -gt 1 ] && [ $HAVE_HF = 1 ]; then
  echo
  echo "== audit --each-subdir ($subdirs folders) vs check of the same folders, -j2"
  out=$(mktemp)
  mapfile -t subs < <(find "$TREE" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | LC_ALL=C sort)
  a=$(q "$BIN" audit -j2 --each-subdir --format json "$TREE")
  c=$(q "$BIN" check -j2 --format json --fail-on never --root "$TREE" "${subs[@]}")
  before=$(load)
  args=()
  for r in $(seq "$ROUNDS"); do args+=(-n "audit#$r" "$a" -n "check#$r" "$c"); done
  hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$out" "${args[@]}" >/dev/null 2>&1
  read -r am cm <<<"$($M pool "$out" audit check)"
  echo "  audit $am ms, check $cm ms, ratio $(ratio "$am" "$cm") (load $before)"
  row "audit --each-subdir vs check" "$am ms" "$cm ms (check)" "$(ratio "$am" "$cm")" "$before"
  rm -f "$out"
fi

echo
echo "== summary ($(date -u +%Y-%m-%d), $(nproc) cores)"
echo "| measure | prisma1-lint | anchor (rg, ${#ANCHOR_PATTERNS[@]} patterns) | ratio | load |"
echo "|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
