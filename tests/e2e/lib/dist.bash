# The release artifacts, built from the binary under test once and shared by
# the install checks (npm.sh, wheel.sh, precommit.sh, action_install.sh):
#   $DIST/npm/*.tgz        the launcher and the platform packages (npm pack)
#   $DIST/wheel/*.whl      the wheel (maturin, from the cargo target the binary is in)
#   $DIST/release/*        release assets as the release workflow names them
# Rebuilt only when the binary changes. Sourced after lib/common.bash.
# Usage: build_dist npm|wheel|release ...

DIST=${E2E_DIST:-$PROJECT/target/e2e-dist}
HOST_TARGET=x86_64-unknown-linux-gnu

# The tools' virtual environment, with PACKAGES (pip names) installed.
tools_venv() {
  local missing=()
  for p in "$@"; do
    "$VENV/bin/pip" show --quiet "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [[ ${#missing[@]} -gt 0 ]]; then
    echo "installing ${missing[*]} into $VENV"
    mkdir -p "$TOOLS"
    [[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "${missing[@]}" >&2
  fi
}

# The checks build for the machine they run on: Linux x86-64 with glibc.
host_is_linux_x64() {
  [[ $(uname -s) == Linux && $(uname -m) == x86_64 ]] || return 1
  local ldd
  ldd=$(ldd --version 2>&1 || true)
  [[ $ldd == *GLIBC* || $ldd == *"GNU libc"* ]]
}

build_dist() {
  local stamp
  stamp=$(sha256sum "$BIN" | cut -d' ' -f1)
  if [[ -f $DIST/stamp && $(cat "$DIST/stamp") != "$stamp" ]]; then rm -rf "$DIST"; fi
  mkdir -p "$DIST"
  echo "$stamp" >"$DIST/stamp"
  local what
  for what in "$@"; do
    if [[ -f $DIST/$what.done ]]; then continue; fi
    "dist_$what"
    touch "$DIST/$what.done"
  done
}

dist_npm() {
  echo "assembling and packing the npm packages from $BIN"
  local pkg=$DIST/npm-src out=$DIST/npm placeholder=$DIST/placeholder id
  rm -rf "$pkg" "$out" && mkdir -p "$pkg" "$out"
  # A stripped copy: the same program, a fraction of the size to pack.
  cp "$BIN" "$DIST/prisma1-lint"
  strip "$DIST/prisma1-lint" 2>/dev/null || true
  node "$PROJECT/npm/assemble.js" launcher "$pkg" >/dev/null
  node "$PROJECT/npm/assemble.js" platform linux-x64 "$DIST/prisma1-lint" "$pkg" >/dev/null
  # The other platforms' packages hold a stand-in that says so: npm must
  # never install them here (their os/cpu/libc do not fit).
  printf '#!/bin/sh\necho "wrong platform package" >&2\nexit 99\n' >"$placeholder"
  for id in linux-x64-musl linux-arm64 linux-arm64-musl darwin-x64 darwin-arm64 win32-x64; do
    node "$PROJECT/npm/assemble.js" platform "$id" "$placeholder" "$pkg" >/dev/null
  done
  (cd "$out" && for d in "$pkg"/*/; do npm pack --silent "$d" >/dev/null; done)
}

dist_wheel() {
  tools_venv maturin
  echo "building the wheel with maturin (dev profile, the cargo target of $BIN)"
  rm -rf "$DIST/wheel"
  # BIN is TARGET/debug/prisma1-lint: the same target and profile, so cargo
  # finds everything built and maturin only packs (stored: the debug binary
  # is large, and this wheel is only installed here).
  (cd "$PROJECT" && CARGO_TARGET_DIR=$(dirname "$(dirname "$BIN")") \
    "$VENV/bin/maturin" build --locked --profile dev --compression-method stored \
    --out "$DIST/wheel" --quiet) >&2
}

dist_release() {
  echo "laying out release assets for $HOST_TARGET"
  local rel=$DIST/release stage
  rm -rf "$rel" && mkdir -p "$rel"
  stage=$(mktemp -d)
  cp "$BIN" "$stage/prisma1-lint"
  strip "$stage/prisma1-lint" 2>/dev/null || true
  cp "$PROJECT/LICENSE-MIT" "$PROJECT/LICENSE-APACHE" "$stage/"
  tar -C "$stage" -czf "$rel/prisma1-lint-$HOST_TARGET.tar.gz" prisma1-lint LICENSE-MIT LICENSE-APACHE
  rm -rf "$stage"
  (cd "$rel" && sha256sum "prisma1-lint-$HOST_TARGET.tar.gz" >"prisma1-lint-$HOST_TARGET.tar.gz.sha256")
  bash "$PROJECT/action/source-hash.sh" "$PROJECT" >"$rel/prisma1-lint-source.sha256"
}

# serve_registry PORT_VAR FILE...: starts tests/e2e/lib/registry.py on
# loopback with FILEs; sets PORT_VAR; the server stops when the script exits.
serve_registry() {
  local var=$1 root=$WORK/registry.$RANDOM
  shift
  python3 "$PROJECT/tests/e2e/lib/registry.py" "$root" "$root.port" "$@" &
  REGISTRY_PIDS+=("$!")
  trap 'kill "${REGISTRY_PIDS[@]}" 2>/dev/null; rm -rf "$WORK"' EXIT
  local i
  for i in $(seq 100); do
    [[ -s $root.port ]] && break
    sleep 0.1
  done
  [[ -s $root.port ]] || { echo "FAIL: the loopback registry did not start" >&2; exit 2; }
  printf -v "$var" '%s' "$(cat "$root.port")"
}
REGISTRY_PIDS=()
