import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CommandIO } from '../src/command';
import { main } from '../src/main';

function capturingIO(): { io: CommandIO; stdout: () => string; stderr: () => string } {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  err.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return {
    io: { stdout: out, stderr: err, stdin: new PassThrough(), env: process.env },
    stdout: () => stdout,
    stderr: () => stderr,
  };
}

/** moto servers this test process started and that are still running. */
function motoServersOfThisProcess(): string[] {
  const children = execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return children.split('\n').filter((line) => line.includes('moto_server'));
}

describe('cli demo', () => {
  it('runs the emulator smoke scenario, says what it showed, exits 0 and leaves no emulator running', async () => {
    // Prepare
    const { io, stdout, stderr } = capturingIO();

    // Act
    const code = await main(['demo'], io);

    // Assess
    expect(code).toBe(0);
    expect(stdout().match(/^PASS {2}/gm)).toHaveLength(3);
    expect(stdout()).not.toMatch(/^FAIL/m);
    expect(stdout()).toContain('All 3 checks held');
    expect(stderr()).toContain('Emulator stopped.');
    expect(motoServersOfThisProcess()).toEqual([]);
  });

  it('refuses arguments with a usage error (exit 2) and starts nothing', async () => {
    // Prepare
    const { io, stderr } = capturingIO();

    // Act
    const code = await main(['demo', '--fast'], io);

    // Assess
    expect(code).toBe(2);
    expect(stderr()).toBe('demo takes no arguments (got --fast). Run "cli demo --help".\n');
  });
});
