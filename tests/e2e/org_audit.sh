#!/usr/bin/env bash
# End-to-end check of the reusable workflow .github/workflows/org-audit.yml:
# runs its three jobs (list, the audit shards, report) through the project's
# composite-action runner, against an organisation of local git repositories
# (file:// URLs) and a GitHub API answer on disk, as a real run would chain
# them: the list job's outputs feed each shard's matrix value, the shards'
# JSON files are the artifacts the report job merges. `uses:` steps (the
# artifact actions) are skipped and their copies made here; the install step
# is replaced by putting the built binary on the PATH.
#
# Checks: the topic, name, archived and fork filters; the shards cover every
# repository once; the merged HTML and Markdown are byte-identical to one
# `audit --each-subdir` over the same clones; the job summary holds the
# report; the token never lands in a clone's config.
#
# Usage: tests/e2e/org_audit.sh [path/to/prisma1-lint]
# Needs python3 and git; installs PyYAML into $VENV when it is missing.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
require_bin
if ! "$VENV/bin/python" -c 'import yaml' 2>/dev/null; then
  echo "installing PyYAML into $VENV"
  mkdir -p "$TOOLS"
  [[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check pyyaml >&2
fi
PY=$VENV/bin/python
WORKFLOW=$PROJECT/.github/workflows/org-audit.yml
TOKEN=e2e-token-canary-7f3a
git_() { git -c user.name=e2e -c user.email=e2e@example.com -c init.defaultBranch=main -c commit.gpgsign=false "$@"; }

# --- The organisation ---------------------------------------------------------
# name, source fixture, topics, archived, fork
ORG=$WORK/org/acme
mkdir -p "$ORG" "$WORK/api/orgs/acme"
repos_json="["
add_repo() {
  local name=$1 src=$2 topics=$3 archived=$4 fork=$5 dir=$WORK/src/$1
  mkdir -p "$dir"
  if [[ $src == orm ]]; then write_orm_project "$dir"; else cp -R "$PROJECT/tests/fixtures/$src/." "$dir/"; fi
  git_ -C "$dir" init -q
  git_ -C "$dir" add -A
  git_ -C "$dir" commit -qm init
  git_ clone -q --bare "$dir" "$ORG/$name.git"
  [[ $repos_json == "[" ]] || repos_json+=","
  repos_json+="{\"name\":\"$name\",\"topics\":$topics,\"archived\":$archived,\"fork\":$fork}"
}
add_repo shop-api cloud-project '["prisma","api"]' false false
add_repo billing self-hosted '["prisma"]' false false
add_repo cluster audit/local-docker '["prisma"]' false false
add_repo legacy-admin audit/unresolved '["prisma"]' false false
add_repo web orm '["prisma"]' false false
add_repo docs-site orm '[]' false false
add_repo old-app cloud-project '["prisma"]' true false
add_repo forked-lib self-hosted '["prisma"]' false true
echo "$repos_json]" >"$WORK/api/orgs/acme/repos"
EXPECTED='["billing", "cluster", "legacy-admin", "shop-api", "web"]'

# --- Running one job ------------------------------------------------------------
# run_job JOB WORKSPACE INPUTS_JSON CONTEXTS_JSON: leaves the job's outputs in
# $WORK/out.env and the summary in WORKSPACE.summary.md.
run_job() {
  local job=$1 ws=$2 inputs=$3 ctx=$4
  mkdir -p "$ws" "$ws.temp" "$ws.cache"
  : >"$ws.summary.md"
  env GITHUB_WORKSPACE="$ws" GITHUB_ACTION_PATH="$PROJECT" GITHUB_EVENT_NAME=workflow_call \
    GITHUB_STEP_SUMMARY="$ws.summary.md" RUNNER_TEMP="$ws.temp" RUNNER_TOOL_CACHE="$ws.cache" \
    RUNNER_JOB="$job" RUNNER_CONTEXTS="$ctx" BINDIR="$(dirname "$BIN")" \
    SUBSTITUTE_install='echo "$BINDIR" >>"$GITHUB_PATH"' \
    "$PY" "$PROJECT/tests/e2e/lib/action_runner.py" "$WORKFLOW" "$inputs" "$WORK/out.env" \
    >"$ws.log" 2>&1
}
out() { sed -n "s/^$1=//p" "$WORK/out.env"; }
inputs() {
  printf '{"organization":"acme","topic":"prisma","shards":3,"api-url":"file://%s","clone-url":"file://%s"%s}' \
    "$WORK/api" "$WORK/org" "${1:-}"
}
secrets="{\"secrets\":{\"token\":\"$TOKEN\"}}"

# --- list -----------------------------------------------------------------------
if run_job list "$WORK/jobs/list" "$(inputs)" "$secrets"; then
  pass "the list job runs"
else
  fail "the list job failed"
  cat "$WORK/jobs/list.log"
fi
repositories=$(out repositories)
shards=$(out shards)
count=$(out count)
if [[ $repositories == "$EXPECTED" && $count == 5 && $shards == "[0, 1, 2]" ]]; then
  pass "the topic filter keeps 5 repositories, without archived ones and forks, in 3 shards"
else
  fail "listed $repositories ($count) in shards $shards; expected $EXPECTED in [0, 1, 2]"
fi
run_job list "$WORK/jobs/list-names" "$(inputs ',"name-filter":"^(shop|bill|fork)","include-forks":true')" "$secrets" || true
if [[ $(out repositories) == '["billing", "forked-lib", "shop-api"]' ]]; then
  pass "the name filter and include-forks choose the repositories"
else
  fail "name filter: $(out repositories)"
fi

# --- audit shards -------------------------------------------------------------------
needs_list="{\"outputs\":{\"repositories\":$(printf '%s' "$repositories" | "$PY" -c 'import json,sys; print(json.dumps(sys.stdin.read()))'),\"shards\":\"[0, 1, 2]\",\"count\":\"$count\"}}"
mkdir -p "$WORK/artifacts"
for shard in 0 1 2; do
  ws=$WORK/jobs/audit-$shard
  if run_job audit "$ws" "$(inputs)" "{\"matrix\":{\"shard\":$shard},\"needs\":{\"list\":$needs_list},\"secrets\":{\"token\":\"$TOKEN\"}}"; then
    pass "audit shard $shard runs"
  else
    fail "audit shard $shard failed"
    cat "$ws.log"
  fi
  cp "$ws"/shards/*.json "$WORK/artifacts/" 2>/dev/null || true
done
cloned=$(cd "$WORK/jobs" && ls -d audit-*/repos/* | sed 's|.*/||' | sort | tr '\n' ' ')
if [[ $cloned == "billing cluster legacy-admin shop-api web " ]]; then
  pass "the shards clone every listed repository once"
else
  fail "the shards cloned: $cloned"
fi
if [[ $(git -C "$WORK/jobs/audit-0/repos/billing" rev-parse --is-shallow-repository) == true ]]; then
  pass "clones are shallow"
else
  fail "clones are not shallow"
fi
if grep -rqs "$TOKEN" "$WORK"/jobs/audit-*/repos/*/.git/config "$WORK"/jobs/*/shards; then
  fail "the token was written into a clone's config or a shard"
else
  pass "the token is in no clone's config and no shard"
fi

# --- report -------------------------------------------------------------------------
ws=$WORK/jobs/report
mkdir -p "$ws/shards"
cp "$WORK"/artifacts/*.json "$ws/shards/"
if run_job report "$ws" "$(inputs)" "{\"needs\":{\"list\":$needs_list,\"audit\":{\"result\":\"success\"}}}"; then
  pass "the report job runs"
else
  fail "the report job failed"
  cat "$ws.log"
fi
# One run over the same clones, in the same places.
mkdir -p "$WORK/ref/repos"
for name in billing cluster legacy-admin shop-api web; do
  git clone -q --depth 1 "file://$ORG/$name.git" "$WORK/ref/repos/$name"
done
(cd "$WORK/ref" && "$BIN" audit --each-subdir repos --format html -o one.html && "$BIN" audit --each-subdir repos --format markdown -o one.md) 2>/dev/null
for f in html md; do
  if cmp -s "$ws/report/prisma1-lint-audit.$f" "$WORK/ref/one.$f"; then
    pass "the merged $f report is byte-identical to one run over the same repositories"
  else
    fail "the merged $f report differs from one run"
    diff "$ws/report/prisma1-lint-audit.$f" "$WORK/ref/one.$f" | head -20 || true
  fi
done
if grep -q '^# Prisma 1 Cloud migration audit' "$ws.summary.md" && grep -q 'shop-api' "$ws.summary.md"; then
  pass "the job summary holds the Markdown report"
else
  fail "the job summary lacks the report"
fi
# A shard lost (its job failed): the report says so and fails.
rm "$ws"/shards/shard-001.json
if run_job report "$ws" "$(inputs)" "{\"needs\":{\"list\":$needs_list,\"audit\":{\"result\":\"failure\"}}}"; then
  fail "the report job passed with a shard missing"
else
  pass "a missing shard fails the report job"
fi

echo
if [[ $failures -gt 0 ]]; then
  echo "org_audit: $failures check(s) failed"
  exit 1
fi
echo "org_audit: all checks passed"
