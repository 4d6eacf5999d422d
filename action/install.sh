#!/usr/bin/env bash
# The Action's install step: puts prisma1-lint into $INSTALL_ROOT/bin.
#
# 1. Downloads the release binary for this runner (OS and architecture) from
#    $DOWNLOAD_URL/v<version>/, when that release was built from the same
#    sources as the Action, and verifies it: its SHA-256 must match the
#    published one (any mismatch, or a missing checksum, stops here: exit 2),
#    and `gh attestation verify` must not reject it. When its verdict cannot
#    be had (no gh or token, the network, after three tries) the checksum
#    alone stands, with a warning, or, with REQUIRE_ATTESTATION=true, the
#    install stops.
# 2. Otherwise (no release, no asset for this runner, other sources), builds
#    it with cargo from the Action's own folder, with RUSTUP_TOOLCHAIN pinned,
#    so nothing in the scanned repository (rust-toolchain.toml,
#    .cargo/config.toml) can choose the compiler or its settings.
#
# Environment: INSTALL_ROOT, ACTION_PATH, SOURCE_HASH (action/source-hash.sh),
# INSTALL_MODE (auto | download | build), DOWNLOAD_URL, ACTION_REPOSITORY
# (owner/name, for attestations), RUST_TOOLCHAIN, RUNNER_OS, RUNNER_ARCH,
# GH_TOKEN (optional), REQUIRE_ATTESTATION (true | false), RUNNER_TEMP.
set -euo pipefail

say() { printf 'prisma1-lint install: %s\n' "$*"; }
error() {
  printf '::error title=prisma1-lint install::%s\n' "$*"
  exit 2
}

bin_dir=$INSTALL_ROOT/bin
exe=prisma1-lint
if [[ ${RUNNER_OS:-} == Windows ]]; then exe=prisma1-lint.exe; fi
if [[ -x $bin_dir/$exe ]]; then
  say "already installed in $INSTALL_ROOT"
  exit 0
fi

mode=${INSTALL_MODE:-auto}
case "$mode" in
  auto | download | build) ;;
  *) error "install must be auto, download or build, not '$mode'" ;;
esac

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$@"; else shasum -a 256 "$@"; fi
}

# The release target for this runner; Linux gets the static musl build,
# which also runs in job containers without glibc.
target=
case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
esac

# download: prints why it did not install, returns 1; exits 2 on a bad asset.
download() {
  if [[ -z $target ]]; then
    echo "no release binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}"
    return 1
  fi
  if [[ -z ${DOWNLOAD_URL:-} ]]; then
    echo "no download URL (a local action without releases)"
    return 1
  fi
  local version tag base archive tmp published expected actual
  version=$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$ACTION_PATH/Cargo.toml" | head -n 1)
  [[ -n $version ]] || error "no version in $ACTION_PATH/Cargo.toml"
  tag=v$version
  base=${DOWNLOAD_URL%/}/$tag
  archive=prisma1-lint-$target.tar.gz
  if [[ $target == *windows* ]]; then archive=prisma1-lint-$target.zip; fi
  tmp=$(mktemp -d "${RUNNER_TEMP:-/tmp}/prisma1-lint-install.XXXXXX")
  fetch() { curl --fail --silent --show-error --location --retry 3 --connect-timeout 10 -o "$2" "$1" 2>/dev/null; }

  # Same sources, or this is not the binary the Action's code expects (a
  # branch or commit ahead of the release, say).
  if ! fetch "$base/prisma1-lint-source.sha256" "$tmp/source"; then
    echo "no release $tag at $DOWNLOAD_URL"
    return 1
  fi
  published=$(tr -d '[:space:]' <"$tmp/source")
  if [[ $published != "$SOURCE_HASH" ]]; then
    echo "release $tag was built from other sources than this Action ($published, here $SOURCE_HASH)"
    return 1
  fi
  if ! fetch "$base/$archive" "$tmp/$archive"; then
    echo "release $tag has no $archive"
    return 1
  fi
  # From here on, a problem is a bad release, never a reason to build.
  fetch "$base/$archive.sha256" "$tmp/sum" || error "release $tag has $archive but no $archive.sha256"
  expected=$(cut -d' ' -f1 <"$tmp/sum" | tr -d '[:space:]' | tr 'A-F' 'a-f')
  actual=$(sha256 "$tmp/$archive" | cut -d' ' -f1)
  [[ $expected =~ ^[0-9a-f]{64}$ ]] || error "$archive.sha256 holds no SHA-256"
  if [[ $actual != "$expected" ]]; then
    error "checksum mismatch for $archive: expected $expected, got $actual; not installing it"
  fi
  say "$archive: SHA-256 $actual verified"
  provenance "$tmp/$archive"
  mkdir -p "$tmp/x" "$bin_dir" || error "cannot create $bin_dir"
  if [[ $archive == *.zip ]]; then
    # Windows runners: Git Bash may lack unzip; 7-Zip and PowerShell are there.
    if command -v unzip >/dev/null 2>&1; then
      (cd "$tmp/x" && unzip -q "../$archive") || error "cannot unpack $archive"
    elif command -v 7z >/dev/null 2>&1; then
      (cd "$tmp/x" && 7z x -y "../$archive" >/dev/null) || error "cannot unpack $archive"
    else
      (cd "$tmp/x" && pwsh -NoProfile -Command "Expand-Archive -LiteralPath '../$archive' -DestinationPath ." ) ||
        error "cannot unpack $archive"
    fi
  else
    tar -xzf "$tmp/$archive" -C "$tmp/x" || error "cannot unpack $archive"
  fi
  [[ -f $tmp/x/$exe ]] || error "$archive has no $exe"
  # Errors are checked by hand: `set -e` is off in a function called from `if`.
  if ! { mv "$tmp/x/$exe" "$bin_dir/$exe" && chmod +x "$bin_dir/$exe"; }; then
    error "cannot install into $bin_dir"
  fi
  rm -rf "$tmp"
  say "installed the release binary $tag ($target)"
}

# provenance FILE: checks the build provenance of FILE with `gh attestation
# verify`. A verdict against it stops here (exit 2). When it cannot be had
# (no gh, no token, the network), it is tried three times, then the install
# goes on with the checksum alone and a warning, or stops when
# REQUIRE_ATTESTATION is true. An error that is not clearly the network's
# counts as a verdict: the check fails closed.
provenance() {
  local file=$1 name out attempt
  name=$(basename "$file")
  if ! command -v gh >/dev/null 2>&1 || [[ -z ${GH_TOKEN:-} || -z ${ACTION_REPOSITORY:-} ]]; then
    unverified "$name" "gh or a token is missing"
    return 0
  fi
  for attempt in 1 2 3; do
    if out=$(gh attestation verify "$file" --repo "$ACTION_REPOSITORY" 2>&1); then
      say "$name: build provenance verified (gh attestation verify)"
      return 0
    fi
    if ! could_not_verify "$out"; then
      printf '%s\n' "$out" | tail -n 5
      error "gh attestation verify rejected $name: its build provenance does not match $ACTION_REPOSITORY; not installing it"
    fi
    say "gh attestation verify could not reach GitHub (attempt $attempt of 3): $(printf '%s' "$out" | tail -n 1)"
    if [[ $attempt -lt 3 ]]; then sleep "$attempt"; fi
  done
  unverified "$name" "gh attestation verify could not reach GitHub"
}

# could_not_verify OUTPUT: true when gh failed for a reason that says nothing
# about the file (network, rate limit, server error).
could_not_verify() {
  grep -qiE 'dial tcp|no such host|connection (refused|reset)|i/o timeout|timed? ?out|TLS handshake|network is unreachable|temporary failure|could not resolve|unexpected EOF|HTTP (429|5[0-9][0-9])|rate limit|server error' <<<"$1"
}

# unverified NAME REASON: the checksum alone, with a warning, unless
# attestation is required.
unverified() {
  if [[ ${REQUIRE_ATTESTATION:-false} == true ]]; then
    error "cannot verify the build provenance of $1 ($2), and require-attestation is true; not installing it"
  fi
  printf '::warning title=prisma1-lint install::%s\n' "$2: the build provenance of $1 was not verified; installed on its verified SHA-256 alone (set require-attestation: true to refuse instead)"
}

why=
if [[ $mode != build ]]; then
  if why=$(download); then
    printf '%s\n' "$why"
    exit 0
  else
    rc=$?
    # exit 2 from inside: a bad release asset; the message is in $why.
    printf '%s\n' "$why"
    if [[ $rc -eq 2 ]]; then exit 2; fi
  fi
  if [[ $mode == download ]]; then error "cannot download prisma1-lint: ${why##*$'\n'}"; fi
  say "${why##*$'\n'}; building from source instead"
fi

if ! command -v cargo >/dev/null 2>&1; then
  error "cargo is not on PATH, and building from source needs it (install a Rust toolchain, for example with rustup, before this step)"
fi
# From the Action's folder, never the workspace; the toolchain is pinned.
cd "$ACTION_PATH"
RUSTUP_TOOLCHAIN=${RUST_TOOLCHAIN:-stable} cargo install --locked --path . --root "$INSTALL_ROOT"
