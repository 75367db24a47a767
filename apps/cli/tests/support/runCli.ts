import { PassThrough } from 'node:stream';
import type { CommandIO } from '../../src/command';
import { main } from '../../src/main';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `cli <args>` in-process, as main() does for the binary, capturing stdout and stderr. */
export async function runCli(
  args: readonly string[],
  env: Record<string, string | undefined>,
  stdinText = '',
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  stdin.end(stdinText);
  const io: CommandIO = { stdout, stderr, stdin, env };
  const code = await main(args, io);
  return { code, stdout: out, stderr: err };
}
