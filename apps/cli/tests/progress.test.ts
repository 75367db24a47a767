import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/output/progress';

function stream(isTTY: boolean): { stream: PassThrough & { isTTY?: boolean }; text: () => string } {
  const output: PassThrough & { isTTY?: boolean } = new PassThrough();
  output.isTTY = isTTY;
  let text = '';
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { stream: output, text: () => text };
}

describe('progress on stderr', () => {
  it('draws a spinner and a counter on a terminal, and clears them before a line', async () => {
    // Prepare
    const terminal = stream(true);
    const progress = createProgress(terminal.stream);

    // Act
    const value = await progress.spin('waiting', new Promise((resolve) => setTimeout(() => resolve(42), 200)));
    progress.count('Reading reports', 1, 2);
    progress.line('done');

    // Assess
    expect(value).toBe(42);
    const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'].map((frame) => `\r\x1b[2K${frame} waiting`);
    expect(frames.some((frame) => terminal.text().includes(frame))).toBe(true);
    expect(terminal.text()).toContain('Reading reports 1/2');
    expect(terminal.text().endsWith('\r\x1b[2Kdone\n')).toBe(true);
  });

  it('writes only the lines when stderr is not a terminal (logs and CI stay clean)', async () => {
    // Prepare
    const pipe = stream(false);
    const progress = createProgress(pipe.stream);

    // Act
    await progress.spin('waiting', new Promise((resolve) => setTimeout(resolve, 200)));
    progress.count('Reading reports', 1, 2);
    progress.line('done');

    // Assess
    expect(pipe.text()).toBe('done\n');
  });
});
