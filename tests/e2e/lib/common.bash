# Shared by the end-to-end scripts (sourced, never run on its own):
#   PROJECT  the checkout;  BIN  the prisma1-lint binary (first argument, absolute);
#   TOOLS/VENV  where the real clients are installed once;  WORK  a scratch
#   folder removed on exit;  pass/fail  print a check and count failures.
# Usage, after `set -euo pipefail`:  source "$(dirname "$0")/lib/common.bash" "$@"

PROJECT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
BIN=${1:-$PROJECT/target/debug/prisma1-lint}
case "$BIN" in /*) ;; *) BIN=$PWD/$BIN ;; esac
TOOLS=${TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/prisma1-lint-e2e}
VENV=$TOOLS/venv

require_bin() {
  if [[ ! -x $BIN ]]; then
    echo "FAIL: no executable at $BIN (build first, or pass the binary path)" >&2
    exit 2
  fi
  BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

failures=0
pass() { echo "PASS: $*"; }
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# write_orm_project DIR: a small Prisma ORM 5 project that must come out clean.
write_orm_project() {
  mkdir -p "$1/prisma"
  cat >"$1/prisma/schema.prisma" <<'SCHEMA'
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

generator client {
  provider = "prisma-client-js"
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
}
SCHEMA
  cat >"$1/package.json" <<'PACKAGE'
{
  "name": "app",
  "private": true,
  "scripts": { "generate": "prisma generate" },
  "dependencies": { "@prisma/client": "^5.22.0" },
  "devDependencies": { "prisma": "^5.22.0" }
}
PACKAGE
}
