#!/usr/bin/env bash
# End-to-end check of the PyPI package (pyproject.toml, maturin
# `bindings = "bin"`): builds the wheel with maturin from the cargo target the
# binary under test is in (nothing is compiled again), checks its tag and
# contents, installs it into a fresh virtual environment, and runs the
# README's `pipx install prisma1-lint` as written against a loopback package
# index (tests/e2e/lib/registry.py); both installs must give the binary's
# report byte for byte.
#
# Usage: tests/e2e/wheel.sh [path/to/prisma1-lint]   (TARGET/debug/prisma1-lint)
# Needs python3; installs maturin and pipx into $VENV when missing.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
source "$(dirname "${BASH_SOURCE[0]}")/lib/dist.bash"
require_bin
if ! host_is_linux_x64; then
  echo "SKIP: the wheel check expects Linux x86-64 with glibc"
  exit 0
fi
build_dist wheel
tools_venv pipx

version=$(node "$PROJECT/npm/assemble.js" check)
wheels=("$DIST"/wheel/*.whl)
whl=${wheels[0]}
# Built here on glibc 2.36 the binary needs symbols up to GLIBC_2.34, so
# maturin tags it manylinux_2_34 (it refuses manylinux2014 on this machine).
if [[ ${#wheels[@]} -eq 1 && $(basename "$whl") == "prisma1_lint-$version-py3-none-manylinux_2_34_x86_64.whl" ]]; then
  pass "one wheel, tagged py3-none-manylinux_2_34_x86_64"
else
  fail "wheels built: ${wheels[*]##*/}"
fi
if python3 - "$whl" "$version" <<'PY'; then
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
v = sys.argv[2]
want = {f"prisma1_lint-{v}.data/scripts/prisma1-lint", f"prisma1_lint-{v}.dist-info/METADATA"}
missing = want - names
assert not missing, missing
assert any(n.endswith("LICENSE-MIT") for n in names) and any(n.endswith("LICENSE-APACHE") for n in names), names
PY
  pass "the wheel holds the binary as a script, its metadata and both licenses"
else
  fail "the wheel lacks the binary, the metadata or a license"
fi

EX=$WORK/example
cp -R "$PROJECT/examples/cloud-app" "$EX"
want=0
(cd "$EX" && "$BIN" check --format json .) >"$WORK/bin.json" 2>/dev/null || want=$?

# same_report WHAT PROGRAM: PROGRAM check --format json . in the example.
same_report() {
  local rc=0
  (cd "$EX" && "$2" check --format json .) >"$WORK/got.json" 2>"$WORK/got.err" || rc=$?
  if [[ $rc -eq $want && -s $WORK/got.json ]] && cmp -s "$WORK/got.json" "$WORK/bin.json"; then
    pass "$1: the binary's JSON report and exit status ($rc)"
  else
    fail "$1: exit $rc (binary $want), or another report"
    head -n 10 "$WORK/got.err"
  fi
}

python3 -m venv "$WORK/venv"
if "$WORK/venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$whl"; then
  pass "pip install of the wheel into a fresh venv (no index)"
else
  fail "pip could not install the wheel"
fi
if [[ $("$WORK/venv/bin/prisma1-lint" --version 2>&1) == "prisma1-lint $version" ]]; then
  pass "venv: prisma1-lint --version is $version"
else
  fail "venv: prisma1-lint --version says '$("$WORK/venv/bin/prisma1-lint" --version 2>&1 || true)'"
fi
same_report "venv" "$WORK/venv/bin/prisma1-lint"

# --- README: pipx install prisma1-lint ---------------------------------------------
# pipx keeps pip in a shared environment, which it refreshes (from the real
# index) when it is over a month old: refreshed here, with the tools, so that
# the install below needs nothing but the loopback index.
export PIPX_SHARED_LIBS=$TOOLS/pipx-shared
if ! PATH=$VENV/bin:$PATH pipx upgrade-shared --quiet >"$WORK/shared.log" 2>&1; then
  echo "pipx could not refresh its shared pip:"; tail -n 5 "$WORK/shared.log"
fi
serve_registry PORT "$whl"
export PIP_INDEX_URL=http://127.0.0.1:$PORT/simple/ PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_RETRIES=0
export PIPX_HOME=$WORK/pipx PIPX_BIN_DIR=$WORK/pipx-bin PIPX_MAN_DIR=$WORK/pipx-man
if PATH=$VENV/bin:$PATH pipx install prisma1-lint >"$WORK/pipx.log" 2>&1; then
  pass "pipx install prisma1-lint (from the loopback index)"
else
  fail "pipx install prisma1-lint failed"; tail -n 20 "$WORK/pipx.log"
fi
same_report "pipx" "$PIPX_BIN_DIR/prisma1-lint"

echo
if [[ $failures -gt 0 ]]; then
  echo "wheel: $failures check(s) failed"
  exit 1
fi
echo "wheel: all checks passed"
