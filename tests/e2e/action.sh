#!/usr/bin/env bash
# End-to-end check of the GitHub Action (action.yml): runs its shell steps the
# way the runner does (bash --noprofile --norc -eo pipefail, one GITHUB_OUTPUT
# file per step, GITHUB_PATH applied to later steps, expressions in `env:`,
# `if:` and `outputs:` evaluated) against throwaway repositories that look
# like pull request checkouts, and checks annotations, the job summary, the
# outputs, the SARIF file and the exit status.
#
# `uses:` steps (actions/cache) are skipped, and the `install` step (cargo
# install) is replaced by linking the already built binary into the install
# root the action computed, so the scan runs exactly as it would after a
# cache hit.
#
# Usage: tests/e2e/action.sh [path/to/prisma1-lint]
# Needs python3 and git; installs PyYAML into a virtual environment under
# $TOOLS when it is missing.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
require_bin
# check DESCRIPTION COMMAND...: PASS when the command succeeds.
check() {
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

if ! "$VENV/bin/python" -c 'import yaml' 2>/dev/null; then
  echo "installing PyYAML into $VENV"
  mkdir -p "$TOOLS"
  [[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check pyyaml >&2
fi
PY=$VENV/bin/python

# --- A small runner for composite actions -----------------------------------
cp "$PROJECT/tests/e2e/lib/action_runner.py" "$WORK/runner.py"
cp "$PROJECT/tests/e2e/lib/workflow_commands.py" "$WORK/workflow_commands.py"

# --- Repositories -----------------------------------------------------------
git_() { git -c user.name=e2e -c user.email=e2e@example.com -c init.defaultBranch=main -c commit.gpgsign=false "$@"; }

# make_origin NAME KIND: a bare repository $WORK/NAME/origin.git whose main
# already has a Prisma 1 Cloud endpoint, and whose branch `pr` adds either
# another endpoint (KIND=cloud) or a Prisma ORM schema (KIND=clean). main
# moves on after the branch point, as it usually does.
make_origin() {
  local name=$1 kind=$2 src=$WORK/$1/src
  mkdir -p "$src"
  git_ -C "$src" init -q
  cat >"$src/prisma.yml" <<'EOF'
endpoint: https://eu1.prisma.sh/jane-doe/legacy/dev
datamodel: datamodel.prisma
EOF
  echo "type User { id: ID! @id }" >"$src/datamodel.prisma"
  echo "# app" >"$src/README.md"
  git_ -C "$src" add -A
  git_ -C "$src" commit -qm base
  git_ -C "$src" checkout -qb pr
  if [[ $kind == cloud ]]; then
    mkdir -p "$src/src"
    echo "export const uri = 'https://us1.prisma.sh/jane-doe/new-service/prod';" >"$src/src/client.js"
  else
    write_orm_project "$src"
  fi
  git_ -C "$src" add -A
  git_ -C "$src" commit -qm "pull request"
  git_ -C "$src" checkout -q main
  echo "More docs." >>"$src/README.md"
  git_ -C "$src" commit -qam "main moves on"
  git_ clone -q --bare "$src" "$WORK/$name/origin.git"
}

# run_action WORKSPACE EVENT INPUTS_JSON: runs the action; leaves stdout,
# stderr, outputs and summary in $WORK/last.* and returns its exit status.
run_action() {
  local ws=$1 event=$2 inputs=$3 gh=$WORK/gh
  rm -rf "$gh" && mkdir -p "$gh/temp" "$gh/toolcache"
  : >"$gh/summary.md"
  local base_ref=
  if [[ $event == pull_request* ]]; then base_ref=main; fi
  printf '{"pull_request": {"number": 1, "base": {"ref": "%s"}, "head": {"ref": "pr", "sha": "%s"}}}\n' \
    "$base_ref" "${E2E_HEAD_SHA:-}" >"$gh/event.json"
  local rc=0
  (
    cd "$ws"
    export GITHUB_ACTIONS=true CI=true
    export GITHUB_ACTION_PATH=$PROJECT GITHUB_ACTION_REF=e2e
    export GITHUB_WORKSPACE=$ws GITHUB_EVENT_NAME=$event GITHUB_EVENT_PATH=$gh/event.json
    export GITHUB_BASE_REF=$base_ref GITHUB_HEAD_REF=${base_ref:+pr}
    export GITHUB_STEP_SUMMARY=$gh/summary.md
    if [[ -n ${E2E_SERVER_URL:-} ]]; then export GITHUB_SERVER_URL=$E2E_SERVER_URL; fi
    if [[ -n ${E2E_SHIM:-} ]]; then export PATH=$E2E_SHIM:$PATH; fi
    export RUNNER_TEMP=$gh/temp RUNNER_TOOL_CACHE=$gh/toolcache RUNNER_OS=Linux RUNNER_ARCH=X64
    # Stands in for `cargo install`: the binary under test, where the
    # install step would have put it.
    # shellcheck disable=SC2016 # expanded by the step, not here
    export SUBSTITUTE_install='mkdir -p "$INSTALL_ROOT/bin" && ln -sf "$E2E_BIN" "$INSTALL_ROOT/bin/prisma1-lint"'
    export E2E_BIN=${E2E_BIN_WRAPPER:-$BIN}
    "$PY" "$WORK/runner.py" "$PROJECT/action.yml" "$inputs" "$WORK/last.outputs"
  ) >"$WORK/last.stdout" 2>"$WORK/last.stderr" || rc=$?
  cp "$gh/summary.md" "$WORK/last.summary"
  return "$rc"
}

output() { sed -n "s/^$1=//p" "$WORK/last.outputs"; }
show_logs() {
  echo "--- stdout"; head -n 40 "$WORK/last.stdout"
  echo "--- stderr"; head -n 40 "$WORK/last.stderr"
}
# Annotation lines (workflow commands with a file) and the files they name.
annotated_files() { sed -n 's/^::\(error\|warning\|notice\) file=\([^,:]*\).*/\2/p' "$WORK/last.stdout" | sort -u; }

# --- 1. Pull request adding a Cloud endpoint, shallow checkout ---------------
make_origin cloud cloud
WS=$WORK/cloud/ws
# What actions/checkout does by default: one commit, no base branch.
git_ clone -q --depth=1 --branch pr "file://$WORK/cloud/origin.git" "$WS"
check "setup: the checkout is shallow and lacks origin/main" \
  test "$(git -C "$WS" rev-parse --is-shallow-repository)" = true -a \
  -z "$(git -C "$WS" branch -r --list origin/main)"

rc=0
run_action "$WS" pull_request '{}' || rc=$?
if [[ $rc -eq 1 ]]; then pass "pull request with a new endpoint: exit status 1"; else
  fail "pull request with a new endpoint: exit status $rc, expected 1"; show_logs; fi
check "the action fetched origin/main into the shallow checkout" \
  git -C "$WS" rev-parse --verify --quiet --no-revs origin/main
check "an ::error annotation names src/client.js" \
  grep -q '^::error file=src/client.js,line=1' "$WORK/last.stdout"
files=$(annotated_files | tr '\n' ' ')
if [[ $files == "src/client.js " ]]; then pass "only the new finding is annotated (diff-base mode)"; else
  fail "annotated files: '$files', expected only src/client.js"; fi
check "the log has a one-line total" grep -q '^prisma1-lint: 1 errors' "$WORK/last.stdout"
check "the step summary has the markdown totals table" \
  grep -qE '^\|[- :|]+\|$' "$WORK/last.summary"
check "the step summary lists src/client.js" grep -q 'src/client.js' "$WORK/last.summary"
errors=$(output errors)
if [[ $errors =~ ^[0-9]+$ && $errors -ge 1 ]]; then pass "output errors=$errors"; else
  fail "output errors='$errors', expected a number >= 1"; cat "$WORK/last.outputs"; fi
check "outputs warnings and notes are numbers" \
  test -n "$(output warnings | grep -E '^[0-9]+$')" -a -n "$(output notes | grep -E '^[0-9]+$')"
sarif=$(output sarif-file)
if [[ $sarif == prisma1-lint.sarif ]]; then pass "output sarif-file=$sarif"; else
  fail "output sarif-file='$sarif', expected prisma1-lint.sarif"; fi
if "$PY" - "$WS/prisma1-lint.sarif" <<'PY'; then
import json, sys
log = json.load(open(sys.argv[1], encoding="utf-8"))
assert log["version"] == "2.1.0", log.get("version")
uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
        for run in log["runs"] for r in run["results"] for loc in r.get("locations", [])}
assert uris == {"src/client.js", "prisma.yml"}, uris
assert all("automationDetails" not in run for run in log["runs"])
PY
  pass "the SARIF file holds every finding, not only the changed lines' (code scanning diffs itself)"
else
  fail "the SARIF file is missing, not JSON, or lacks the findings outside the change"
fi
check "the step summary counts the old endpoint under Elsewhere" \
  grep -qE '^\| `cloud-endpoint` .*\| 1 \| 1 \|$' "$WORK/last.summary"
check "no scratch files left in the workspace" \
  test -z "$(git -C "$WS" status --porcelain --untracked-files=all | grep -v ' prisma1-lint.sarif$')"

# --- 2. Same pull request, fail-on: never ------------------------------------
# The SARIF file of run 1 is still in the workspace; it must not be scanned.
rc=0
run_action "$WS" pull_request '{"fail-on": "never"}' || rc=$?
if [[ $rc -eq 0 ]]; then pass "fail-on never: exit status 0"; else
  fail "fail-on never: exit status $rc, expected 0"; show_logs; fi
check "fail-on never still reports errors=1" test "$(output errors)" = 1
check "the previous SARIF file was not scanned" test -z "$(annotated_files | grep sarif)"

# --- 3. Push event: whole repository, no annotations/summary/SARIF -----------
rm -f "$WS/prisma1-lint.sarif"
rc=0
run_action "$WS" push '{"annotations": "false", "summary": "false", "sarif-file": ""}' || rc=$?
if [[ $rc -eq 1 ]]; then pass "push event: exit status 1"; else
  fail "push event: exit status $rc, expected 1"; show_logs; fi
check "push event scans everything: both endpoints reported" \
  test "$(output errors)" = 2
check "annotations off: no workflow commands on stdout" \
  test -z "$(grep '^::' "$WORK/last.stdout")"
check "annotations off: human output names prisma.yml" grep -q 'prisma.yml' "$WORK/last.stdout"
check "summary off: the step summary is empty" test ! -s "$WORK/last.summary"
check "sarif-file empty: no SARIF written and output empty" \
  test -z "$(output sarif-file)" -a ! -e "$WS/prisma1-lint.sarif"

# --- 4. Inputs are data, not shell ------------------------------------------
rc=0
# shellcheck disable=SC2016
run_action "$WS" push '{"paths": "$(touch injected) `touch injected2`", "fail-on": "never; touch injected3"}' || rc=$?
if [[ $rc -eq 2 ]]; then pass "hostile inputs: usage error (exit 2)"; else
  fail "hostile inputs: exit status $rc, expected 2"; show_logs; fi
check "hostile inputs ran no command" \
  test -z "$(find "$WS" "$WORK/gh" -name 'injected*')"

rc=0
run_action "$WS" push '{"diff-base": "origin/no-such-branch"}' || rc=$?
if [[ $rc -eq 2 ]]; then pass "unknown diff-base: exit status 2"; else
  fail "unknown diff-base: exit status $rc, expected 2"; show_logs; fi
check "unknown diff-base: an ::error says why" \
  grep -q '^::error title=prisma1-lint::cannot fetch diff-base' "$WORK/last.stdout"

# --- 5. Clean pull request (Prisma ORM), full clone with origin/main ---------
make_origin clean clean
WS=$WORK/clean/ws
git_ clone -q "file://$WORK/clean/origin.git" "$WS"
git -C "$WS" checkout -q pr
rc=0
run_action "$WS" pull_request '{}' || rc=$?
if [[ $rc -eq 0 ]]; then pass "clean pull request: exit status 0"; else
  fail "clean pull request: exit status $rc, expected 0"; show_logs; fi
check "clean pull request: errors=0" test "$(output errors)" = 0
check "clean pull request: no annotations" test -z "$(annotated_files)"
check "clean pull request: SARIF written" test -s "$WS/prisma1-lint.sarif"

# --- 6. Deep history on both sides, token, category, many findings ------------
# The branch point is 120 commits behind both the pull request and main, with
# 300 more before it, so deepening only one side (or by --depth from each
# tip) cannot find it without fetching everything.
DEEP=$WORK/deep/src
mkdir -p "$DEEP"
git_ -C "$DEEP" init -q
"$PY" - >"$WORK/deep.stream" <<'PY'
# A git fast-import stream: 300 commits, then `pr` and `main` 120 apart.
marks = iter(range(1, 10**6))
def commit(ref, parent, path, text, msg):
    m = next(marks)
    data = text.encode()
    print(f"commit {ref}\nmark :{m}\ncommitter e2e <e2e@example.com> {1700000000 + m} +0000")
    print(f"data {len(msg)}\n{msg}")
    if parent:
        print(f"from :{parent}")
    print(f"M 100644 inline {path}\ndata {len(data)}\n{text}")
    return m
head = None
head = commit("refs/heads/main", head, "prisma.yml", "endpoint: https://eu1.prisma.sh/jane-doe/legacy/dev\n", "base")
for i in range(300):
    head = commit("refs/heads/main", head, "history.txt", f"{i}\n", f"history {i}")
fork = head
pr = fork
for i in range(120):
    pr = commit("refs/heads/pr", pr, "pr.txt", f"{i}\n", f"pr {i}")
for i in range(120):
    head = commit("refs/heads/main", head, "main.txt", f"{i}\n", f"main {i}")
PY
git -C "$DEEP" fast-import --quiet <"$WORK/deep.stream"
git_ -C "$DEEP" checkout -q -f pr
mkdir -p "$DEEP/src" "$DEEP/a-svc"
for i in $(seq 25); do echo "export const u$i = 'https://us1.prisma.sh/jane-doe/s$i/prod';"; done >"$DEEP/src/many.js"
echo "endpoint: https://prisma.example.com/app/dev" >"$DEEP/a-svc/prisma.yml"
echo '{"scripts": {"deploy": "prisma1 deploy"}}' >"$DEEP/a-svc/package.json"
git_ -C "$DEEP" add -A
git_ -C "$DEEP" commit -qm "pull request"
git_ clone -q --bare "$DEEP" "$WORK/deep/origin.git"
WS=$WORK/deep/ws
git_ clone -q --depth=1 --branch pr "file://$WORK/deep/origin.git" "$WS"

# A git on PATH that logs every call (arguments and GIT_CONFIG_* settings),
# and a scan binary that records its environment.
REAL_GIT=$(command -v git)
mkdir -p "$WORK/shim"
cat >"$WORK/shim/git" <<EOF
#!/usr/bin/env bash
{ printf 'argv:'; printf ' %q' "\$@"; echo; env | grep '^GIT_CONFIG_' | sed 's/^/env: /'; } >>"$WORK/git.log"
exec "$REAL_GIT" "\$@"
EOF
chmod +x "$WORK/shim/git"
cat >"$WORK/scan-wrapper" <<EOF
#!/usr/bin/env bash
env >"$WORK/scan.env"
exec "$BIN" "\$@"
EOF
chmod +x "$WORK/scan-wrapper"
TOKEN=e2e-token-$$-do-not-print
: >"$WORK/git.log"
rc=0
E2E_SHIM=$WORK/shim E2E_BIN_WRAPPER=$WORK/scan-wrapper E2E_SERVER_URL=https://github.com \
  E2E_GITHUB_TOKEN=$TOKEN run_action "$WS" pull_request '{"category": "svc-matrix"}' || rc=$?
if [[ $rc -eq 1 ]]; then pass "deep history: exit status 1"; else
  fail "deep history: exit status $rc, expected 1"; show_logs; fi
check "deep history: the merge base was found without fetching the whole history" \
  test "$(git -C "$WS" rev-parse --is-shallow-repository)" = true
check "deep history: the log never says it fetched the whole history" \
  test -z "$(grep 'whole history' "$WORK/last.stdout")"
check "deep history: both a-svc/package.json and src/many.js are annotated" \
  test "$(annotated_files | tr '\n' ' ')" = "a-svc/package.json src/many.js "

# The token: only in the environment of git fetch, as the base64 header.
basic=$(printf 'x-access-token:%s' "$TOKEN" | base64 | tr -d '\n')
check "token: never on a git command line" test -z "$(grep '^argv:' "$WORK/git.log" | grep -F -- "$TOKEN")"
check "token: sent as an Authorization header by git fetch" \
  grep -qF "AUTHORIZATION: basic $basic" "$WORK/git.log"
if "$PY" - "$WORK/git.log" "$basic" <<'PY'; then
import sys
calls, cur = [], None
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("argv:"):
        cur = [line, []]
        calls.append(cur)
    elif cur:
        cur[1].append(line)
bad = [c[0].strip() for c in calls if any(sys.argv[2] in e for e in c[1]) and " fetch " not in c[0]]
assert not bad, bad
assert any(" fetch " in c[0] and any(sys.argv[2] in e for e in c[1]) for c in calls)
PY
  pass "token: only git fetch sees it"
else
  fail "token: a git call other than fetch sees it"
fi
check "token: not in the scan's environment" test -z "$(grep -F -- "$TOKEN" "$WORK/scan.env")"
check "token: not in the scan's environment as INPUT_TOKEN" test -z "$(grep '^INPUT_TOKEN=' "$WORK/scan.env")"
check "token: never printed" test -z "$(grep -F -- "$TOKEN" "$WORK/last.stdout" "$WORK/last.stderr")"

# Annotations: ten errors, then the rest as plain lines in a log group.
check "annotations: ten ::error lines" test "$(grep -c '^::error file=' "$WORK/last.stdout")" = 10
check "annotations: messages start with path:line:col:" \
  grep -qE '^::error file=src/many.js,line=1,[^:]*::src/many.js:1:[0-9]+: ' "$WORK/last.stdout"
check "annotations: the rest are plain path:line:col lines inside ::group::" \
  "$PY" -c '
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
start = next(i for i, l in enumerate(lines) if l.startswith("::group::prisma1-lint: "))
end = lines.index("::endgroup::", start)
body = lines[start + 1:end]
assert len(body) >= 15, body
assert all(re.match(r"^[^:]+:\d+:\d+: (error|warning|note) [\w-]+: ", l) for l in body), body
' "$WORK/last.stdout"
help_line=$(grep -E '^::(error|warning) file=a-svc/package.json' "$WORK/last.stdout" | grep 'missing-management-secret' || true)
check "github format: missing-management-secret's help is printed as written, not redacted" \
  test -n "$help_line" -a -z "$(grep -F '«redacted»' <<<"$help_line")" \
  -a -n "$(grep -F 'PRISMA_MANAGEMENT_API_SECRET=... prisma1 deploy' <<<"$help_line")"
check "category input: automationDetails.id is svc-matrix/" \
  "$PY" -c 'import json,sys; assert json.load(open(sys.argv[1]))["runs"][0]["automationDetails"]["id"] == "svc-matrix/"' \
  "$WS/prisma1-lint.sarif"

# --- 7. The token over real HTTP --------------------------------------------
# A smart-HTTP git server (git http-backend behind a small Python server that
# logs each request's Authorization headers). The checkout has a persisted
# header, as actions/checkout leaves by default: the base fetch must send
# exactly one Authorization header, the token's.
cat >"$WORK/git_http_server.py" <<'PY'
import http.server, json, os, subprocess, sys
root, log, portfile = sys.argv[1:4]
class Git(http.server.BaseHTTPRequestHandler):
    def do_GET(self): self.cgi()
    def do_POST(self): self.cgi()
    def cgi(self):
        with open(log, "a") as f:
            f.write(json.dumps({"path": self.path, "auth": self.headers.get_all("Authorization") or []}) + "\n")
        path, _, query = self.path.partition("?")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        env = dict(os.environ, GIT_PROJECT_ROOT=root, GIT_HTTP_EXPORT_ALL="1", PATH_INFO=path,
                   QUERY_STRING=query, REQUEST_METHOD=self.command,
                   CONTENT_TYPE=self.headers.get("Content-Type", ""), CONTENT_LENGTH=str(len(body)),
                   GIT_PROTOCOL=self.headers.get("Git-Protocol", ""),
                   HTTP_CONTENT_ENCODING=self.headers.get("Content-Encoding", ""))
        out = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True).stdout
        head, _, rest = out.partition(b"\r\n\r\n")
        status, headers = 200, []
        for line in head.decode().split("\r\n"):
            k, _, v = line.partition(":")
            if k.lower() == "status":
                status = int(v.split()[0])
            elif k:
                headers.append((k, v.strip()))
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(rest)))
        self.end_headers()
        self.wfile.write(rest)
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Git)
open(portfile, "w").write(str(server.server_address[1]))
server.serve_forever()
PY
: >"$WORK/http.log"
"$PY" "$WORK/git_http_server.py" "$WORK/deep" "$WORK/http.log" "$WORK/http.port" &
http_pid=$!
for _ in $(seq 100); do [[ -s $WORK/http.port ]] && break; sleep 0.1; done
URL=http://127.0.0.1:$(cat "$WORK/http.port" 2>/dev/null || echo 9)
WS=$WORK/deep/ws-http
if git_ clone -q --depth=1 --branch pr "$URL/origin.git" "$WS" 2>"$WORK/clone.err"; then
  git -C "$WS" config "http.$URL/.extraheader" "AUTHORIZATION: basic cGVyc2lzdGVkOmNoZWNrb3V0"
  : >"$WORK/http.log"
  rc=0
  E2E_SERVER_URL=$URL E2E_GITHUB_TOKEN=$TOKEN run_action "$WS" pull_request '{}' || rc=$?
  if [[ $rc -eq 1 ]]; then pass "token over HTTP: exit status 1"; else
    fail "token over HTTP: exit status $rc, expected 1"; show_logs; fi
  if "$PY" - "$WORK/http.log" "basic $basic" <<'PY'; then
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert reqs, "no request reached the server"
bad = [r for r in reqs if r["auth"] != [sys.argv[2]]]
assert not bad, bad
PY
    pass "token over HTTP: every request of the base fetch carries exactly one Authorization header, the token's"
  else
    fail "token over HTTP: wrong Authorization headers"; head -5 "$WORK/http.log"
  fi
else
  fail "token over HTTP: cannot clone from the test server"; cat "$WORK/clone.err"
fi
kill "$http_pid" 2>/dev/null || true
wait "$http_pid" 2>/dev/null || true

# --- 8. sarif-file through a link the pull request commits -------------------
make_origin linked cloud
WS=$WORK/linked/ws
git_ clone -q --branch pr "file://$WORK/linked/origin.git" "$WS"
mkdir -p "$WORK/outside"
echo "not yours" >"$WORK/outside/prisma1-lint.sarif"
ln -s "$WORK/outside" "$WS/reports"
for sarif in reports/prisma1-lint.sarif "$WS/reports/prisma1-lint.sarif" ../outside/prisma1-lint.sarif "$WORK/outside/prisma1-lint.sarif"; do
  rc=0
  run_action "$WS" push "{\"sarif-file\": \"$sarif\"}" || rc=$?
  if [[ $rc -eq 2 ]] && grep -q "^::error title=prisma1-lint::sarif-file '.*' leaves the workspace" "$WORK/last.stdout" &&
    [[ $(cat "$WORK/outside/prisma1-lint.sarif") == "not yours" && $(find "$WORK/outside" -type f | wc -l) -eq 1 ]]; then
    pass "sarif-file $sarif: refused (exit 2), the file outside the workspace neither removed nor written"
  else
    fail "sarif-file $sarif: exit $rc, or the file outside the workspace was touched"; show_logs
  fi
done
rm "$WS/reports"
mkdir -p "$WS/reports"
rc=0
run_action "$WS" push '{"sarif-file": "reports/sub/prisma1-lint.sarif"}' || rc=$?
if [[ $rc -eq 1 && -s $WS/reports/sub/prisma1-lint.sarif ]]; then
  pass "sarif-file in a real subfolder of the workspace is written"
else fail "sarif-file in a subfolder: exit $rc, or no SARIF written"; show_logs; fi

# --- 9. pull_request_target and the commit that is checked out ---------------
head_sha=$(git -C "$WS" rev-parse HEAD)
git_ -C "$WS" checkout -q main
rc=0
E2E_HEAD_SHA=$head_sha run_action "$WS" pull_request_target '{"diff-base": "none"}' || rc=$?
if grep -q "^::warning title=prisma1-lint::pull_request_target: HEAD ($(git -C "$WS" rev-parse HEAD)) is not the pull request's head commit ($head_sha)" "$WORK/last.stdout"; then
  pass "pull_request_target with the base checked out: a warning says the pull request is not scanned"
else fail "pull_request_target with the base checked out: no warning"; show_logs; fi
git_ -C "$WS" checkout -q pr
rc=0
E2E_HEAD_SHA=$head_sha run_action "$WS" pull_request_target '{"diff-base": "none"}' || rc=$?
if ! grep -q 'pull_request_target: HEAD' "$WORK/last.stdout" && [[ $rc -eq 1 ]]; then
  pass "pull_request_target with the head commit checked out: no warning"
else fail "pull_request_target with the head checked out: exit $rc, or a warning"; show_logs; fi

echo
if [[ $failures -gt 0 ]]; then
  echo "action: $failures check(s) failed"
  exit 1
fi
echo "action: all checks passed"
