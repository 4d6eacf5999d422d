#!/usr/bin/env bash
# End-to-end check of the Action's install steps (action.yml + action/install.sh)
# against releases served from a loopback HTTP server (tests/e2e/lib/registry.py),
# running the composite action with tests/e2e/lib/action_runner.py:
#   - a good release: the binary is downloaded, its SHA-256 verified, installed
#     and run, and cargo is never called;
#   - a wrong checksum: the step fails (exit 2) and installs nothing;
#   - a missing asset, no release, or a release of other sources: it builds
#     from the Action's folder with RUSTUP_TOOLCHAIN pinned, whatever
#     rust-toolchain.toml the scanned repository has; `install: download`
#     fails instead;
#   - the cache is restored before and saved right after the install step.
# The release asset is the binary under test (built for this machine) under
# the Linux x64 release name. The build fallback runs a stand-in for cargo
# that records how it was called and installs the binary under test, since a
# real release build takes minutes.
#
# Usage: tests/e2e/action_install.sh [path/to/prisma1-lint]
# Needs python3, curl and tar; installs PyYAML into $VENV when missing.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
source "$(dirname "${BASH_SOURCE[0]}")/lib/dist.bash"
require_bin
tools_venv pyyaml
PY=$VENV/bin/python
if ! host_is_linux_x64; then
  echo "SKIP: the release assets here are built for Linux x86-64 with glibc"
  exit 0
fi
build_dist release

version=$(node "$PROJECT/npm/assemble.js" check)
asset=prisma1-lint-x86_64-unknown-linux-musl.tar.gz
rel=$DIST/release
src=$rel/prisma1-lint-x86_64-unknown-linux-gnu.tar.gz
sum=$rel/prisma1-lint-x86_64-unknown-linux-gnu.tar.gz.sha256
hash=$rel/prisma1-lint-source.sha256
# The same archive with a checksum that is not its own.
sed 's/^./0/; s/^0/1/' "$sum" >"$WORK/bad.sha256"
if cmp -s "$sum" "$WORK/bad.sha256"; then sed -i 's/^./2/' "$WORK/bad.sha256"; fi
echo 00000000000000000000000000000000 >"$WORK/other-source"
serve_registry PORT \
  "good/v$version/prisma1-lint-source.sha256=$hash" \
  "good/v$version/$asset=$src" "good/v$version/$asset.sha256=$sum" \
  "bad/v$version/prisma1-lint-source.sha256=$hash" \
  "bad/v$version/$asset=$src" "bad/v$version/$asset.sha256=$WORK/bad.sha256" \
  "missing/v$version/prisma1-lint-source.sha256=$hash" \
  "other/v$version/prisma1-lint-source.sha256=$WORK/other-source" \
  "other/v$version/$asset=$src" "other/v$version/$asset.sha256=$sum"
URL=http://127.0.0.1:$PORT

# A stand-in for cargo, first on PATH: records its arguments, folder and
# toolchain, then installs the binary under test where --root says.
mkdir -p "$WORK/fakebin"
cat >"$WORK/fakebin/cargo" <<'SH'
#!/usr/bin/env bash
{ echo "args=$*"; echo "pwd=$PWD"; echo "toolchain=${RUSTUP_TOOLCHAIN:-}"; } >>"$CARGO_LOG"
root=
while [[ $# -gt 0 ]]; do [[ $1 == --root ]] && root=$2; shift; done
mkdir -p "$root/bin" && cp "$E2E_BIN" "$root/bin/prisma1-lint"
SH
chmod +x "$WORK/fakebin/cargo"
# A stand-in for gh: `gh attestation verify` succeeds, fails as the network
# does, or rejects the file, as E2E_GH says; each call is logged.
cat >"$WORK/fakebin/gh" <<'SH'
#!/usr/bin/env bash
echo "$*" >>"$GH_LOG"
case "${E2E_GH:-}" in
  ok) echo "Loaded 1 attestation from GitHub API"; exit 0 ;;
  network) echo 'Error: Post "https://api.github.com/graphql": dial tcp: lookup api.github.com: no such host' >&2 ;;
  reject) printf 'Loaded 1 attestation from GitHub API\n✗ Verification failed\nError: verifying with issuer "sigstore.dev": failed to verify signature\n' >&2 ;;
esac
exit 1
SH
chmod +x "$WORK/fakebin/gh"

# The scanned repository: a Cloud endpoint, and a rust-toolchain.toml that
# would break any build run in it.
WS=$WORK/ws
mkdir -p "$WS"
printf 'endpoint: https://eu1.prisma.sh/jane-doe/legacy/dev\ndatamodel: datamodel.prisma\n' >"$WS/prisma.yml"
printf '[toolchain]\nchannel = "nightly-1999-01-01"\n' >"$WS/rust-toolchain.toml"

# run_action INPUTS_JSON: logs in $WORK/last.*, returns the action's status.
run_action() {
  local gh=$WORK/gh rc=0
  rm -rf "$gh" && mkdir -p "$gh/temp" "$gh/toolcache"
  : >"$WORK/cargo.log"
  : >"$WORK/gh.log"
  (
    cd "$WS"
    export GITHUB_ACTIONS=true CI=true
    export GITHUB_ACTION_PATH=$PROJECT GITHUB_ACTION_REF="v$version" GITHUB_ACTION_REPOSITORY=prisma1-lint/prisma1-lint
    export GITHUB_WORKSPACE=$WS GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH=/dev/null
    export RUNNER_TEMP=$gh/temp RUNNER_TOOL_CACHE=$gh/toolcache RUNNER_OS=Linux RUNNER_ARCH=X64
    export CARGO_LOG=$WORK/cargo.log GH_LOG=$WORK/gh.log E2E_BIN=$BIN PATH=$WORK/fakebin:$PATH
    unset GH_TOKEN GITHUB_TOKEN
    "$PY" "$PROJECT/tests/e2e/lib/action_runner.py" "$PROJECT/action.yml" "$1" "$WORK/last.outputs"
  ) >"$WORK/last.stdout" 2>"$WORK/last.stderr" || rc=$?
  return "$rc"
}
installed() { find "$WORK/gh/toolcache" -path '*/bin/prisma1-lint' -type f | head -n 1; }
logs() {
  echo "--- stdout"; head -n 30 "$WORK/last.stdout"
  echo "--- stderr"; head -n 30 "$WORK/last.stderr"
}
expect_status() { # WHAT WANT GOT
  if [[ $3 -eq $2 ]]; then pass "$1: exit status $2"; else fail "$1: exit status $3, expected $2"; logs; fi
}

# --- 1. A good release -------------------------------------------------------
rc=0
run_action "{\"download-url\": \"$URL/good\", \"summary\": \"false\", \"sarif-file\": \"\"}" || rc=$?
expect_status "good release, repository with a Cloud endpoint" 1 "$rc"
if grep -q "$asset: SHA-256 [0-9a-f]\{64\} verified" "$WORK/last.stdout"; then
  pass "good release: the SHA-256 was verified"
else fail "good release: no verified SHA-256 in the log"; logs; fi
bin=$(installed)
tar -xzf "$src" -C "$WORK" prisma1-lint
if [[ -n $bin ]] && cmp -s "$bin" "$WORK/prisma1-lint"; then
  pass "good release: the installed binary is the released one"
else fail "good release: the installed binary is missing or not the released one"; fi
if grep -q 'cloud-endpoint' "$WORK/last.stdout"; then pass "good release: the scan ran with it"; else
  fail "good release: the scan did not report cloud-endpoint"; logs; fi
if [[ ! -s $WORK/cargo.log ]]; then pass "good release: cargo was not called"; else
  fail "good release: cargo was called"; cat "$WORK/cargo.log"; fi

# --- 2. A wrong checksum fails closed ------------------------------------------
rc=0
run_action "{\"download-url\": \"$URL/bad\"}" || rc=$?
expect_status "wrong checksum" 2 "$rc"
if grep -q '^::error title=prisma1-lint install::checksum mismatch' "$WORK/last.stdout"; then
  pass "wrong checksum: an ::error says checksum mismatch"
else fail "wrong checksum: no ::error about the checksum"; logs; fi
if [[ -z $(installed) && ! -s $WORK/cargo.log ]]; then
  pass "wrong checksum: nothing installed, nothing built"
else fail "wrong checksum: something was installed or built"; fi
if grep -q 'runner: step install exited with 2' "$WORK/last.stderr"; then
  pass "wrong checksum: the job stops at the install step"
else fail "wrong checksum: the install step did not stop the job"; logs; fi

# --- 3. Fallbacks to the build -----------------------------------------------
for case in missing other nothing; do
  rc=0
  run_action "{\"download-url\": \"$URL/$case\", \"summary\": \"false\", \"sarif-file\": \"\"}" || rc=$?
  expect_status "$case: falls back to the build, then scans" 1 "$rc"
  if grep -qx "args=install --locked --path . --root $WORK/gh/toolcache/prisma1-lint/[0-9a-f]*" "$WORK/cargo.log" &&
    grep -qx "pwd=$PROJECT" "$WORK/cargo.log" && grep -qx 'toolchain=stable' "$WORK/cargo.log"; then
    pass "$case: cargo install ran in the Action's folder with RUSTUP_TOOLCHAIN=stable"
  else
    fail "$case: cargo was not called as expected"; cat "$WORK/cargo.log"; logs
  fi
done
rc=0
run_action "{\"download-url\": \"$URL/missing\", \"install\": \"download\"}" || rc=$?
expect_status "missing asset with install: download" 2 "$rc"
if grep -q "cannot download prisma1-lint: release v$version has no $asset" "$WORK/last.stdout" && [[ ! -s $WORK/cargo.log ]]; then
  pass "install: download never builds, and says which asset is missing"
else fail "install: download did not fail as expected"; logs; fi
rc=0
run_action "{\"download-url\": \"$URL/other\", \"install\": \"build\", \"rust-toolchain\": \"1.85.0\"}" || rc=$?
if grep -qx 'toolchain=1.85.0' "$WORK/cargo.log" && ! grep -q 'SHA-256' "$WORK/last.stdout"; then
  pass "install: build builds without downloading, with the rust-toolchain input"
else fail "install: build did not build with the given toolchain"; cat "$WORK/cargo.log"; logs; fi

# --- 4. Build provenance: verified, rejected, or not to be had ---------------
good="{\"download-url\": \"$URL/good\", \"summary\": \"false\", \"sarif-file\": \"\""
rc=0
E2E_GH=ok E2E_GITHUB_TOKEN=tok run_action "$good}" || rc=$?
if [[ $rc -eq 1 ]] && grep -q "$asset: build provenance verified" "$WORK/last.stdout" &&
  grep -q "^attestation verify .* --repo prisma1-lint/prisma1-lint" "$WORK/gh.log"; then
  pass "provenance verified: installed and scanned"
else fail "provenance verified: exit $rc, or not said"; logs; fi
rc=0
E2E_GH=reject E2E_GITHUB_TOKEN=tok run_action "$good}" || rc=$?
if [[ $rc -eq 2 && -z $(installed) ]] &&
  grep -q "^::error title=prisma1-lint install::gh attestation verify rejected $asset" "$WORK/last.stdout" &&
  [[ $(wc -l <"$WORK/gh.log") -eq 1 ]]; then
  pass "provenance rejected: the install stops at once (exit 2), nothing installed"
else fail "provenance rejected: exit $rc, or installed, or retried"; logs; fi
rc=0
E2E_GH=network E2E_GITHUB_TOKEN=tok run_action "$good}" || rc=$?
if [[ $rc -eq 1 && -n $(installed) && $(wc -l <"$WORK/gh.log") -eq 3 ]] &&
  grep -q "^::warning title=prisma1-lint install::gh attestation verify could not reach GitHub: the build provenance of $asset was not verified; installed on its verified SHA-256 alone" "$WORK/last.stdout" &&
  ! grep -q 'rejected' "$WORK/last.stdout"; then
  pass "provenance not to be had (network): three tries, then the checksum with a warning, never 'rejected'"
else fail "provenance not to be had (network): exit $rc, or not retried/warned"; logs; cat "$WORK/gh.log"; fi
for who in network notoken; do
  rc=0
  if [[ $who == network ]]; then
    E2E_GH=network E2E_GITHUB_TOKEN=tok run_action "$good, \"require-attestation\": \"true\"}" || rc=$?
  else
    run_action "$good, \"require-attestation\": \"true\"}" || rc=$?
  fi
  if [[ $rc -eq 2 && -z $(installed) ]] &&
    grep -q "^::error title=prisma1-lint install::cannot verify the build provenance of $asset (.*), and require-attestation is true" "$WORK/last.stdout"; then
    pass "require-attestation ($who): the install stops (exit 2), nothing installed"
  else fail "require-attestation ($who): exit $rc, or installed"; logs; fi
done

# --- 5. Cache steps around the install -----------------------------------------
if "$PY" - "$PROJECT/action.yml" <<'PY'; then
import sys, yaml
steps = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))["runs"]["steps"]
ids = [s.get("id") for s in steps]
i = ids.index("install")
restore, save = steps[i - 1], steps[i + 1]
assert restore["uses"].startswith("actions/cache/restore@"), restore
assert save["uses"].startswith("actions/cache/save@"), save
assert restore["with"] == save["with"], (restore["with"], save["with"])
assert steps[i]["if"] == save["if"] == "steps.%s.outputs.cache-hit != 'true'" % restore["id"]
assert ids.index("scan") > i + 1
for s in (restore, save):
    ref = s["uses"].split("@", 1)[1]
    assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), s["uses"]
PY
  pass "cache restore just before the install, save just after it (before the scan), pinned by SHA"
else
  fail "the cache steps are not restore / install / save, pinned, before the scan"
fi

echo
if [[ $failures -gt 0 ]]; then
  echo "action_install: $failures check(s) failed"
  exit 1
fi
echo "action_install: all checks passed"
