import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { guardDutyFindingEvent, withPnpmOnPath } from '@cryptominer-defense/testing';
import { App } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCentralApp } from '../src/index';
import { TEST_SETTINGS } from './helpers/synthesizeCentralApp';

const outdir = mkdtempSync(join(tmpdir(), 'central-bundle-'));

const previousEnvironment = { REPORT_BUCKET: process.env.REPORT_BUCKET, AWS_REGION: process.env.AWS_REGION };

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
  for (const [name, value] of Object.entries(previousEnvironment)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** Synthesizes with bundling, as `pnpm synth` does, and returns the folder of the function's bundle. */
function bundleFolder(): string {
  const app = new App({ outdir, analyticsReporting: false });
  // Assets are staged (and bundled) while the constructs are built.
  withPnpmOnPath(() => buildCentralApp(app, TEST_SETTINGS));
  app.synth();
  const assets = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
  expect(assets).toHaveLength(1);
  return join(outdir, assets[0] ?? '');
}

describe('the bundled responder, as Lambda loads it', () => {
  it('is one ESM file with its source map, and answers an SQS batch with the handler', async () => {
    // Prepare
    const folder = bundleFolder();
    const entry = join(folder, 'index.mjs');
    // The bundle reads its configuration when it is loaded, as at a Lambda cold start.
    process.env.REPORT_BUCKET = 'incident-reports';
    process.env.AWS_REGION = 'us-east-1';
    const notCrypto = guardDutyFindingEvent({
      accountId: '111111111111',
      region: 'us-east-1',
      instanceId: 'i-0123456789abcdef0',
      type: 'Recon:EC2/PortProbeUnprotectedPort',
    });

    // Act
    const bundle = (await import(pathToFileURL(entry).href)) as { handler: (event: unknown) => Promise<unknown> };
    const result = await bundle.handler({
      Records: [{ messageId: 'm-1', eventSource: 'aws:sqs', body: JSON.stringify(notCrypto) }],
    });

    // Assess
    expect(readdirSync(folder).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    expect(existsSync(entry)).toBe(true);
    expect(result).toEqual({ batchItemFailures: [] });
    // Mappings only: Node reads the map at every cold start (--enable-source-maps), the sources' text made it 7 MB.
    const map = JSON.parse(readFileSync(join(folder, 'index.mjs.map'), 'utf8')) as { sourcesContent?: unknown };
    expect(map.sourcesContent).toBeUndefined();
  });
});
