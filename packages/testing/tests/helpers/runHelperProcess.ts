import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findRepoRoot } from '../../src/emulator/findRepoRoot';

export interface HelperProcess {
  readonly child: ChildProcess;
  /** The first line the helper printed, parsed: the emulator's pid and endpoint. */
  readonly started: Promise<{ pid: number; endpoint: string }>;
  readonly exited: Promise<number | null>;
}

/** Runs tests/helpers/startServerThenEnd.ts in its own Node process with tsx. */
export function runHelperProcess(mode: 'exit' | 'throw' | 'wait'): HelperProcess {
  const script = fileURLToPath(new URL('./startServerThenEnd.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, mode], {
    cwd: findRepoRoot(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = new Promise<{ pid: number; endpoint: string }>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line !== undefined) resolve(JSON.parse(line) as { pid: number; endpoint: string });
    });
    child.once('exit', (code) => reject(new Error(`helper exited (${code}) before starting the emulator: ${stderr}`)));
  });
  return { child, started, exited };
}
