import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type MotoServer, startMotoServer } from '@cryptominer-defense/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidReport } from './support/expectValidReport';

/*
 * The README's "against an emulator you start by hand" section, run as written: its shell 2 and shell 3 lines are
 * read from README.md (only the port and the findings folder are the test's), against a moto this file starts
 * (shell 1's command differs only in loading every AWS managed policy; the project's server keeps the one the
 * freeze attaches). A section that stops working as written fails here.
 */
const repoRoot = resolve(__dirname, '../..');
const README_PORT_ENDPOINT = 'http://127.0.0.1:5055';
const README_FINDINGS = '/tmp/findings';
const run = promisify(execFile);

interface ReadmeCommand {
  readonly command: string;
  readonly comment: string;
}

function handRunSection(): { prepare: string; responds: ReadmeCommand[]; alsoThere: string[] } {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf('### `cli respond` against an emulator you start by hand');
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  const block = section.slice(section.indexOf('```sh\n') + 6, section.indexOf('\n```', section.indexOf('```sh')));
  const lines = block.split('\n');
  const prepare = lines.find((line) => line.startsWith('npx tsx packages/responder/tests/manual/prepareEmulator.ts'));
  const responds = lines
    .filter((line) => line.includes(' cli respond '))
    .map((line) => {
      const [command = '', comment = ''] = line.split(/\s+# /);
      return { command: command.trim(), comment: comment.trim() };
    });
  const alsoThere = [...section.matchAll(/`(finding-[a-z0-9-]+\.json)`/g)].map((match) => match[1] ?? '');
  if (start < 0 || prepare === undefined || responds.length === 0) {
    throw new Error('README.md has no hand-run emulator section with a prepareEmulator line and cli respond lines');
  }
  return { prepare, responds, alsoThere };
}

function adapted(line: string, endpoint: string, findings: string): string {
  return line.replaceAll(README_PORT_ENDPOINT, endpoint).replaceAll(README_FINDINGS, findings);
}

/** Starts shell 2 and resolves with the export lines it prints once it serves. */
function startPrepare(command: string): Promise<{ child: ChildProcess; exports: string[] }> {
  // A process group of its own, as a shell's foreground job: Ctrl-C reaches npx, tsx and the script at once.
  const child = spawn('bash', ['-c', `exec ${command}`], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolvePrepared, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/^export REPORT_BUCKET=.*$/m.test(stdout)) {
        resolvePrepared({ child, exports: stdout.split('\n').filter((line) => line.startsWith('export ')) });
      }
    });
    child.on('exit', (code) => reject(new Error(`prepareEmulator.ts exited with ${code} before serving: ${stderr}`)));
  });
}

/** Ctrl-C: SIGINT to the job's process group; resolves with how it ended. */
function stopPrepare(child: ChildProcess): Promise<string> {
  return new Promise((resolveStopped) => {
    child.removeAllListeners('exit');
    child.on('exit', (code, signal) => resolveStopped(code === null ? `signal ${signal}` : `exit ${code}`));
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
  });
}

async function respond(exports: string[], command: string): Promise<{ code: number; stdout: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
  try {
    const { stdout } = await run('bash', ['-c', `${exports.join('\n')}\n${command}`], {
      cwd: repoRoot,
      env: { ...env, NO_COLOR: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    throw new Error(`\`${command}\` exited with ${failed.code}: ${failed.stderr}`);
  }
}

describe("the README's hand-run emulator section", () => {
  let moto: MotoServer;
  let workspace: string;

  beforeAll(async () => {
    moto = await startMotoServer();
    workspace = mkdtempSync(join(tmpdir(), 'hand-run-'));
  }, 60_000);

  afterAll(async () => {
    await moto?.stop();
    if (workspace !== undefined) rmSync(workspace, { recursive: true, force: true });
  });

  it('works as written, into a findings folder that does not exist yet, and a second time on the same emulator', async () => {
    // Prepare
    const section = handRunSection();
    const findings = join(workspace, 'findings');
    const prepare = adapted(section.prepare, moto.endpoint, findings);

    for (const attempt of ['first', 'second']) {
      // Act
      const prepared = await startPrepare(prepare);
      const outcomes = [];
      for (const line of section.responds) {
        outcomes.push({
          ...line,
          ...(await respond(prepared.exports, adapted(line.command, moto.endpoint, findings))),
        });
      }
      const stopped = await stopPrepare(prepared.child);

      // Assess
      expect(existsSync(findings), attempt).toBe(true);
      for (const name of section.alsoThere) expect(existsSync(join(findings, name)), `${attempt}: ${name}`).toBe(true);
      for (const outcome of outcomes) {
        const printed = JSON.parse(outcome.stdout) as Record<string, unknown>;
        if (outcome.comment.includes('"ignored"')) {
          expect(Object.keys(printed), `${attempt}: ${outcome.command}`).toEqual(['ignored']);
        } else {
          expectValidReport(printed);
          expect(printed.sample, `${attempt}: ${outcome.command}`).toBe(false);
          expect(printed.disposition, `${attempt}: ${outcome.command}`).toBe('responded');
        }
      }
      // npx may end on the signal itself rather than with the script's exit 0: either way the job is over.
      expect(stopped, `${attempt}: prepareEmulator.ts on Ctrl-C`).toMatch(/^(exit 0|signal SIGINT)$/);
    }
  }, 240_000);
});
