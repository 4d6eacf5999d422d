#!/usr/bin/env bash
# Wall time and peak memory of `prisma1-lint check` on hostile inputs, each at
# 1x, 2x and 4x its base size: linear cases double, quadratic ones quadruple.
# The correctness of each case is in tests/it/hostile.rs; this only measures.
#
#   bash bench/hostile.sh            # every case
#   bash bench/hostile.sh long-line  # cases whose name contains the word
#
# Needs python3 and GNU time (/usr/bin/time). Each run is bounded by
# HOSTILE_TIMEOUT seconds (default 120) and HOSTILE_MEM_MB of memory
# (default 4096), so a regression shows as "timeout"/"killed", not a hang.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --profile dist --locked -q
BIN=$PWD/target/dist/prisma1-lint
TIMEOUT=${HOSTILE_TIMEOUT:-120}
MEM_MB=${HOSTILE_MEM_MB:-4096}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# gen CASE SCALE DIR: writes the case's repository at SCALE into DIR.
gen() {
  python3 - "$1" "$2" "$3" <<'EOF'
import os, sys
case, n, d = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def w(p, data):
    p = os.path.join(d, p)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "wb").write(data if isinstance(data, bytes) else data.encode())
if case == "long-line":          # 1 MiB per scale, one line of endpoints
    w("bundle.js", "x https://eu1.prisma.sh/a/b/c " * (36000 * n))
elif case == "fence-line":       # 1 MiB per scale of backticks on one line of a README that mentions Prisma
    w("README.md", "prisma1 deploy\n" + "`" * (1 << 20) * n + "\n```bash\nprisma1 deploy\n```\n")
elif case == "endpoint-lines":   # 2 MB per scale, one endpoint per line
    w("urls.txt", "https://eu1.prisma.sh/a/b/c\n" * (72000 * n))
elif case == "one-line-script":  # 200 KiB per scale of commands on one line
    w("run.sh", "prisma1 deploy; " * (12800 * n))
elif case == "one-line-utf8":    # the same with a non-ASCII char per command
    w("run.sh", "é; npm run x; " * (12800 * n) + "prisma1 deploy\n")
elif case == "run-continuations":  # a RUN with many continuation lines
    w("Dockerfile", "FROM node\nRUN prisma1 deploy \\\n" + "  --flag \\\n" * (25000 * n) + "  --end\n")
elif case == "exports-commands":   # environment scopes: exports x commands
    k = 1500 * n
    w("deploy.sh", "".join(f"export V{i}=x\n" for i in range(k)) + "prisma1 deploy\n" * k)
elif case == "package-json-line":  # one-line package.json, many dependencies
    deps = ",".join(f'"prisma-binding-{i}":"1.0.0"' for i in range(40000 * n))
    w("package.json", '{"dependencies":{"prisma":"1.34.10",' + deps + "}}")
elif case == "env-line":         # a 1.1 MB .env line per scale
    w(".env", "PRISMA_ENDPOINT=https://eu1.prisma.sh/a/b/c" + "x" * (1100000 * n) + "\n")
elif case == "alias-bomb":       # nine aliases per level, 6+scale levels
    t = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 6 + n):
        t += f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 9) + "]\n"
    w("prisma/prisma.yml", "endpoint: https://eu1.prisma.sh/a/b/c\n" + t)
elif case == "deep-yaml":        # nested sequences
    w(".github/workflows/ci.yml", "- " * (100000 * n) + "prisma1 deploy\n")
elif case == "empty-files":      # 25k empty files per scale
    for i in range(25000 * n):
        w(f"d{i % 100}/{i}", b"")
elif case in ("unpinned-installs", "unpinned-installs-fix"):  # 1,200 installs per scale before one deploy (4x stays under the 5,000 commands one file keeps)
    w("deploy.sh", "npm install -g prisma\n" * (1200 * n) + "prisma deploy\n")
elif case == "one-word-script":  # 1 MiB per scale of one-word commands, no Prisma
    w("build.sh", "ls\n" * (350000 * n))
elif case == "one-word-makefile":  # the same in one Makefile recipe
    w("Makefile", "all:\n" + "\tls\n" * (262000 * n))
elif case == "one-line-scripts":  # four one-line scripts of 512 KiB per scale
    for i in range(4):
        w(f"s{i}.sh", "a; " * (175000 * n) + "\n")
elif case == "repo-rules":       # a repository's own rules, 15 per scale, each costly
    w(".prisma1-lint.yml", "rules-dirs: [rules]\n")
    for i in range(15 * n):
        w(f"rules/r{i:03}.yml", f"id: r{i:03}\ntitle: t\nseverity: error\nsummary: s\nwhy: w\nhelp: h\nreferences: []\n"
          "keywords: [a]\nmessage: m\nmatch:\n  - regex:\n      pattern: '(a{0,100}){0,100}'\n"
          "examples:\n  match: [{file: a.txt, text: a}]\n  no-match: [{file: a.txt, text: b}]\n")
    w("a.txt", "a\n" * 1000)
elif case == "deep-config":      # 64k nested brackets per scale in the config
    w(".prisma1-lint.yml", "select: " + "[" * (64000 * n) + "]" * (64000 * n) + "\n")
elif case == "deep-workflow":    # 300 levels per scale before the jobs
    k = 300 * n
    w(".github/workflows/ci.yml", "x: " + "{a: " * k + "b" + "}" * k + "\n"
      "jobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: prisma1 deploy\n")
elif case == "stale-baseline":   # 250k baseline entries per scale, none matching
    import json
    w("a/prisma.yml", "endpoint: https://eu1.prisma.sh/a/b/c\n")
    entries = [{"rule": "cloud-endpoint", "path": f"old/f{i:07}.yml",
                "matched": f"https://eu1.prisma.sh/a/b/c{i}", "occurrence": 0} for i in range(250000 * n)]
    w("base.json", json.dumps({"version": 1, "entries": entries}))
elif case == "given-folder":     # `check a` in a root of 25k other files per scale
    w("a/prisma.yml", "endpoint: https://eu1.prisma.sh/a/b/c\n")
    for i in range(25000 * n):
        w(f"b/d{i % 100}/{i}.yml", "x: [\n")
elif case == "glob-copies":      # 9k copies of one exclude and suppression glob per scale (4x: 0.9 MB, under the 1 MiB config cap)
    k = 9000 * n
    w(".prisma1-lint.yml", "exclude:\n" + '  - "a/**"\n' * k + "suppress:\n  - rule: cloud-endpoint\n    reason: r\n    paths:\n" + '      - "a/**"\n' * k)
    w("b/prisma.yml", "endpoint: https://eu1.prisma.sh/a/b/c\n")
elif case == "nested-folders":   # 5k nested folders per scale
    os.chdir(d)
    for _ in range(5000 * n):
        os.mkdir("d"); os.chdir("d")
    open("x.js", "w").write("https://eu1.prisma.sh/a/b/c\n")
EOF
}

CASES=(long-line fence-line endpoint-lines one-line-script one-line-utf8 run-continuations exports-commands package-json-line env-line alias-bomb deep-yaml empty-files nested-folders
  unpinned-installs unpinned-installs-fix one-word-script one-word-makefile one-line-scripts repo-rules deep-config deep-workflow stale-baseline given-folder glob-copies)

# args CASE DIR: the command line each case runs (most: a whole check).
args() {
  case "$1" in
    unpinned-installs-fix) echo fix "$2" ;;
    stale-baseline) echo check -j 2 --format json --fail-on never --baseline "$2/base.json" "$2" ;;
    given-folder) echo check -j 2 --format json --fail-on never --root "$2" "$2/a" ;;
    *) echo check -j 2 --format json --fail-on never --max-file-size 256MiB "$2" ;;
  esac
}
printf '%-20s %5s %10s %12s %8s\n' case scale wall_s peak_rss_MiB exit
for c in "${CASES[@]}"; do
  if [ $# -gt 0 ] && [[ "$c" != *"$1"* ]]; then continue; fi
  for s in 1 2 4; do
    dir=$WORK/$c-$s
    mkdir -p "$dir"
    gen "$c" "$s" "$dir"
    set +e
    /usr/bin/time -f '%e %M' -o "$WORK/time" \
      prlimit --as=$((MEM_MB * 1024 * 1024)) \
      timeout "$TIMEOUT" "$BIN" $(args "$c" "$dir") >"$WORK/out.json" 2>"$WORK/err"
    code=$?
    set -e
    # GNU time puts "Command exited with non-zero status N" first when N != 0.
    read -r wall rss < <(tail -1 "$WORK/time") || { wall=?; rss=0; }
    [[ "$rss" =~ ^[0-9]+$ ]] || rss=0
    [ "$code" = 124 ] && code=timeout
    [ "$code" = 137 ] || [ "$code" = 134 ] && code="killed($code)"
    printf '%-20s %4sx %10s %12s %8s\n' "$c" "$s" "$wall" "$((rss / 1024))" "$code"
    rm -rf "$dir" 2>/dev/null || python3 -c "import shutil,sys; shutil.rmtree(sys.argv[1], ignore_errors=True)" "$dir"
  done
done
