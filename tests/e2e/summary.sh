#!/usr/bin/env bash
# End-to-end check of `--format markdown` (the job summary), rendered with a
# real CommonMark renderer (markdown-it-py, tables enabled as on GitHub):
#   - code spans in messages render as code, not as escaped backticks;
#   - text from files cannot inject HTML;
#   - one rule's 250 errors do not crowd another rule's warning out of the
#     list, and a per-rule count table lists every rule;
#   - 250 findings in files with 3,000-character paths stay under 900 KiB
#     (GitHub takes 1 MiB per step summary), with a closing line.
#
# Usage: tests/e2e/summary.sh [path/to/prisma1-lint]
# Needs python3; installs markdown-it-py into a virtual environment under
# $TOOLS when it is missing.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
require_bin

if ! "$VENV/bin/python" -c 'import markdown_it' 2>/dev/null; then
  echo "installing markdown-it-py into $VENV"
  mkdir -p "$TOOLS"
  [[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check markdown-it-py >&2
fi
PY=$VENV/bin/python

# render MD HTML: Markdown to HTML as GitHub's renderer would (CommonMark +
# tables; raw HTML off, as GitHub sanitises it).
render() {
  "$PY" -c '
import sys
from markdown_it import MarkdownIt
md = MarkdownIt("commonmark", {"html": False}).enable("table")
open(sys.argv[2], "w", encoding="utf-8").write(md.render(open(sys.argv[1], encoding="utf-8").read()))
' "$1" "$2"
}

# --- Code spans and injection ----------------------------------------------
R=$WORK/code
mkdir -p "$R"
echo '{"scripts": {"deploy": "prisma1 deploy"}}' >"$R/package.json"
echo "const u = 'https://eu1.prisma.sh/jane/<img src=x onerror=alert(1)>/dev';" >"$R/x.js"
"$BIN" check "$R" --format markdown >"$WORK/code.md" 2>"$WORK/code.err" || true
render "$WORK/code.md" "$WORK/code.html"
if grep -q '<li>.*<code>prisma1 deploy</code> runs the Prisma 1 CLI' "$WORK/code.html"; then
  pass "a message's code span renders as <code>"
else
  fail "a message's code span does not render as code:"; grep -m3 'prisma1 deploy' "$WORK/code.html" || cat "$WORK/code.err"
fi
if grep -q '<img' "$WORK/code.html"; then
  fail "text from a file became HTML"; grep -m2 '<img' "$WORK/code.html"
else
  pass "text from a file stays text"
fi

# --- Severity shares and the per-rule table ----------------------------------
R=$WORK/shares
mkdir -p "$R"
# Two files, as findings are capped per rule and file.
for f in a b; do
  for i in $(seq 125); do echo "const u$i = 'https://eu1.prisma.sh/$f/s$i/dev';"; done >"$R/$f.js"
done
echo '{"dependencies": {"prisma-client-lib": "1.34.10"}}' >"$R/package.json"
"$BIN" check "$R" --format markdown >"$WORK/shares.md" 2>"$WORK/shares.err" || true
render "$WORK/shares.md" "$WORK/shares.html"
if "$PY" - "$WORK/shares.html" <<'PY'; then
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
items = re.findall(r"<li>(.*?)</li>", html, re.S)
assert any("package.json" in i for i in items), "the warning is not listed"
assert sum(".js:" in i for i in items) <= 200, "the list is not capped"
rows = re.findall(r"<tr>\s*<td><code>([\w-]+)</code>.*?</td>\s*<td>(\w+)</td>\s*<td[^>]*>(\d+)</td>", html, re.S)
counts = {r: int(n) for r, _, n in rows}
assert counts.get("cloud-endpoint") == 250 and counts.get("prisma1-dependency") == 1, counts
assert "more findings are not listed here" in html
PY
  pass "250 errors of one rule leave room for another rule's warning; the rule table counts both"
else
  fail "the summary lets one rule crowd out another, or has no per-rule table"
  grep -E '^(###|\|)' "$WORK/shares.md" | head -10
fi

# --- Size ----------------------------------------------------------------
R=$WORK/size
deep=$R
for i in $(seq 12); do deep=$deep/$(printf 'd%.0s' $(seq 240)); done
mkdir -p "$deep"
for i in $(seq 250); do echo "const u = 'https://eu1.prisma.sh/jane/s$i/dev';" >"$deep/f$i.js"; done
"$BIN" check "$R" --format markdown >"$WORK/size.md" 2>"$WORK/size.err" || true
size=$(wc -c <"$WORK/size.md")
if ((size > 0 && size < 900 * 1024)) && grep -q "more findings are not listed here" "$WORK/size.md"; then
  pass "long paths: the summary is $size bytes (< 900 KiB) and says what it left out"
else
  fail "long paths: the summary is $size bytes"; tail -c 300 "$WORK/size.md"; head -3 "$WORK/size.err"
fi

echo
if ((failures > 0)); then
  echo "summary: $failures check(s) failed"
  exit 1
fi
echo "summary: all checks passed"
