#!/usr/bin/env bash
# Static checks of the release workflow (.github/workflows/release.yml) and
# the Action's install: the workflow schema (check-jsonschema), zizmor with
# nothing above low, every action pinned by commit SHA, and the targets the
# workflow builds, the npm platform packages and the Action downloads agree.
#
# Usage: tests/e2e/release.sh [path/to/prisma1-lint]   (the binary is not used)
# Needs python3 and node; installs check-jsonschema, zizmor and PyYAML into $VENV.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
source "$(dirname "${BASH_SOURCE[0]}")/lib/dist.bash"
tools_venv check-jsonschema zizmor pyyaml
cd "$PROJECT"
WF=.github/workflows/release.yml

if "$VENV/bin/check-jsonschema" --builtin-schema vendor.github-workflows "$WF" >"$WORK/out" 2>&1; then
  pass "$WF is a valid workflow"
else
  fail "$WF does not match the workflow schema"; cat "$WORK/out"
fi
for f in "$WF" action.yml; do
  if "$VENV/bin/zizmor" --offline --no-progress --min-severity medium "$f" >"$WORK/out" 2>&1; then
    pass "zizmor: nothing above low in $f"
  else
    fail "zizmor reports findings above low in $f"; cat "$WORK/out"
  fi
done

node npm/assemble.js targets >"$WORK/targets"
if "$VENV/bin/python" - "$WF" action.yml action/install.sh "$WORK/targets" <<'PY'; then
import re, sys, yaml
wf_path, action_path, install_path, targets_path = sys.argv[1:]
wf = yaml.safe_load(open(wf_path, encoding="utf-8"))
uses = re.findall(r"uses:\s*(\S+)(.*)", open(wf_path).read() + open(action_path).read())
for ref, comment in uses:
    name, _, sha = ref.partition("@")
    assert re.fullmatch(r"[0-9a-f]{40}", sha), f"{ref} is not pinned by commit SHA"
    assert re.search(r"# v\d", comment), f"{ref} has no version comment"
built = {m["target"] for m in wf["jobs"]["binaries"]["strategy"]["matrix"]["include"]}
wheels = {m["target"] for m in wf["jobs"]["wheels"]["strategy"]["matrix"]["include"]}
npm = {line.split()[1] for line in open(targets_path) if line.strip()}
assert built == npm == wheels, (built, npm, wheels)
wanted = set(re.findall(r"target=([a-z0-9_-]+)", open(install_path).read()))
assert wanted and wanted <= built, f"the Action downloads {wanted - built}, which is never built"
assert "tags" in wf[True]["push"], "the workflow must run on tags"
for job in wf["jobs"].values():
    for step in job.get("steps", []):
        if "actions/checkout@" in step.get("uses", ""):
            assert step.get("with", {}).get("persist-credentials") is False, "checkout keeps credentials"
PY
  pass "actions pinned by SHA; the workflow builds every npm, wheel and Action target"
else
  fail "pins or targets are inconsistent"
fi

echo
if [[ $failures -gt 0 ]]; then
  echo "release: $failures check(s) failed"
  exit 1
fi
echo "release: all checks passed"
