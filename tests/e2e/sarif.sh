#!/usr/bin/env bash
# End-to-end check of `--format sarif`: scans a small repository with findings
# (one of them suppressed) and a clean one, then validates both logs with
# Microsoft's SARIF multitool using its GitHub and SARIF rule sets, the same
# checks GitHub code scanning applies on upload.
#
# Usage: tests/e2e/sarif.sh [path/to/prisma1-lint]
# Needs node/npm (to fetch the multitool once into $TOOLS) and python3.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
require_bin

# --- The multitool --------------------------------------------------------
if [[ ! -e $TOOLS/node_modules/.bin/sarif-multitool ]]; then
  echo "installing @microsoft/sarif-multitool into $TOOLS"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund @microsoft/sarif-multitool >&2
fi
# The npm package is a launcher for a native binary in a per-platform
# package; its launcher goes through a shell, which would split
# `--rule-kind Gh;Sarif` at the `;`. Call the binary itself.
MULTITOOL=$(find "$TOOLS/node_modules/@microsoft" -path '*/sarif-multitool-*/*' -type f \
  \( -name Sarif.Multitool -o -name Sarif.Multitool.exe \) 2>/dev/null | head -n 1)
if [[ -z $MULTITOOL ]]; then
  echo "FAIL: no Sarif.Multitool binary under $TOOLS/node_modules/@microsoft" >&2
  exit 2
fi
# Newer npm versions skip the package's install script, which only sets
# this bit.
[[ -x $MULTITOOL ]] || chmod u+x "$MULTITOOL"

# validate NAME FILE: runs the multitool and fails on any error-level result
# or on a run that did not complete. Returns 0 when valid, 3 when the log has
# errors, 1 when the multitool itself failed.
validate() {
  local name=$1 file=$2 log=$WORK/$1.validation.sarif
  # The file goes first: list-valued options such as --log take every
  # following word as a value.
  if ! "$MULTITOOL" validate "$file" --rule-kind 'Gh;Sarif' --output "$log" \
    >"$WORK/$name.validation.out" 2>&1; then
    fail "$name: multitool exited with an error"
    head -n 20 "$WORK/$name.validation.out"
    return 1
  fi
  if [[ ! -s $log ]]; then
    fail "$name: multitool wrote no validation log"
    head -n 20 "$WORK/$name.validation.out"
    return 1
  fi
  local report errors
  report=$(python3 - "$log" <<'PY'
import json, sys
log = json.load(open(sys.argv[1], encoding="utf-8"))
bad = []
for run in log.get("runs", []):
    for r in run.get("results", []):
        # SARIF's default level is "warning"; only explicit errors count.
        if r.get("level") == "error":
            msg = r.get("message", {})
            bad.append(f'{r.get("ruleId")}: {msg.get("text") or msg.get("arguments")}')
    for inv in run.get("invocations", []):
        if inv.get("executionSuccessful") is False:
            bad.append("validation did not complete")
        for n in inv.get("toolExecutionNotifications", []):
            if n.get("level") == "error":
                bad.append(f'notification: {n.get("message", {}).get("text")}')
print(len(bad))
for b in bad:
    print("  " + b)
PY
  ) || {
    fail "$name: cannot read the validation log"
    return 1
  }
  errors=${report%%$'\n'*}
  if [[ $errors == 0 ]]; then
    pass "$name: multitool (Gh;Sarif) reports no errors"
  else
    fail "$name: multitool (Gh;Sarif) reports $errors error(s)"
    printf '%s\n' "${report#*$'\n'}"
    return 3
  fi
}

# scan NAME DIR EXPECTED_EXIT: writes $WORK/NAME.sarif
scan() {
  local name=$1 dir=$2 expected=$3 status=0
  "$BIN" check "$dir" --format sarif >"$WORK/$name.sarif" 2>"$WORK/$name.stderr" || status=$?
  if [[ $status == "$expected" ]]; then
    pass "$name: exit status $status"
  else
    fail "$name: exit status $status, expected $expected"
    cat "$WORK/$name.stderr"
  fi
}

# --- A repository with findings ------------------------------------------
SECRET=e2e-s3cr3t-$$-value
REPO=$WORK/with-findings
mkdir -p "$REPO/archive"
cat >"$REPO/prisma.yml" <<'EOF'
endpoint: https://eu1.prisma.sh/jane/app/dev
datamodel: datamodel.prisma
EOF
printf 'PRISMA_MANAGEMENT_API_SECRET=%s\n' "$SECRET" >"$REPO/.env"
cat >"$REPO/archive/prisma.yml" <<'EOF'
# prisma1-lint: ignore[cloud-endpoint] archived service, kept for reference
endpoint: https://us1.prisma.sh/jane/old/dev
EOF

scan with-findings "$REPO" 1
validate with-findings "$WORK/with-findings.sarif" || true

if grep -qF -- "$SECRET" "$WORK/with-findings.sarif"; then
  fail "with-findings: the secret value appears in the SARIF log"
else
  pass "with-findings: the secret value is not in the SARIF log"
fi

# Structural expectations the validator does not know about.
structure=$(python3 - "$WORK/with-findings.sarif" <<'PY'
import json, sys
log = json.load(open(sys.argv[1], encoding="utf-8"))
def check(ok, what):
    print(("PASS: " if ok else "FAIL: ") + "with-findings: " + what)
runs = log.get("runs", [])
check(len(runs) == 1, "exactly one run")
run = runs[0] if runs else {}
results = run.get("results", [])
rules = run.get("tool", {}).get("driver", {}).get("rules", [])
ids = [r.get("id") for r in rules]
check(len(ids) == len(set(ids)), "no rule described twice")
check(all(ids[r.get("ruleIndex", -1)] == r.get("ruleId") for r in results
          if 0 <= r.get("ruleIndex", -1) < len(ids))
      and all(0 <= r.get("ruleIndex", -1) < len(ids) for r in results),
      "every ruleIndex points at its rule")
def at(rule, uri):
    return [r for r in results if r.get("ruleId") == rule and
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri]
check(len(at("cloud-endpoint", "prisma.yml")) == 1, "demo endpoint in prisma.yml reported")
check(len(at("hardcoded-secret", ".env")) == 1, "hard-coded secret in .env reported")
sup = at("cloud-endpoint", "archive/prisma.yml")
check(len(sup) == 1 and [s.get("kind") for s in sup[0].get("suppressions", [])] == ["inSource"],
      "suppressed endpoint carries suppressions [inSource]")
check(all("suppressions" not in r for r in at("cloud-endpoint", "prisma.yml")),
      "unsuppressed endpoint carries no suppressions")
check(all(":" in r.get("partialFingerprints", {}).get("primaryLocationLineHash", "")
          for r in results), "every result has a primaryLocationLineHash")
PY
) || fail "with-findings: the structural checks could not run"
while IFS= read -r line; do
  case $line in
    PASS:*) echo "$line" ;;
    FAIL:*) fail "${line#FAIL: }" ;;
  esac
done <<<"$structure"

# --- A clean repository ----------------------------------------------------
CLEAN=$WORK/clean
mkdir -p "$CLEAN"
printf '# nothing to see\n' >"$CLEAN/README.md"
printf '{ "name": "app", "dependencies": { "@prisma/client": "^5.0.0" } }\n' >"$CLEAN/package.json"

scan clean "$CLEAN" 0
validate clean "$WORK/clean.sarif" || true
if python3 -c 'import json,sys; l=json.load(open(sys.argv[1])); sys.exit(0 if len(l["runs"])==1 and l["runs"][0]["results"]==[] else 1)' "$WORK/clean.sarif"; then
  pass "clean: one run with an empty results array"
else
  fail "clean: expected one run with an empty results array"
fi

# --- The validator itself can fail ----------------------------------------
# A log with an absolute Windows path and a zero line must be rejected, or a
# broken multitool setup would pass everything above.
cat >"$WORK/broken.sarif" <<'EOF'
{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"a","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"C:/abs/a b"},"region":{"startLine":0}}}]}]}]}
EOF
before=$failures
status=0
validate broken "$WORK/broken.sarif" >"$WORK/broken.out" 2>&1 || status=$?
failures=$before
if [[ $status == 3 ]]; then
  pass "control: multitool finds errors in a broken log"
else
  fail "control: multitool did not find errors in a broken log (status $status)"
  cat "$WORK/broken.out"
fi

echo
if ((failures > 0)); then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
