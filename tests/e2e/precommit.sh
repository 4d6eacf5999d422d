#!/usr/bin/env bash
# End-to-end check of the pre-commit hooks (.pre-commit-hooks.yaml) with
# `pre-commit try-repo` against a throwaway repository:
#   - prisma1-lint-system (the binary under test on PATH): a staged Cloud
#     endpoint fails the hook and names cloud-endpoint; only the files passed
#     are reported; a clean Prisma ORM change passes;
#   - prisma1-lint-node (language: node): pre-commit installs the npm
#     package, served with the packed local builds from a loopback registry
#     (tests/e2e/lib/registry.py) since it is not fetched from npm here;
#     the same two checks, without the binary under test on PATH;
#   - prisma1-lint (language: rust): pre-commit builds the hook with
#     `cargo install` from this checkout, then the same two checks. The
#     first build takes a few minutes and needs crates.io; set
#     E2E_SKIP_RUST_HOOK=1 to skip it.
#
# Usage: tests/e2e/precommit.sh [path/to/prisma1-lint]
# Needs python3, git and (for the rust hook) cargo; installs pre-commit into
# a virtual environment under $TOOLS when it is missing.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
source "$(dirname "${BASH_SOURCE[0]}")/lib/dist.bash"
require_bin

if [[ ! -x $VENV/bin/pre-commit ]]; then
  echo "installing pre-commit into $VENV"
  mkdir -p "$TOOLS"
  [[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check pre-commit >&2
fi
PRE_COMMIT=$VENV/bin/pre-commit
export PRE_COMMIT_HOME=$TOOLS/pre-commit-home
export PRE_COMMIT_COLOR=never
# try-repo reads the hooks from a commit of this checkout (a shadow commit
# when the working tree has changes).
if ! git -C "$PROJECT" rev-parse --verify --quiet HEAD >/dev/null; then
  echo "FAIL: $PROJECT is not a git repository with commits" >&2
  exit 2
fi

git_() { git -c user.name=e2e -c user.email=e2e@example.com -c init.defaultBranch=main -c commit.gpgsign=false "$@"; }

# A repository with history: a committed legacy service using the Cloud.
REPO=$WORK/repo
mkdir -p "$REPO/legacy"
git_ -C "$REPO" init -q
cat >"$REPO/legacy/prisma.yml" <<'EOF'
endpoint: https://eu1.prisma.sh/jane-doe/legacy/dev
datamodel: datamodel.prisma
EOF
echo "# app" >"$REPO/README.md"
git_ -C "$REPO" add -A
git_ -C "$REPO" commit -qm base

# hook ID FILE...: runs the hook through try-repo on FILEs, with the binary
# under test first on PATH; output in $WORK/hook.out, returns the status.
hook() {
  local id=$1 path=$(dirname "$BIN"):$PATH
  shift
  # The node hook must run its own install, never a binary on PATH.
  if [[ $id == prisma1-lint-node ]]; then path=$PATH; fi
  (cd "$REPO" && PATH=$path \
    "$PRE_COMMIT" try-repo "$PROJECT" "$id" --verbose --files "$@") >"$WORK/hook.out" 2>&1
}

# scenario ID: the two staged changes, checked with hook ID.
scenario() {
  local id=$1 rc

  # A staged file with a Cloud endpoint.
  mkdir -p "$REPO/src"
  echo "export const uri = 'https://us1.prisma.sh/jane-doe/new-service/prod';" >"$REPO/src/client.js"
  git -C "$REPO" add src/client.js
  rc=0
  hook "$id" src/client.js || rc=$?
  if [[ $rc -ne 0 ]]; then pass "$id: a staged Cloud endpoint fails the hook (exit $rc)"; else
    fail "$id: a staged Cloud endpoint passed the hook"; fi
  if grep -q 'cloud-endpoint' "$WORK/hook.out" && grep -q 'src/client.js' "$WORK/hook.out"; then
    pass "$id: the output names cloud-endpoint in src/client.js"
  else
    fail "$id: the output does not name cloud-endpoint in src/client.js"
    head -n 40 "$WORK/hook.out"
  fi
  if grep -q 'legacy/prisma.yml' "$WORK/hook.out"; then
    fail "$id: a file that was not passed (legacy/prisma.yml) is reported"
  else
    pass "$id: only the files passed are reported"
  fi
  git -C "$REPO" rm -q --cached src/client.js
  rm -f "$REPO/src/client.js"

  # A staged clean change: Prisma ORM schema and package.json.
  write_orm_project "$REPO"
  git -C "$REPO" add prisma/schema.prisma package.json
  rc=0
  hook "$id" prisma/schema.prisma package.json || rc=$?
  if [[ $rc -eq 0 ]] && grep -q 'Passed' "$WORK/hook.out"; then
    pass "$id: a clean Prisma ORM change passes"
  else
    fail "$id: a clean Prisma ORM change does not pass (exit $rc)"
    head -n 40 "$WORK/hook.out"
  fi
  git -C "$REPO" rm -q --cached prisma/schema.prisma package.json
  rm -rf "$REPO/prisma" "$REPO/package.json"
}

scenario prisma1-lint-system

if ! host_is_linux_x64 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP: prisma1-lint-node needs npm and the linux-x64 package (Linux x86-64, glibc)"
else
  build_dist npm
  serve_registry PORT "$DIST"/npm/*.tgz
  (
    export npm_config_registry=http://127.0.0.1:$PORT/npm/ npm_config_cache=$WORK/npm-cache
    export npm_config_fetch_retries=0 npm_config_audit=false npm_config_fund=false
    scenario prisma1-lint-node
  )
  if grep -q 'Installing environment' "$WORK/hook.out"; then
    pass "prisma1-lint-node: pre-commit installed the npm package"
  else
    fail "prisma1-lint-node: pre-commit did not install an environment"
    head -n 20 "$WORK/hook.out"
  fi
  # pre-commit before 4.6.1 installs a node hook only from a repository with
  # a package.json at its root (the root package.json is there for it).
  OLD_VENV=$TOOLS/venv-pre-commit-3
  if [[ ! -x $OLD_VENV/bin/pre-commit ]]; then
    echo "installing pre-commit 3.6.2 into $OLD_VENV"
    python3 -m venv "$OLD_VENV"
    "$OLD_VENV/bin/pip" install --quiet --disable-pip-version-check 'pre-commit==3.6.2' >&2
  fi
  (
    export npm_config_registry=http://127.0.0.1:$PORT/npm/ npm_config_cache=$WORK/npm-cache
    export npm_config_fetch_retries=0 npm_config_audit=false npm_config_fund=false
    export PRE_COMMIT=$OLD_VENV/bin/pre-commit PRE_COMMIT_HOME=$TOOLS/pre-commit-3-home
    scenario prisma1-lint-node
  ) | sed 's/^\(PASS\|FAIL\): prisma1-lint-node/\1: prisma1-lint-node (pre-commit 3.6.2)/' | tee "$WORK/old.out"
  if grep -q '^FAIL' "$WORK/old.out"; then failures=$((failures + 1)); fi
fi

if [[ ${E2E_SKIP_RUST_HOOK:-} == 1 ]]; then
  echo "SKIP: prisma1-lint (language: rust), E2E_SKIP_RUST_HOOK=1"
elif ! command -v cargo >/dev/null 2>&1; then
  fail "prisma1-lint (language: rust) needs cargo on PATH"
else
  echo "building the prisma1-lint hook with cargo install (slow the first time)"
  # try-repo installs hooks in a throwaway store, so each call builds again.
  # The checkout's own target folder is shared: the hook is the `release`
  # profile a user's `cargo install` builds, so its dependencies are built
  # once for it, the README's `cargo run --release` (readme.sh) and the
  # benchmark smoke, and only the two workspace crates build again for each
  # (they sit at another path in pre-commit's copy).
  export CARGO_TARGET_DIR=${E2E_HOOK_TARGET_DIR:-$PROJECT/target}
  scenario prisma1-lint
  # The rust hook must have been built by pre-commit, not taken from PATH.
  if grep -q 'Installing environment' "$WORK/hook.out"; then
    pass "prisma1-lint: pre-commit built the hook with cargo"
  else
    fail "prisma1-lint: pre-commit did not build the hook"
    head -n 20 "$WORK/hook.out"
  fi
fi

echo
if [[ $failures -gt 0 ]]; then
  echo "precommit: $failures check(s) failed"
  exit 1
fi
echo "precommit: all checks passed"
