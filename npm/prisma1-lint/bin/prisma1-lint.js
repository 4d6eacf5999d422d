#!/usr/bin/env node
'use strict';
// Runs the prebuilt prisma1-lint binary from the platform package that npm
// installed as an optional dependency, passing arguments, standard streams,
// the exit code and signals through. PRISMA1_LINT_BINARY runs another binary
// instead (a local build, say).

const { spawn } = require('child_process');
const os = require('os');
const path = require('path');
const { candidates, detectLibc } = require('../lib/platforms');
const { version } = require('../package.json');

// Exit status for "could not run the binary", as for a usage error.
const CANNOT_RUN = 2;

function die(message) {
  process.stderr.write(`prisma1-lint: ${message}\n`);
  process.exit(CANNOT_RUN);
}

function resolveBinary() {
  if (process.env.PRISMA1_LINT_BINARY) return process.env.PRISMA1_LINT_BINARY;
  const libc = detectLibc(process.platform);
  const where = `${process.platform}-${process.arch}${libc ? ` (${libc})` : ''}`;
  const fit = candidates(process.platform, process.arch, libc);
  if (fit.length === 0) {
    die(
      `no prebuilt binary for ${where}. Install it with Rust instead: ` +
        'cargo install --locked prisma1-lint',
    );
  }
  for (const pkg of fit) {
    try {
      return require.resolve(`${pkg.name}/bin/${pkg.exe}`);
    } catch (_) {
      // Not installed: try the next one.
    }
  }
  const wanted = fit[0].name;
  return die(
    `the package ${wanted}, which holds the binary for ${where}, is not installed. ` +
      'npm installs it with prisma1-lint as an optional dependency; it is missing when ' +
      'optional dependencies were omitted (--omit=optional, --no-optional) or the lockfile ' +
      `was made on another platform. Reinstall, or run: npm install ${wanted}@${version}`,
  );
}

const binary = resolveBinary();
const child = spawn(binary, process.argv.slice(2), { stdio: 'inherit' });

// Signals sent to this process (kill, a CI runner stopping the job) go on to
// the binary; this process exits once the binary has.
const forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'].filter(
  (s) => process.platform !== 'win32' || s === 'SIGINT',
);
const handlers = forwarded.map((signal) => {
  const handler = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on(signal, handler);
  return [signal, handler];
});

child.on('error', (err) => {
  die(`cannot run ${path.basename(binary)} (${binary}): ${err.message}`);
});

child.on('exit', (code, signal) => {
  if (signal) {
    // Die of the same signal, so the caller sees what the binary saw.
    for (const [s, h] of handlers) process.removeListener(s, h);
    process.kill(process.pid, signal);
    // Still alive (a signal Node cannot re-raise): the shell convention.
    process.exit(128 + (os.constants.signals[signal] || 0));
  }
  process.exit(code === null ? CANNOT_RUN : code);
});
