#!/usr/bin/env bash
# End-to-end check of `--format sarif`: scans a small repository with findings
# (one of them suppressed, one after an emoji) and a clean one, then validates
# the logs with Microsoft's SARIF multitool using its GitHub and SARIF rule
# sets, the same checks GitHub code scanning applies on upload. Also: the
# suppressed result is left out by default and all-or-none with
# --sarif-include-suppressed, --sarif-category sets automationDetails.id,
# columns are UTF-16, every rule has its precision and its own helpUri, and a
# tree with 30,000 findings gives a log capped at GitHub's 25,000.
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

# scan NAME DIR EXPECTED_EXIT [ARGS...]: writes $WORK/NAME.sarif
scan() {
  local name=$1 dir=$2 expected=$3 status=0
  shift 3
  "$BIN" check "$dir" --format sarif "$@" >"$WORK/$name.sarif" 2>"$WORK/$name.stderr" || status=$?
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
mkdir -p "$REPO/src"
printf "const mood = '😀🎉'; const uri = 'https://eu1.prisma.sh/jane/emoji/dev';\n" >"$REPO/src/emoji.js"

scan with-findings "$REPO" 1
validate with-findings "$WORK/with-findings.sarif" || true
scan with-suppressed "$REPO" 1 --sarif-include-suppressed --sarif-category monorepo/api
validate with-suppressed "$WORK/with-suppressed.sarif" || true
"$BIN" check "$REPO" --format json >"$WORK/with-findings.json" 2>/dev/null || true

if grep -qF -- "$SECRET" "$WORK/with-findings.sarif"; then
  fail "with-findings: the secret value appears in the SARIF log"
else
  pass "with-findings: the secret value is not in the SARIF log"
fi

# Structural expectations the validator does not know about.
structure=$(python3 - "$WORK/with-findings.sarif" "$WORK/with-findings.json" "$REPO/src/emoji.js" \
  "$WORK/with-suppressed.sarif" <<'PY'
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
check(at("cloud-endpoint", "archive/prisma.yml") == [],
      "the suppressed endpoint is left out by default (code scanning ignores suppressions)")
check(all("suppressions" not in r for r in results), "no result carries suppressions")
check("automationDetails" not in run, "no automationDetails: upload-sarif's category decides")
check(run.get("columnKind") == "utf16CodeUnits", "columnKind is utf16CodeUnits")
check(all(":" in r.get("partialFingerprints", {}).get("primaryLocationLineHash", "")
          for r in results), "every result has a primaryLocationLineHash")
check(all(r.get("properties", {}).get("precision") in ("very-high", "high", "medium", "low")
          for r in rules), "every rule has a precision")
uris = [r.get("helpUri", "") for r in rules]
check(len(set(uris)) == len(uris) and
      all(u.endswith(f"/rules/{r['id']}.yml") for u, r in zip(uris, rules)),
      "every rule has a helpUri of its own (its rule file)")
prec = {r["id"]: r["properties"]["precision"] for r in rules}
check(prec.get("missing-management-secret") == "medium" and prec.get("cloud-endpoint") == "high",
      "precision: medium for missing-management-secret, high for cloud-endpoint")
# UTF-16 columns: the JSON counts characters, SARIF counts UTF-16 units,
# and each emoji is two of those.
js = json.load(open(sys.argv[2], encoding="utf-8"))
line = open(sys.argv[3], encoding="utf-8").read().splitlines()[0]
want = len(line[:line.index("https://")].encode("utf-16-le")) // 2 + 1
emoji = at("cloud-endpoint", "src/emoji.js")
jcol = [f["column"] for f in js["findings"] if f["path"] == "src/emoji.js" and f["rule"] == "cloud-endpoint"]
got = emoji[0]["locations"][0]["physicalLocation"]["region"]["startColumn"] if emoji else None
check(got == want and jcol == [want - 2],
      f"UTF-16 column {got} (want {want}) in SARIF, code points {jcol} in JSON")

log = json.load(open(sys.argv[4], encoding="utf-8"))
run = log["runs"][0]
results = run.get("results", [])
sup = [r for r in results
       if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "archive/prisma.yml"]
check(len(sup) == 1 and [s.get("kind") for s in sup[0].get("suppressions", [])] == ["inSource"],
      "--sarif-include-suppressed: the suppressed endpoint carries suppressions [inSource]")
check(all(isinstance(r.get("suppressions"), list) for r in results),
      "--sarif-include-suppressed: every result carries suppressions (all or none)")
check(run.get("automationDetails", {}).get("id") == "monorepo/api/",
      "--sarif-category monorepo/api: automationDetails.id is monorepo/api/")
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

# --- Over GitHub's limit of 25,000 results per run ----------------------------
BIG=$WORK/big
mkdir -p "$BIG"
python3 - "$BIG" <<'PY'
import os, sys
# 300 files of 100 endpoints: 30,000 findings (which results are kept, most
# severe first, is a unit test of the writer).
for i in range(300):
    with open(os.path.join(sys.argv[1], f"f{i:03}.js"), "w") as f:
        for j in range(100):
            f.write(f"const u{j} = 'https://eu1.prisma.sh/w{i}/s{j}/dev';\n")
PY
start=$SECONDS
scan big "$BIG" 1
echo "scan of 30,000 findings to SARIF: $((SECONDS - start))s"
if python3 - "$WORK/big.sarif" <<'PY'; then
import json, sys
run = json.load(open(sys.argv[1], encoding="utf-8"))["runs"][0]
n = len(run["results"])
props = run.get("properties", {})
notes = run["invocations"][0].get("toolExecutionNotifications", [])
assert n == 25000, n
assert props.get("truncated") is True and props.get("omittedResults") == 5000, props
assert any("capped at 25000" in x["message"]["text"] for x in notes), notes
PY
  pass "30,000 findings: 25,000 results, the cut in run.properties and a notification"
else
  fail "30,000 findings: the SARIF log is not capped as expected"
fi
if grep -q "SARIF log capped at 25000 results" "$WORK/big.stderr"; then
  pass "30,000 findings: stderr says the log was capped"
else
  fail "30,000 findings: stderr does not say the log was capped"; head -5 "$WORK/big.stderr"
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
