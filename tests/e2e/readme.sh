#!/usr/bin/env bash
# Runs the README's commands as written:
#   - the first block: `cargo run --release -- check examples/cloud-app` must
#     exit 1 and print what the README shows between the example-output
#     markers (line by line, in order; `...` skips lines, timings may differ),
#     and `cargo test` must be the second command;
#   - "Install", release binary: the block runs as it is, with the GitHub
#     release URL pointed at a loopback server holding the assets built here
#     (tests/e2e/lib/registry.py; the asset is this machine's build under the
#     Linux x64 release name);
#   - "Install", from source: the clone works (from this checkout instead of
#     GitHub) and `cargo install --locked --path .` installs a working binary.
# The npm, pipx and cargo-install commands are run by npm.sh, wheel.sh and
# crate.sh.
#
# Usage: tests/e2e/readme.sh [path/to/prisma1-lint]
#        README_UPDATE=1 tests/e2e/readme.sh   rewrites the README's example
#        output (its first finding, `...`, the last line) from a real run
# Needs cargo, python3, curl, tar, sha256sum.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
source "$(dirname "${BASH_SOURCE[0]}")/lib/dist.bash"
require_bin
cd "$PROJECT"
version=$(node npm/assemble.js check)

# block N: the Nth ```sh block of README.md (1-based).
block() {
  awk -v n="$1" '/^```sh$/ {k++; if (k == n) {on = 1; next}} /^```$/ {on = 0} on' README.md
}
# block_with TEXT: the first ```sh block that contains TEXT.
block_with() {
  awk -v t="$1" '/^```sh$/ {on = 1; b = ""; next} /^```$/ && on {on = 0; if (index(b, t)) {printf "%s", b; exit}} on {b = b $0 "\n"}' README.md
}

# --- The first block ------------------------------------------------------------
first=$(block 1 | sed 's/ *#.*//')
if [[ $first == $'cargo run --release -- check examples/cloud-app\ncargo test' ]]; then
  pass "README starts with 'cargo run --release -- check examples/cloud-app' and 'cargo test'"
else
  fail "README's first block is: $first"
fi
rc=0
cargo run --release -- check examples/cloud-app >"$WORK/example.out" 2>"$WORK/example.err" || rc=$?
if [[ $rc -eq 1 ]]; then pass "cargo run --release -- check examples/cloud-app: exit 1 (findings)"; else
  fail "cargo run --release -- check examples/cloud-app: exit $rc"; tail -n 20 "$WORK/example.err"; fi
if [[ ${README_UPDATE:-} == 1 ]]; then
  python3 - "$WORK/example.out" <<'PY'
import re, sys
out = open(sys.argv[1], encoding="utf-8").read().splitlines()
# The header and a blank line, then the rule id, a blank line and the first finding.
first = 2 if out and out[0].startswith("prisma1-lint ") else 0
end = out.index("", first + 2)
shown = "\n".join(out[:end] + ["..."] + out[-2:]) + "\n"
s = open("README.md", encoding="utf-8").read()
start = s.index("<!-- example-output:start -->\n```text\n") + len("<!-- example-output:start -->\n```text\n")
stop = s.index("```\n<!-- example-output:end -->")
s = s[:start] + shown + s[stop:]
n = sum(1 for line in out if re.fullmatch(r"[a-z0-9-]+", line))
words = "zero one two three four five six seven eight nine ten eleven twelve".split()
s = re.sub(r"the first of its \w+ findings", f"the first of its {words[n] if n < 13 else n} findings", s)
open("README.md", "w", encoding="utf-8").write(s)
PY
  echo "README.md: example output updated"
fi
sed -n '/<!-- example-output:start -->/,/<!-- example-output:end -->/p' README.md |
  sed '1,2d;$d' | sed '$d' >"$WORK/shown"
if python3 - "$WORK/shown" "$WORK/example.out" <<'PY'; then
import re, sys
shown = open(sys.argv[1], encoding="utf-8").read().splitlines()
real = open(sys.argv[2], encoding="utf-8").read().splitlines()
norm = lambda s: re.sub(r" in [0-9.]+m?s$", " in Ts", s.rstrip())
assert len(shown) > 5, "the README shows no output"
i, skipping = 0, False
for line in shown:
    if line == "...":
        skipping = True
        continue
    if skipping:
        while i < len(real) and norm(real[i]) != norm(line):
            i += 1
    if i >= len(real) or norm(real[i]) != norm(line):
        sys.exit(f"README line not in the output where expected: {line!r}")
    i += 1
    skipping = False
assert i == len(real), f"the output goes on after what the README shows: {real[i]!r}"
PY
  pass "the README shows the example's real output"
else
  fail "the README's example output is not what the scan prints"
fi

# --- Install: release binary -------------------------------------------------------
if host_is_linux_x64; then
  build_dist release
  rel=$DIST/release
  asset=prisma1-lint-x86_64-unknown-linux-musl.tar.gz
  serve_registry PORT "v$version/$asset=$rel/prisma1-lint-$HOST_TARGET.tar.gz"
  # The checksum file names the asset it is for.
  sed "s/prisma1-lint-$HOST_TARGET.tar.gz/$asset/" "$rel/prisma1-lint-$HOST_TARGET.tar.gz.sha256" >"$WORK/sum"
  kill "${REGISTRY_PIDS[@]}"
  serve_registry PORT "v$version/$asset=$rel/prisma1-lint-$HOST_TARGET.tar.gz" "v$version/$asset.sha256=$WORK/sum"
  script=$(block_with releases/download | sed "s#https://github.com/prisma1-lint/prisma1-lint/releases/download#http://127.0.0.1:$PORT#g")
  mkdir -p "$WORK/release"
  if [[ -n $script ]] && (cd "$WORK/release" && bash -euo pipefail -c "$script") >"$WORK/release.out" 2>&1 &&
    grep -qx "prisma1-lint $version" "$WORK/release.out"; then
    pass "the release-binary block downloads, verifies, unpacks and runs the binary"
  else
    fail "the release-binary block failed"; head -n 20 "$WORK/release.out"
  fi
else
  echo "SKIP: the release-binary block (assets built here are for Linux x86-64 with glibc)"
fi

# --- Install: from source ------------------------------------------------------------
script=$(block_with 'cargo install --locked --path .')
if [[ $script == *"git clone https://github.com/prisma1-lint/prisma1-lint && cd prisma1-lint"* ]] &&
  (cd "$WORK" && git clone -q "file://$PROJECT" prisma1-lint && test -f prisma1-lint/Cargo.toml); then
  pass "from source: git clone (of this checkout) gives the project"
else
  fail "from source: the clone step is not the expected one or failed"
fi
# In this checkout, which has the release build of the first block: cargo
# install --path reuses its target folder.
rc=0
CARGO_INSTALL_ROOT=$WORK/root cargo install --locked --path . >"$WORK/install.log" 2>&1 || rc=$?
if [[ $rc -eq 0 ]] && [[ $("$WORK/root/bin/prisma1-lint" --version) == "prisma1-lint $version" ]]; then
  pass "from source: cargo install --locked --path . installs a working binary"
else
  fail "from source: cargo install --locked --path . failed (exit $rc)"; tail -n 20 "$WORK/install.log"
fi

echo
if [[ $failures -gt 0 ]]; then
  echo "readme: $failures check(s) failed"
  exit 1
fi
echo "readme: all checks passed"
