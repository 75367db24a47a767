import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EmulatorNotInstalledError, PythonMissingError } from '../errors';
import { findRepoRoot } from './findRepoRoot';

/** Where the emulator's executables live in the project-local virtualenv. */
export interface MotoServerLocation {
  readonly repoRoot: string;
  readonly python: string;
  readonly motoServer: string;
}

const INSTALL_HINT =
  'run `npx -y pnpm@12.4.2 bootstrap` (or `npx -y pnpm@12.4.2 test`), which creates .venv with the pinned moto';
const PYTHON_HINT =
  'Install Python 3.9+ with the venv module (Debian/Ubuntu: `apt-get install python3 python3-venv`; ' +
  'macOS: `brew install python`), then run `npx -y pnpm@12.4.2 bootstrap`.';

function systemPythonAvailable(): boolean {
  for (const candidate of ['python3', 'python']) {
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0) return true;
  }
  return false;
}

/** Finds moto_server in `<repo root>/.venv`, or explains precisely what is missing and how to fix it. */
export function locateMotoServer(repoRoot: string = findRepoRoot()): MotoServerLocation {
  const venv = join(repoRoot, '.venv');
  const python = join(venv, 'bin', 'python');
  const motoServer = join(venv, 'bin', 'moto_server');
  if (!existsSync(motoServer)) {
    if (!systemPythonAvailable()) {
      throw new PythonMissingError(
        `The local AWS emulator needs Python 3, and no python3 is on the PATH. ${PYTHON_HINT}`,
      );
    }
    throw new EmulatorNotInstalledError(
      `The local AWS emulator is not installed (${motoServer} is missing): ${INSTALL_HINT}.`,
    );
  }
  // existsSync follows the venv's symlink: false when the Python the venv was built from has been removed.
  if (!existsSync(python)) {
    throw new PythonMissingError(
      `The virtualenv's Python (${python}) no longer works: its interpreter was removed. ${PYTHON_HINT} ` +
        'Delete .venv first so that it is rebuilt.',
    );
  }
  return { repoRoot, python, motoServer };
}
