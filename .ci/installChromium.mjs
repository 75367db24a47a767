#!/usr/bin/env node
// Installs the headless browser the HTML report test renders in: Debian's chromium package (/usr/bin/chromium).
// Does nothing when it is there. The test's own set-up runs this (apps/cli/tests/support/chromium.ts), so the
// README's test command and CI's .ci/run get it without a step of their own. Installing needs root and apt-get
// (as on the project's machines and CI); elsewhere it says why it cannot and exits 1, and the test is skipped
// with that message.
// Uses only Node built-ins.
//
// Usage: node .ci/installChromium.mjs            installs (if needed) and prints the browser's path
//        node .ci/installChromium.mjs --check    exits 1, saying what is missing, instead of installing
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
// A font, or the screenshot's text is blank: chromium only recommends one, and --no-install-recommends skips it.
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const PACKAGES = ['chromium', 'fonts-dejavu-core'];

function fail(message) {
  console.error(`installChromium: ${message}`);
  process.exit(1);
}

function run(command, args, what) {
  // apt's progress goes to stderr so that stdout carries only the path.
  const result = spawnSync(command, args, {
    stdio: ['ignore', process.stderr, 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error || result.status !== 0) {
    fail(`${what} failed (${result.error ? result.error.message : `exit code ${result.status}`}).`);
  }
}

function install() {
  if (process.platform !== 'linux') fail(`${CHROMIUM} is missing and this is not Linux: install Chromium by hand.`);
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    fail(`${CHROMIUM} is missing and installing it needs root: run "apt-get install -y chromium" as root.`);
  }
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) {
    fail(`${CHROMIUM} is missing and there is no apt-get: install Chromium with this system's package manager.`);
  }
  console.error(`installChromium: installing Debian's ${PACKAGES.join(' and ')} (once per machine).`);
  run('apt-get', ['update', '-qq'], 'apt-get update');
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...PACKAGES], 'apt-get install');
  if (!existsSync(CHROMIUM)) fail(`apt-get installed chromium but ${CHROMIUM} is still missing.`);
}

if (!existsSync(CHROMIUM) || !existsSync(FONT)) {
  if (process.argv.includes('--check'))
    fail(`${CHROMIUM} or its font is missing: run node .ci/installChromium.mjs (as root).`);
  install();
}
console.log(CHROMIUM);
