#!/usr/bin/env bash
# Prints a hash of everything the prisma1-lint binary is built from (32 hex
# digits). The release workflow publishes it beside the binaries, and the
# Action downloads a release binary only when it was built from the same
# sources as the Action's own checkout.
#
# Usage: action/source-hash.sh [PROJECT_DIR]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi
}
find Cargo.lock Cargo.toml build.rs src rules -type f 2>/dev/null | LC_ALL=C sort |
  while IFS= read -r f; do
    printf '%s %s\n' "$(sha256 <"$f" | cut -d' ' -f1)" "$f"
  done | sha256 | cut -c1-32
