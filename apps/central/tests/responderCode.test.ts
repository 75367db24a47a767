import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { responderCode } from '../src/bundling/responderCode';

const folder = mkdtempSync(join(tmpdir(), 'responder-code-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('responderCode', () => {
  it("fails the synthesis with esbuild's own message when the code cannot be bundled", () => {
    // Prepare
    const entry = join(folder, 'brokenHandler.ts');
    writeFileSync(entry, "import { handle } from './nowhere';\nexport const handler = handle;\n");
    const stack = new Stack(new App({ outdir: join(folder, 'assembly'), analyticsReporting: false }), 'Broken');

    // Act
    let failure: unknown;
    try {
      responderCode(entry).bind(stack);
    } catch (error) {
      failure = error;
    }

    // Assess: CDK wraps the error in its own ("Failed to bundle asset …"), keeping the message.
    const message = failure instanceof Error ? failure.message : String(failure);
    expect(message).toMatch(
      /ResponderBundlingError: Bundling the responder Lambda failed: .*bundleResponder\.ts ended/,
    );
    expect(message).toMatch(/Could not resolve "\.\/nowhere"[\s\S]*brokenHandler\.ts:1:/);
  });
});
