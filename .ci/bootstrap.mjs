#!/usr/bin/env node
// Brings a fresh clone to the point where the tests and the demo can run, and does nothing
// when that is already so: node modules from the lockfile, and a project-local Python
// virtualenv (.venv) holding the pinned emulator (moto) and cfn-lint.
// Uses only Node built-ins: it runs before node_modules exist.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.venv');
const requirements = join(root, '.ci', 'python-requirements.txt');
const venvStamp = join(venv, '.requirements.sha256');

function run(command, args, what) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error || result.status !== 0) {
    const reason = result.error ? result.error.message : `exit code ${result.status}`;
    console.error(`bootstrap: ${what} failed (${reason}).`);
    process.exit(1);
  }
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function installNodeModules() {
  // pnpm install is quick when nothing changed, and it is the only reliable judge of that.
  const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
  const pnpm = process.env.npm_execpath;
  const args = ['install', '--reporter=append-only', ...frozen];
  if (pnpm && /pnpm/.test(pnpm)) {
    // pnpm 12 ships as a native executable; older releases as a JavaScript file run by node.
    if (/\.[cm]?js$/.test(pnpm)) run(process.execPath, [pnpm, ...args], 'pnpm install');
    else run(pnpm, args, 'pnpm install');
  } else {
    run('npx', ['-y', 'pnpm@12.4.2', ...args], 'pnpm install');
  }
}

function findPython() {
  for (const candidate of ['python3', 'python']) {
    const probe = spawnSync(candidate, ['-c', 'import sys, venv; print(sys.version_info >= (3, 9))'], {
      encoding: 'utf8',
    });
    if (probe.status === 0 && probe.stdout.trim() === 'True') return candidate;
  }
  console.error(
    'bootstrap: Python 3.9+ with the venv module is required for the local AWS emulator (moto) and cfn-lint.\n' +
      'Install it (Debian/Ubuntu: apt-get install python3 python3-venv), then run this command again.',
  );
  process.exit(1);
}

function installPythonTools() {
  const wanted = sha256(requirements);
  if (existsSync(venvStamp) && readFileSync(venvStamp, 'utf8').trim() === wanted) return;
  const python = findPython();
  const venvPython = join(venv, 'bin', 'python');
  if (!existsSync(venvPython)) run(python, ['-m', 'venv', venv], 'creating the Python virtualenv .venv');
  run(
    venvPython,
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements],
    'pip install',
  );
  writeFileSync(venvStamp, `${wanted}\n`);
}

installNodeModules();
installPythonTools();
