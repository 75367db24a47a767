#!/usr/bin/env node
// Installs the Trino server that runs the Athena named queries in the tests (Athena engine v3 is Trino):
// trino-server-core and the trino-hive plugin, from Maven Central, into a cache outside the clone
// (~/.cache/cryptominer-defense/trino-<version>/, or $CRYPTOMINER_DEFENSE_CACHE/trino-<version>/), so every
// clone and CI run on the machine reuses one download (~450 MB). Does nothing when that version is installed.
// Also finds a Java 24+ runtime (Trino 476 requires it) and records it in install.json for the test harness.
// Uses only Node built-ins (and tar, and python3's zipfile module, which the emulator already requires).
//
// Usage: node .ci/installTrino.mjs            installs (if needed) and prints the install directory
//        node .ci/installTrino.mjs --check    exits 1, saying what is missing, instead of installing
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const TRINO_VERSION = '476';
const MINIMUM_JAVA = 24;
// The repository Maven itself downloads from (its "central").
const MAVEN_CENTRAL = 'https://repo.maven.apache.org/maven2';
// Pinned: Maven Central publishes SHA-1 (and MD5) only for these artifacts.
const ARTIFACTS = [
  { artifactId: 'trino-server-core', extension: 'tar.gz', sha1: '6bae2db438f8e6a2a8d9c8b566bb5e5b05870138' },
  { artifactId: 'trino-hive', extension: 'zip', sha1: '7b2a4b6468ebf92b47cf096d43c4133eea88ae20' },
];

function cacheRoot() {
  if (process.env.CRYPTOMINER_DEFENSE_CACHE) return process.env.CRYPTOMINER_DEFENSE_CACHE;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'cryptominer-defense');
}

function trinoInstallDir() {
  return join(cacheRoot(), `trino-${TRINO_VERSION}`);
}

function fail(message) {
  console.error(`installTrino: ${message}`);
  process.exit(1);
}

function run(command, args, what) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.error || result.status !== 0) {
    fail(`${what} failed (${result.error ? result.error.message : `exit code ${result.status}`}).`);
  }
}

function javaMajorVersion(javaBinary) {
  const probe = spawnSync(javaBinary, ['-XshowSettings:properties', '-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return null;
  const match = /java\.specification\.version = (\d+)/.exec(probe.stderr);
  return match ? Number(match[1]) : null;
}

/** TRINO_JAVA_HOME, then JAVA_HOME, then the JDKs in /usr/lib/jvm and /opt/java, then `java` on the PATH. */
function findJava() {
  const homes = [process.env.TRINO_JAVA_HOME, process.env.JAVA_HOME].filter(Boolean);
  for (const directory of ['/usr/lib/jvm', '/opt/java']) {
    if (existsSync(directory)) homes.push(...readdirSync(directory).map((name) => join(directory, name)));
  }
  const candidates = [...homes.map((home) => join(home, 'bin', 'java')), 'java'];
  const seen = [];
  for (const candidate of candidates) {
    if (candidate !== 'java' && !existsSync(candidate)) continue;
    const major = javaMajorVersion(candidate);
    if (major === null) continue;
    seen.push(`${candidate} (${major})`);
    if (major >= MINIMUM_JAVA) return { java: candidate, major };
  }
  fail(
    `Trino ${TRINO_VERSION} needs Java ${MINIMUM_JAVA} or later; found ${seen.length === 0 ? 'no Java' : seen.join(', ')}. ` +
      'Install a JDK 24+ (e.g. Temurin 25: https://adoptium.net, or apt-get install temurin-25-jdk from ' +
      'packages.adoptium.net) and point TRINO_JAVA_HOME at it, then run this command again.',
  );
}

async function download(url, file, sha1) {
  const response = await fetch(url);
  if (!response.ok || response.body === null) {
    fail(`downloading ${url} answered HTTP ${response.status}. Check this machine can reach Maven Central.`);
  }
  const hash = createHash('sha1');
  const body = Readable.fromWeb(response.body);
  body.on('data', (chunk) => hash.update(chunk));
  await pipeline(body, createWriteStream(file));
  const actual = hash.digest('hex');
  if (actual !== sha1) fail(`${url} has SHA-1 ${actual}, not the pinned ${sha1}: not installed.`);
}

function readInstall(directory) {
  try {
    const install = JSON.parse(readFileSync(join(directory, 'install.json'), 'utf8'));
    return install.version === TRINO_VERSION && existsSync(install.java) ? install : null;
  } catch {
    return null;
  }
}

async function install() {
  const target = trinoInstallDir();
  const installed = readInstall(target);
  if (installed) return { directory: target, downloaded: false };
  const { java, major } = findJava();
  mkdirSync(cacheRoot(), { recursive: true });
  // Built beside the target and renamed into place at the end: a run interrupted half-way, or a second clone
  // installing at the same moment, never leaves a half-installed directory behind the name.
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    for (const { artifactId, extension, sha1 } of ARTIFACTS) {
      const name = `${artifactId}-${TRINO_VERSION}.${extension}`;
      const url = `${MAVEN_CENTRAL}/io/trino/${artifactId}/${TRINO_VERSION}/${name}`;
      console.error(`installTrino: downloading ${url}`);
      await download(url, join(partial, name), sha1);
    }
    // Server: <dir>/server/{lib,bin,...}. Plugins: only Hive, in <dir>/plugin/hive (the others are not needed
    // and slow the start).
    run('tar', ['-xzf', join(partial, `trino-server-core-${TRINO_VERSION}.tar.gz`), '-C', partial], 'tar');
    renameSync(join(partial, `trino-server-core-${TRINO_VERSION}`), join(partial, 'server'));
    mkdirSync(join(partial, 'plugin'));
    const zip = join(partial, `trino-hive-${TRINO_VERSION}.zip`);
    run('python3', ['-m', 'zipfile', '-e', zip, join(partial, 'plugin')], 'unzipping the Hive plugin');
    renameSync(join(partial, 'plugin', `trino-hive-${TRINO_VERSION}`), join(partial, 'plugin', 'hive'));
    for (const { artifactId, extension } of ARTIFACTS)
      rmSync(join(partial, `${artifactId}-${TRINO_VERSION}.${extension}`));
    writeFileSync(
      join(partial, 'install.json'),
      `${JSON.stringify({ version: TRINO_VERSION, java, javaMajorVersion: major }, null, 2)}\n`,
    );
    if (readInstall(target)) return { directory: target, downloaded: true };
    rmSync(target, { recursive: true, force: true });
    renameSync(partial, target);
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return { directory: target, downloaded: true };
}

if (process.argv.includes('--check')) {
  const target = trinoInstallDir();
  if (!readInstall(target)) {
    fail(`Trino ${TRINO_VERSION} is not installed in ${target}: run \`node .ci/installTrino.mjs\`.`);
  }
  console.log(target);
} else {
  const started = Date.now();
  const { directory, downloaded } = await install();
  if (downloaded)
    console.error(`installTrino: Trino ${TRINO_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s.`);
  console.log(directory);
}
