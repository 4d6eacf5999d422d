'use strict';
// The prebuilt binaries: one npm package per platform, each published with
// the `os`, `cpu` and `libc` fields below so that npm installs only the one
// that fits. Shared by the launcher (bin/prisma1-lint.js) and by
// npm/assemble.js, which builds these packages from release binaries.

const fs = require('fs');

const PLATFORMS = [
  { id: 'linux-x64', os: 'linux', cpu: 'x64', libc: 'glibc', target: 'x86_64-unknown-linux-gnu' },
  { id: 'linux-x64-musl', os: 'linux', cpu: 'x64', libc: 'musl', target: 'x86_64-unknown-linux-musl' },
  { id: 'linux-arm64', os: 'linux', cpu: 'arm64', libc: 'glibc', target: 'aarch64-unknown-linux-gnu' },
  { id: 'linux-arm64-musl', os: 'linux', cpu: 'arm64', libc: 'musl', target: 'aarch64-unknown-linux-musl' },
  { id: 'darwin-x64', os: 'darwin', cpu: 'x64', target: 'x86_64-apple-darwin' },
  { id: 'darwin-arm64', os: 'darwin', cpu: 'arm64', target: 'aarch64-apple-darwin' },
  { id: 'win32-x64', os: 'win32', cpu: 'x64', target: 'x86_64-pc-windows-msvc' },
].map((p) => ({
  ...p,
  name: `@prisma1-lint/${p.id}`,
  exe: p.os === 'win32' ? 'prisma1-lint.exe' : 'prisma1-lint',
}));

// 'glibc' or 'musl' on Linux, null elsewhere.
function detectLibc(platform) {
  if (platform !== 'linux') return null;
  // ldd is a script naming glibc on glibc systems and musl's loader on musl
  // ones: cheaper than a diagnostic report, which can be slow.
  try {
    const ldd = fs.readFileSync('/usr/bin/ldd', 'latin1');
    if (ldd.includes('musl')) return 'musl';
    if (ldd.includes('GLIBC') || ldd.includes('GNU C Library')) return 'glibc';
  } catch (_) {
    // No readable ldd: ask Node.
  }
  try {
    const header = process.report && process.report.getReport().header;
    if (header && header.glibcVersionRuntime) return 'glibc';
  } catch (_) {
    // No diagnostic report (very old Node): look at the dynamic loader.
  }
  try {
    if (fs.readdirSync('/lib').some((f) => f.startsWith('ld-musl-'))) return 'musl';
  } catch (_) {
    // No /lib: assume glibc, the common case.
  }
  return 'glibc';
}

// The packages that can run here, best first. On glibc Linux the musl build
// comes second: it is statically linked, so it runs there too.
function candidates(platform, arch, libc) {
  const fit = PLATFORMS.filter((p) => p.os === platform && p.cpu === arch);
  if (platform !== 'linux') return fit;
  const own = fit.filter((p) => p.libc === libc);
  const musl = libc === 'musl' ? [] : fit.filter((p) => p.libc === 'musl');
  return own.concat(musl);
}

module.exports = { PLATFORMS, detectLibc, candidates };
