#!/usr/bin/env bash
# End-to-end check of PR mode (`--diff-base`, `--diff`) with real git:
#   - a hostile repository whose config and .gitattributes name a clean and
#     a process filter, a diff driver, textconv, an external diff, fsmonitor
#     and hooks, each of which would write a marker file: no marker may appear;
#   - settings that change git's output (diff.mnemonicPrefix, diff.noprefix,
#     core.quotePath, color.ui) must not hide findings;
#   - file names git quotes (non-ASCII, spaces, quotes, tabs) count as changed;
#   - a shallow clone without the merge base gets a reason and the fix;
#   - a patch with a byte that is not UTF-8 is read, not rejected.
#
# Usage: tests/e2e/git.sh [path/to/prisma1-lint]
# Needs git.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
require_bin

git_() { git -c user.name=e2e -c user.email=e2e@example.com -c init.defaultBranch=main -c commit.gpgsign=false "$@"; }
MARKS=$WORK/marks
mkdir -p "$MARKS"

# --- A repository that tries to make git run its programs -------------------
REPO=$WORK/hostile
mkdir -p "$REPO"
git_ -C "$REPO" init -q
echo "# app" >"$REPO/README.md"
echo "endpoint: https://eu1.prisma.sh/jane/old/dev" >"$REPO/prisma.yml"
git_ -C "$REPO" add -A
git_ -C "$REPO" commit -qm base
git_ -C "$REPO" checkout -qb pr

# Every program below writes a marker named after what ran it.
for what in clean process smudge diffcmd textconv external fsmonitor hook; do
  printf '#!/bin/sh\ntouch "%s/%s"\ncat\n' "$MARKS" "$what" >"$WORK/$what.sh"
  chmod +x "$WORK/$what.sh"
done
mkdir -p "$WORK/hooks"
for h in pre-commit post-checkout post-index-change reference-transaction pre-auto-gc; do
  cp "$WORK/hook.sh" "$WORK/hooks/$h"
done
git -C "$REPO" config filter.evil.clean "$WORK/clean.sh"
git -C "$REPO" config filter.evil.smudge "$WORK/smudge.sh"
git -C "$REPO" config filter.evil.required true
git -C "$REPO" config filter.proc.process "$WORK/process.sh"
git -C "$REPO" config diff.drv.command "$WORK/diffcmd.sh"
git -C "$REPO" config diff.tc.textconv "$WORK/textconv.sh"
git -C "$REPO" config diff.external "$WORK/external.sh"
git -C "$REPO" config core.fsmonitor "$WORK/fsmonitor.sh"
git -C "$REPO" config core.hooksPath "$WORK/hooks"
# Output settings a user may have: none of them may hide a finding.
git -C "$REPO" config diff.mnemonicPrefix true
git -C "$REPO" config core.quotePath true
git -C "$REPO" config color.ui always
git -C "$REPO" config diff.relative true
cat >"$REPO/.gitattributes" <<'EOF'
*.js filter=evil
*.yml filter=proc diff=drv
*.ts diff=tc
EOF
# Committed with the filters not yet active, so only the scan could run them.
mkdir -p "$REPO/src"
echo "const a = 1;" >"$REPO/src/app.js"
echo "const t = 1;" >"$REPO/src/app.ts"
names=("ünï.js" "with space.js" 'qu"ote.js' $'tab\there.js')
for n in "${names[@]}"; do echo "// $n" >"$REPO/src/$n"; done
git -C "$REPO" -c core.hooksPath=/dev/null -c core.fsmonitor=false -c filter.evil.clean= -c filter.evil.required=false \
  -c filter.proc.process= add -A
git_ -C "$REPO" -c core.hooksPath=/dev/null -c filter.evil.clean= -c filter.evil.required=false \
  -c filter.proc.process= -c core.fsmonitor=false commit -qm "files"
rm -f "$MARKS"/*

# The pull request's changes, uncommitted and committed alike: one endpoint
# in each kind of file, and in each oddly named file.
url() { echo "export const uri = 'https://us1.prisma.sh/jane/$1/dev';"; }
url js >>"$REPO/src/app.js"
url ts >>"$REPO/src/app.ts"
echo "endpoint: https://eu1.prisma.sh/jane/new/dev" >"$REPO/prisma.yml"
for n in "${names[@]}"; do url quoted >>"$REPO/src/$n"; done
# Same content, newer time stamp: git must hash (and so filter) every file.
touch -d '2001-01-01' "$REPO/src/app.js"

index_before=$(sha256sum "$REPO/.git/index")
status=0
"$BIN" check "$REPO" --diff-base main --format json >"$WORK/hostile.json" 2>"$WORK/hostile.err" || status=$?
if [[ $status == 1 ]]; then pass "hostile repository: exit status 1 (findings)"; else
  fail "hostile repository: exit status $status, expected 1"; cat "$WORK/hostile.err"; fi
ran=$(ls "$MARKS")
if [[ -z $ran ]]; then pass "git ran none of the repository's programs"; else
  fail "git ran the repository's programs: $(echo "$ran" | tr '\n' ' ')"; fi

# Every changed file is reported, whatever git's quoting and prefix settings.
paths=$(python3 -c '
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
for f in doc["findings"]:
    if f["rule"] == "cloud-endpoint":
        print(json.dumps(f["path"]))' "$WORK/hostile.json" | sort -u)
for want in src/app.js src/app.ts prisma.yml "${names[@]/#/src/}"; do
  q=$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$want")
  if grep -qxF -- "$q" <<<"$paths"; then pass "changed file reported: $q"; else
    fail "changed file not reported: $q (reported: $(echo "$paths" | tr '\n' ' '))"; fi
done

# Nothing was written to the repository: not even the index's stat cache.
if [[ $(sha256sum "$REPO/.git/index") == "$index_before" ]]; then
  pass "the scanned repository's index is unchanged"
else
  fail "the scan rewrote the scanned repository's index"
fi

# --- The bad refs -----------------------------------------------------------
status=0
"$BIN" check "$REPO" --diff-base=--output=/tmp/x >"$WORK/opt.out" 2>&1 || status=$?
if [[ $status == 2 ]] && grep -q "not a git ref" "$WORK/opt.out"; then
  pass "a base that looks like an option is refused"
else
  fail "a base that looks like an option: status $status"; cat "$WORK/opt.out"
fi

# --- A shallow clone without the merge base ---------------------------------
ORIGIN=$WORK/origin
mkdir -p "$ORIGIN"
git_ -C "$ORIGIN" init -q
echo one >"$ORIGIN/a.txt"
git_ -C "$ORIGIN" add -A
git_ -C "$ORIGIN" commit -qm one
git_ -C "$ORIGIN" checkout -qb pr
for i in 1 2 3; do echo "$i" >>"$ORIGIN/a.txt"; git_ -C "$ORIGIN" commit -qam "pr $i"; done
git_ -C "$ORIGIN" checkout -q main
for i in 1 2 3; do echo "m$i" >"$ORIGIN/m.txt"; git_ -C "$ORIGIN" add -A; git_ -C "$ORIGIN" commit -qm "main $i"; done
SHALLOW=$WORK/shallow
git_ clone -q --depth=1 --no-single-branch "file://$ORIGIN" "$SHALLOW"
git -C "$SHALLOW" checkout -q pr
status=0
"$BIN" check "$SHALLOW" --diff-base origin/main >"$WORK/shallow.out" 2>&1 || status=$?
if [[ $status == 2 ]] && grep -q "shallow" "$WORK/shallow.out" && grep -q -- "--deepen" "$WORK/shallow.out" &&
  grep -q "fetch-depth: 0" "$WORK/shallow.out"; then
  pass "shallow clone without the merge base: exit 2 with the reason and the fix"
else
  fail "shallow clone without the merge base: status $status, message:"; cat "$WORK/shallow.out"
fi

# --- A patch file with a byte that is not UTF-8 -----------------------------
P=$WORK/patch-repo
mkdir -p "$P"
printf "export const uri = 'https://eu1.prisma.sh/jane/app/dev';\n" >"$P/a.js"
{
  printf -- '--- a/notes.txt\n+++ b/notes.txt\n@@ -0,0 +1 @@\n+caf\xe9\n'
  printf -- '--- /dev/null\n+++ b/a.js\n@@ -0,0 +1 @@\n+x\n'
} >"$WORK/latin1.patch"
status=0
"$BIN" check "$P" --diff "$WORK/latin1.patch" --format json >"$WORK/latin1.json" 2>"$WORK/latin1.err" || status=$?
if [[ $status == 1 ]] && grep -q '"cloud-endpoint"' "$WORK/latin1.json"; then
  pass "--diff with a Latin-1 byte: the patch is read and a.js reported"
else
  fail "--diff with a Latin-1 byte: status $status"; cat "$WORK/latin1.err"
fi

echo
if ((failures > 0)); then
  echo "git: $failures check(s) failed"
  exit 1
fi
echo "git: all checks passed"
