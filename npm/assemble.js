#!/usr/bin/env node
'use strict';
// Lays out the npm packages, ready for `npm pack` / `npm publish`:
//
//   node npm/assemble.js launcher OUT_DIR
//       the `prisma1-lint` package (npm/prisma1-lint plus the licenses and README)
//   node npm/assemble.js platform ID BINARY OUT_DIR
//       the platform package ID (linux-x64, darwin-arm64, ...; see
//       npm/prisma1-lint/lib/platforms.js) around a built BINARY
//   node npm/assemble.js check      checks the versions, prints the version
//   node npm/assemble.js targets    prints "ID RUST_TARGET" per platform
//
// Each package goes into OUT_DIR/<folder>; the folder is printed. The version
// is the launcher's, which must equal Cargo.toml's (checked here).

const fs = require('fs');
const path = require('path');
const { PLATFORMS } = require('./prisma1-lint/lib/platforms');

const ROOT = path.resolve(__dirname, '..');
const LAUNCHER = path.join(__dirname, 'prisma1-lint');
const launcherPkg = JSON.parse(fs.readFileSync(path.join(LAUNCHER, 'package.json'), 'utf8'));

function fail(message) {
  process.stderr.write(`assemble: ${message}\n`);
  process.exit(2);
}

function cargoVersion() {
  const toml = fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8');
  const pkg = toml.split(/^\[/m).find((s) => s.startsWith('package]'));
  const m = pkg && pkg.match(/^version\s*=\s*"([^"]+)"/m);
  if (!m) fail('no [package] version in Cargo.toml');
  return m[1];
}

function checkVersions() {
  const version = cargoVersion();
  if (launcherPkg.version !== version) {
    fail(`npm/prisma1-lint/package.json has version ${launcherPkg.version}, Cargo.toml ${version}`);
  }
  const deps = launcherPkg.optionalDependencies || {};
  const names = PLATFORMS.map((p) => p.name).sort();
  if (JSON.stringify(Object.keys(deps).sort()) !== JSON.stringify(names)) {
    fail(`optionalDependencies must be exactly ${names.join(', ')}`);
  }
  for (const [name, v] of Object.entries(deps)) {
    if (v !== version) fail(`optionalDependencies: ${name} is ${v}, expected ${version}`);
  }
  // The pre-commit hook that installs the npm package names its version.
  const hooks = fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8');
  const pinned = [...hooks.matchAll(/"prisma1-lint@([^"]+)"/g)].map((m) => m[1]);
  if (pinned.length === 0 || pinned.some((v) => v !== version)) {
    fail(`.pre-commit-hooks.yaml installs prisma1-lint@${pinned.join(', ')}, expected ${version}`);
  }
  return version;
}

function fresh(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function copyCommon(dir) {
  for (const f of ['LICENSE-MIT', 'LICENSE-APACHE']) {
    fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  }
}

function launcher(out) {
  checkVersions();
  const dir = fresh(path.join(out, 'prisma1-lint'));
  fs.cpSync(LAUNCHER, dir, { recursive: true });
  copyCommon(dir);
  fs.copyFileSync(path.join(ROOT, 'README.md'), path.join(dir, 'README.md'));
  fs.chmodSync(path.join(dir, 'bin', 'prisma1-lint.js'), 0o755);
  return dir;
}

function platform(id, binary, out) {
  const version = checkVersions();
  const p = PLATFORMS.find((x) => x.id === id);
  if (!p) fail(`unknown platform ${id}; one of ${PLATFORMS.map((x) => x.id).join(', ')}`);
  if (!fs.statSync(binary, { throwIfNoEntry: false })?.isFile()) fail(`no binary at ${binary}`);
  const dir = fresh(path.join(out, `prisma1-lint-${id}`));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.copyFileSync(binary, path.join(dir, 'bin', p.exe));
  fs.chmodSync(path.join(dir, 'bin', p.exe), 0o755);
  copyCommon(dir);
  const pkg = {
    name: p.name,
    version,
    description: `The prisma1-lint binary for ${p.os} ${p.cpu}${p.libc ? ` (${p.libc})` : ''} (${p.target})`,
    license: launcherPkg.license,
    repository: launcherPkg.repository,
    homepage: launcherPkg.homepage,
    files: ['bin/', 'LICENSE-MIT', 'LICENSE-APACHE'],
    os: [p.os],
    cpu: [p.cpu],
    ...(p.libc ? { libc: [p.libc] } : {}),
    preferUnplugged: true,
  };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  fs.writeFileSync(
    path.join(dir, 'README.md'),
    `# ${p.name}\n\nThe \`prisma1-lint\` binary for ${p.target}. Install ` +
      '[`prisma1-lint`](https://www.npmjs.com/package/prisma1-lint) instead: it picks this ' +
      'package when it fits the platform.\n',
  );
  return dir;
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'launcher' && args.length === 1) {
  console.log(launcher(path.resolve(args[0])));
} else if (cmd === 'platform' && args.length === 3) {
  console.log(platform(args[0], path.resolve(args[1]), path.resolve(args[2])));
} else if (cmd === 'check' && args.length === 0) {
  console.log(checkVersions());
} else if (cmd === 'targets' && args.length === 0) {
  for (const p of PLATFORMS) console.log(`${p.id} ${p.target}`);
} else {
  fail('usage: assemble.js launcher OUT_DIR | platform ID BINARY OUT_DIR | check | targets');
}
