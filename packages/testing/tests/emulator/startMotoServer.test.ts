import { describe, expect, it } from 'vitest';
import { resetEmulator } from '../../src/emulator/resetEmulator';
import { startMotoServer } from '../../src/emulator/startMotoServer';
import { isAlive, waitUntilGone } from '../helpers/processLiveness';
import { runHelperProcess } from '../helpers/runHelperProcess';

describe('startMotoServer', () => {
  it('starts a server on 127.0.0.1 that answers, and stop() leaves no process behind', async () => {
    // Prepare
    const server = await startMotoServer();
    const answer = await fetch(`${server.endpoint}/moto-api/`);
    expect(answer.ok).toBe(true);
    expect(server.endpoint).toBe(`http://127.0.0.1:${server.port}`);
    await resetEmulator(server.endpoint);

    // Act
    await server.stop();
    await server.stop();

    // Assess
    expect(isAlive(server.pid)).toBe(false);
    await expect(fetch(`${server.endpoint}/moto-api/`)).rejects.toThrow();
  });

  it('gives two servers two different ports', async () => {
    // Prepare
    const first = await startMotoServer();
    const second = await startMotoServer();

    // Act
    await Promise.all([first.stop(), second.stop()]);

    // Assess
    expect(first.port).not.toBe(second.port);
    expect(isAlive(first.pid) || isAlive(second.pid)).toBe(false);
  });

  it.each([
    ['the process exits without calling stop()', 'exit'],
    ['an uncaught error ends the process', 'throw'],
  ] as const)('stops the server when %s', async (_case, mode) => {
    // Prepare
    const helper = runHelperProcess(mode);
    const { pid } = await helper.started;

    // Act
    await helper.exited;

    // Assess
    expect(await waitUntilGone(pid)).toBe(true);
  });

  // SIGKILL runs no handler: only the kernel's parent-death signal (Linux) can stop the server then.
  const signals =
    process.platform === 'linux' ? (['SIGINT', 'SIGTERM', 'SIGKILL'] as const) : (['SIGINT', 'SIGTERM'] as const);
  it.each(signals)('stops the server when the process gets %s', async (signal) => {
    // Prepare
    const helper = runHelperProcess('wait');
    const { pid } = await helper.started;
    expect(isAlive(pid)).toBe(true);

    // Act
    helper.child.kill(signal);
    await helper.exited;

    // Assess
    expect(await waitUntilGone(pid)).toBe(true);
  });
});
