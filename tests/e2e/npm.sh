#!/usr/bin/env bash
# End-to-end check of the npm packages (npm/): assembles the launcher and the
# platform packages from the binary under test, packs them, serves them from
# a loopback registry (tests/e2e/lib/registry.py), and runs the README's npm
# commands as written:
#   - `npx prisma1-lint check .` in a folder with no package.json;
#   - `npm i -D prisma1-lint`, which must install @prisma1-lint/linux-x64 and
#     none of the other platform packages (their os/cpu/libc do not fit),
#     then `npx prisma1-lint check --format json .`, whose output must be the
#     cargo-built binary's, byte for byte, with the same exit status;
# then the launcher's contract: arguments, stdout/stderr, exit codes, signals
# both ways, and the error naming the missing package.
#
# Usage: tests/e2e/npm.sh [path/to/prisma1-lint]
# Needs node, npm and python3 (the packages are not fetched from any registry).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
source "$(dirname "${BASH_SOURCE[0]}")/lib/dist.bash"
require_bin
if ! host_is_linux_x64; then
  echo "SKIP: the npm check packs the linux-x64 package and needs Linux x86-64 with glibc"
  exit 0
fi
for tool in node npm npx; do
  command -v "$tool" >/dev/null 2>&1 || { fail "$tool is not on PATH"; exit 1; }
done
build_dist npm
serve_registry PORT "$DIST"/npm/*.tgz
export npm_config_registry=http://127.0.0.1:$PORT/npm/
export npm_config_cache=$WORK/npm-cache npm_config_fetch_retries=0 npm_config_audit=false
export npm_config_fund=false npm_config_update_notifier=false npm_config_yes=true
export NO_COLOR=1
# Timings differ from run to run; everything else must not.
normalize() { sed -E 's/ in [0-9.]+m?s$/ in Ts/'; }

# --- README: npx prisma1-lint check . ------------------------------------------
A=$WORK/a
cp -R "$PROJECT/examples/cloud-app" "$A"
rc=0 want=0
(cd "$A" && npx prisma1-lint check . </dev/null) >"$WORK/npx.out" 2>"$WORK/npx.err" || rc=$?
(cd "$A" && "$BIN" check .) >"$WORK/bin.out" 2>"$WORK/bin.err" || want=$?
if [[ $rc -eq $want && $rc -eq 1 ]] && cmp -s <(normalize <"$WORK/npx.out") <(normalize <"$WORK/bin.out"); then
  pass "npx prisma1-lint check . (nothing installed): the binary's report and exit status ($rc)"
else
  fail "npx prisma1-lint check .: exit $rc (binary: $want), or another report"
  head -n 20 "$WORK/npx.out" "$WORK/npx.err"
fi

# --- README: npm i -D prisma1-lint -------------------------------------------------
# The example's files, with a package.json whose dependencies can be
# installed here (only prisma1-lint is served).
B=$WORK/b
cp -R "$PROJECT/examples/cloud-app" "$B"
printf '{ "name": "recipes-api", "private": true, "scripts": { "deploy": "prisma1 deploy" } }\n' >"$B/package.json"
if (cd "$B" && npm i -D prisma1-lint) >"$WORK/install.log" 2>&1; then
  pass "npm i -D prisma1-lint"
else
  fail "npm i -D prisma1-lint failed"; cat "$WORK/install.log"
fi
installed=$( (cd "$B/node_modules" 2>/dev/null && ls -d @prisma1-lint/*) | tr '\n' ' ' || true)
if [[ $installed == "@prisma1-lint/linux-x64 " ]]; then
  pass "npm installed only @prisma1-lint/linux-x64 (os, cpu and libc filter the others)"
else
  fail "platform packages installed: '$installed', expected only @prisma1-lint/linux-x64"
fi
if python3 -c 'import json,sys; assert "prisma1-lint" in json.load(open(sys.argv[1]))["devDependencies"]' "$B/package.json"; then
  pass "prisma1-lint is in devDependencies"
else fail "package.json has no prisma1-lint devDependency"; cat "$B/package.json"; fi
rc=0 want=0
(cd "$B" && npx prisma1-lint check --format json .) >"$WORK/npx.json" 2>"$WORK/npx.err" || rc=$?
# node_modules is never scanned, so both see the same files.
(cd "$B" && "$BIN" check --format json .) >"$WORK/bin.json" 2>/dev/null || want=$?
if [[ $rc -eq $want ]] && [[ -s $WORK/npx.json ]] && cmp -s "$WORK/npx.json" "$WORK/bin.json"; then
  pass "npx prisma1-lint check --format json: the same JSON as the cargo-built binary, exit $rc"
else
  fail "npx JSON differs from the binary's (exit $rc, binary $want)"
  diff "$WORK/npx.json" "$WORK/bin.json" | head -n 20
fi
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["findings"]) >= 3' "$WORK/npx.json"; then
  pass "the JSON report has the example's findings"
else fail "the JSON report is not JSON with findings"; fi

# --- The launcher's contract -------------------------------------------------------
L=$B/node_modules/.bin/prisma1-lint
if [[ $("$L" --version) == $("$BIN" --version) ]]; then pass "arguments pass through (--version)"; else
  fail "--version differs"; fi
rc=0
(cd "$B" && "$L" check --fail-on never . >/dev/null) || rc=$?
if [[ $rc -eq 0 ]]; then pass "exit status 0 passes through (--fail-on never)"; else
  fail "--fail-on never: exit $rc"; fi
rc=0
"$L" check --no-such-flag >"$WORK/l.out" 2>"$WORK/l.err" || rc=$?
"$BIN" check --no-such-flag >/dev/null 2>"$WORK/b.err" || true
if [[ $rc -eq 2 && ! -s $WORK/l.out ]] && cmp -s "$WORK/l.err" "$WORK/b.err"; then
  pass "usage error: exit 2, the binary's message on stderr, nothing on stdout"
else fail "usage error: exit $rc, or other output"; head -n 5 "$WORK/l.out" "$WORK/l.err"; fi

# Signals, with PRISMA1_LINT_BINARY pointing at a script that waits.
cat >"$WORK/waits.sh" <<'SH'
#!/usr/bin/env bash
trap 'echo "TERM received" >"$SIGNAL_LOG"; exit 143' TERM
echo ready >"$SIGNAL_LOG.ready"
if [[ ${1:-} == exit7 ]]; then exit 7; fi
sleep 30 &
wait
SH
chmod +x "$WORK/waits.sh"
export SIGNAL_LOG=$WORK/signal.log
PRISMA1_LINT_BINARY=$WORK/waits.sh "$L" &
pid=$!
for _ in $(seq 100); do [[ -e $SIGNAL_LOG.ready ]] && break; sleep 0.1; done
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
if [[ $rc -eq 143 ]] && grep -q 'TERM received' "$SIGNAL_LOG" 2>/dev/null; then
  pass "SIGTERM to the launcher reaches the binary; its status (143) comes back"
else fail "SIGTERM: launcher exit $rc, binary log: $(cat "$SIGNAL_LOG" 2>/dev/null)"; fi
printf '#!/bin/sh\nkill -TERM $$\n' >"$WORK/dies.sh"
chmod +x "$WORK/dies.sh"
rc=0
PRISMA1_LINT_BINARY=$WORK/dies.sh "$L" || rc=$?
if [[ $rc -eq 143 ]]; then pass "a binary killed by SIGTERM: the launcher dies of SIGTERM too"; else
  fail "a binary killed by SIGTERM: launcher exit $rc, expected 143"; fi
rc=0
PRISMA1_LINT_BINARY=$WORK/waits.sh "$L" exit7 || rc=$?
if [[ $rc -eq 7 ]]; then pass "any exit status passes through (7)"; else fail "exit 7 came back as $rc"; fi

# Missing platform package, and a platform without one.
mv "$B/node_modules/@prisma1-lint/linux-x64" "$WORK/hidden"
rc=0
"$L" check . >/dev/null 2>"$WORK/missing.err" || rc=$?
if [[ $rc -eq 2 ]] && grep -q 'the package @prisma1-lint/linux-x64, which holds the binary for linux-x64 (glibc), is not installed' "$WORK/missing.err" &&
  grep -q "npm install @prisma1-lint/linux-x64@" "$WORK/missing.err"; then
  pass "missing platform package: exit 2, names @prisma1-lint/linux-x64 and how to install it"
else fail "missing platform package: exit $rc: $(cat "$WORK/missing.err")"; fi
mv "$WORK/hidden" "$B/node_modules/@prisma1-lint/linux-x64"
echo "Object.defineProperty(process, 'platform', { value: 'sunos' });" >"$WORK/sunos.js"
rc=0
node -r "$WORK/sunos.js" "$L" check . >/dev/null 2>"$WORK/sunos.err" || rc=$?
if [[ $rc -eq 2 ]] && grep -q 'no prebuilt binary for sunos-x64' "$WORK/sunos.err"; then
  pass "unsupported platform: exit 2 and says so"
else fail "unsupported platform: exit $rc: $(cat "$WORK/sunos.err")"; fi

echo
if [[ $failures -gt 0 ]]; then
  echo "npm: $failures check(s) failed"
  exit 1
fi
echo "npm: all checks passed"
