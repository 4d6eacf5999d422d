#!/usr/bin/env bash
# End-to-end check that nothing a repository contains speaks to the GitHub
# runner: the same repository is scanned twice, once with plain names and
# once with a file and a folder named `::stop-commands::x` (and names holding
# `##[`, CR, LF and tabs) in every folder, in every output format, through
# `fix`, `audit` and the Action itself (tests/e2e/lib/action_runner.py). Each
# output is read as the runner reads it (tests/e2e/lib/workflow_commands.py):
# the commands it acts on must be the same in both runs (the annotations the
# github format means to make, nothing else), and every annotation must name
# a file that exists.
#
# Usage: tests/e2e/inject.sh [path/to/prisma1-lint]
# Needs python3 and git; installs PyYAML into $VENV when missing.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
source "$(dirname "${BASH_SOURCE[0]}")/lib/dist.bash"
require_bin
tools_venv pyyaml
PY=$VENV/bin/python
LIB=$PROJECT/tests/e2e/lib

# make_repo DIR NAME...: a small Prisma 1 project in every folder NAME, and
# beside it a file NAME that holds a Cloud endpoint.
make_repo() {
  local dir=$1 name
  shift
  mkdir -p "$dir/app"
  for name in "$@"; do
    mkdir -p "$dir/$name" "$dir/app/sub"
    printf 'endpoint: https://eu1.prisma.sh/jane/shop/dev\ndatamodel: dm.prisma\n' >"$dir/$name/prisma.yml"
    printf 'type A { id: ID! }\n' >"$dir/$name/dm.prisma"
    printf '#!/bin/sh\nnpm install -g prisma\nprisma deploy\n' >"$dir/$name/deploy.sh"
    printf 'PRISMA_MANAGEMENT_SECRET=changeme\n' >"$dir/$name/.env"
    printf '{"dependencies": {"prisma1": "1.34.12"}, "x": "\xff"}\n' >"$dir/$name/package.json"
    printf "const u = 'https://us1.prisma.sh/jane/app/prod';\n" >"$dir/app/$name"
    printf "const u = 'https://us1.prisma.sh/jane/app/prod';\n" >"$dir/app/sub/$name"
  done
  git -C "$dir" init -q
  git -C "$dir" -c user.name=e2e -c user.email=e2e@example.com -c commit.gpgsign=false add -A
  git -C "$dir" -c user.name=e2e -c user.email=e2e@example.com -c commit.gpgsign=false commit -qm repo
}

PLAIN=(plain-a plain-b plain-c plain-d)
HOSTILE=('::stop-commands::x' 'a##[add-mask]b' $'cr\rlf\n::error::z' $'tab\tq')
make_repo "$WORK/plain" "${PLAIN[@]}"
make_repo "$WORK/hostile" "${HOSTILE[@]}"

# interpret NAME: the runner's commands in $WORK/NAME.out, one per line as
# "name" (and "name file" for annotations), sorted; checks the files exist.
interpret() {
  "$PY" - "$LIB" "$WORK/$1.out" "$2" <<'PY'
import json, os, sys
sys.path.insert(0, sys.argv[1])
from workflow_commands import commands
text = open(sys.argv[2], encoding="utf-8", errors="replace", newline="").read()
root = sys.argv[3]
out = []
for c in commands(text):
    file = c["props"].get("file")
    if file is not None and "\\x1B" not in file:
        assert os.path.isfile(os.path.join(root, file)), f"annotation of a missing file {file!r}"
    out.append(c["name"] + (" file" if file is not None else ""))
print("\n".join(sorted(out)))
PY
}

# same WHAT ARGS...: runs the binary with ARGS in both repositories and
# compares what the runner makes of the two outputs.
same() {
  local what=$1 kind a b
  shift
  for kind in plain hostile; do
    rm -rf "$WORK/$kind.run" && cp -a "$WORK/$kind" "$WORK/$kind.run"
    (cd "$WORK/$kind.run" && "$BIN" "$@" >"$WORK/$kind.out" 2>&1) || true
  done
  if ! a=$(interpret plain "$WORK/plain.run") || ! b=$(interpret hostile "$WORK/hostile.run"); then
    fail "$what: an annotation names a file that does not exist"
    return
  fi
  if [[ $a == "$b" && $b != *stop-commands* ]]; then
    pass "$what: the runner reads the same commands ($(grep -c . <<<"$b" || true) of them)"
  else
    fail "$what: the runner reads other commands with hostile names"
    diff <(echo "$a") <(echo "$b") | head -20 || true
  fi
}

for format in human concise github markdown json sarif; do
  same "check --format $format" check --format "$format" .
done
same "check --format concise --statistics" check --format concise --statistics .
for format in markdown json html; do
  same "audit --format $format" audit --format "$format" .
  same "audit --format $format --each-subdir" audit --format "$format" --each-subdir .
done
same "fix --unsafe" fix --unsafe .
same "fix --unsafe --diff" fix --unsafe --diff .
# The diff, names quoted as git quotes them, still applies (but for the
# .env files: the diff shows their secret values redacted).
(cd "$WORK/hostile" && "$BIN" fix --unsafe --diff . >"$WORK/hostile.patch" 2>/dev/null) || true
if [[ -s $WORK/hostile.patch ]] && git -C "$WORK/hostile" apply --check --exclude='*.env' "$WORK/hostile.patch" 2>"$WORK/apply.err"; then
  pass "fix --diff with hostile names is a patch git apply takes"
else
  fail "fix --diff with hostile names does not apply: $(head -3 "$WORK/apply.err")"
fi

# --- The Action, through the runner model -----------------------------------
# run_action KIND INPUTS: runs action.yml on a copy of $WORK/KIND on a push
# event; the commands the runner acted on are in $WORK/KIND.out (as JSON lines).
run_action() {
  local kind=$1 inputs=$2 gh=$WORK/gh ws=$WORK/$1.ws
  rm -rf "$gh" "$ws" && mkdir -p "$gh/temp" "$gh/toolcache" && cp -a "$WORK/$kind" "$ws"
  : >"$gh/summary.md"
  echo '{}' >"$gh/event.json"
  : >"$WORK/$kind.commands"
  (
    cd "$ws"
    export GITHUB_ACTIONS=true CI=true GITHUB_ACTION_PATH=$PROJECT GITHUB_ACTION_REF=e2e
    export GITHUB_WORKSPACE=$ws GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH=$gh/event.json
    export GITHUB_STEP_SUMMARY=$gh/summary.md RUNNER_COMMANDS=$WORK/$kind.commands
    export RUNNER_TEMP=$gh/temp RUNNER_TOOL_CACHE=$gh/toolcache RUNNER_OS=Linux RUNNER_ARCH=X64
    # shellcheck disable=SC2016 # expanded by the step, not here
    export SUBSTITUTE_install='mkdir -p "$INSTALL_ROOT/bin" && ln -sf "$E2E_BIN" "$INSTALL_ROOT/bin/prisma1-lint"'
    export E2E_BIN=$BIN
    "$PY" "$LIB/action_runner.py" "$PROJECT/action.yml" "$inputs" "$WORK/$kind.outputs"
  ) >"$WORK/$kind.log" 2>&1 || true
  "$PY" - "$WORK/$kind.commands" "$ws" >"$WORK/$kind.names" <<'PY'
import json, os, sys
names = []
for line in open(sys.argv[1], encoding="utf-8"):
    c = json.loads(line)
    file = c["props"].get("file")
    if file is not None and "\\x1B" not in file:
        assert os.path.isfile(os.path.join(sys.argv[2], file)), f"annotation of a missing file {file!r}"
    names.append(f'{c["step"]} {c["name"]}' + (" file" if file is not None else ""))
print("\n".join(sorted(names)))
PY
}

for inputs in '{}' '{"annotations": "false"}' '{"annotations": "false", "summary": "false", "sarif-file": ""}'; do
  if run_action plain "$inputs" && run_action hostile "$inputs" &&
    cmp -s "$WORK/plain.names" "$WORK/hostile.names" &&
    ! grep -q stop-commands "$WORK/hostile.names" && [[ -s $WORK/hostile.log ]]; then
    pass "the Action ($inputs): the runner acts on the same commands with hostile names"
  else
    fail "the Action ($inputs): the runner acts on other commands with hostile names"
    diff "$WORK/plain.names" "$WORK/hostile.names" | head -20 || true
    tail -5 "$WORK/hostile.log"
  fi
done
# The control: the runner model does see a stop-commands when one is printed.
printf 'x\n  ::stop-commands::tok\n::error::hidden\n::tok::\nsee ##[warning]old\n' >"$WORK/control.out"
if [[ $(interpret control "$WORK") == $'stop-commands\nwarning' ]]; then
  pass "control: the runner model reads an indented stop-commands, honours it, and reads ##[ anywhere"
else
  fail "control: the runner model misreads commands: $(interpret control "$WORK" | tr '\n' ' ')"
fi

echo
if [[ $failures -gt 0 ]]; then
  echo "inject: $failures check(s) failed"
  exit 1
fi
echo "inject: all checks passed"
