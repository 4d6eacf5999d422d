#!/usr/bin/env bash
# End-to-end check of `prisma1-lint fix`: every CI file a fix edits must still
# be valid for its CI system, judged by the systems' published schemas
# (check-jsonschema's vendored GitHub workflow, GitLab CI, CircleCI, Travis,
# Bitbucket and Azure Pipelines schemas), not only by our YAML parser.
#
# Usage: tests/e2e/fix.sh [path/to/prisma1-lint]
# Needs python3; installs check-jsonschema into a virtual environment under
# $TOOLS when it is missing (shared with schema.sh).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
require_bin

if [[ ! -x $VENV/bin/check-jsonschema ]]; then
  echo "installing check-jsonschema into $VENV"
  mkdir -p "$TOOLS"
  [[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check check-jsonschema >&2
fi
CHECK_JSONSCHEMA=$VENV/bin/check-jsonschema
# Python regexes: the vendored Azure schema has escapes the default engine rejects.
valid() { "$CHECK_JSONSCHEMA" --regex-variant python --builtin-schema "$1" "$2" >"$WORK/out" 2>&1; }

# schema_of FILE: the vendored schema that judges a CI file, or nothing.
schema_of() {
  case "$1" in
    .github/workflows/*) echo vendor.github-workflows ;;
    .gitlab-ci.yml) echo vendor.gitlab-ci ;;
    .circleci/config.yml) echo vendor.circle-ci ;;
    .travis.yml) echo vendor.travis ;;
    bitbucket-pipelines.yml) echo vendor.bitbucket-pipelines ;;
    azure-pipelines.yml) echo vendor.azure-pipelines ;;
  esac
}

for fixture in ci-secret login pin rename; do
  repo=$WORK/$fixture
  cp -R "$PROJECT/tests/fixtures/fix/$fixture" "$repo"
  (cd "$repo" && find . -type f | sed 's|^\./||' | sort) >"$WORK/$fixture.files"
  "$BIN" fix --unsafe "$repo" >"$WORK/$fixture.out" 2>&1 || true
  if ! grep -q '^Fixed ' "$WORK/$fixture.out"; then
    fail "$fixture: fix changed nothing"
    cat "$WORK/$fixture.out"
    continue
  fi
  while read -r file; do
    schema=$(schema_of "$file")
    [[ -n $schema ]] || continue
    original=$PROJECT/tests/fixtures/fix/$fixture/$file
    if cmp -s "$original" "$repo/$file"; then
      continue
    fi
    # Valid before the fix, or the check below would prove nothing.
    if ! valid "$schema" "$original"; then
      fail "$fixture: $file is not valid ($schema) even before the fix"
      cat "$WORK/out"
      continue
    fi
    if valid "$schema" "$repo/$file"; then
      pass "$fixture: fixed $file is valid ($schema)"
    else
      fail "$fixture: fixed $file is not valid ($schema)"
      cat "$WORK/out"
      diff -u "$PROJECT/tests/fixtures/fix/$fixture/$file" "$repo/$file" || true
    fi
  done <"$WORK/$fixture.files"
done

echo
if [[ $failures -gt 0 ]]; then
  echo "fix: $failures check(s) failed"
  exit 1
fi
echo "fix: all checks passed"
