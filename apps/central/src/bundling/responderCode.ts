import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { ResponderBundlingError } from '../errors';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const HANDLER_ENTRY = fileURLToPath(new URL('../../../../packages/responder/src/handler.ts', import.meta.url));
const BUNDLE_SCRIPT = fileURLToPath(new URL('./bundleResponder.ts', import.meta.url));

/**
 * The responder's code asset: packages/responder's handler bundled by bundleResponder.ts, on this machine (no
 * Docker). Not NodejsFunction, because it has no way to give esbuild a plugin (awsSdkSchemaLiteralKeys.ts), and
 * esbuild takes plugins only in its asynchronous API while CDK's local bundling is synchronous: the script runs
 * in a child process, under tsx (which already runs the CDK app, see cdk.json), so that it stays TypeScript.
 * The asset's hash is the bundle's (OUTPUT); a synthesis that skips bundling (`aws:cdk:bundling-stacks`) runs
 * nothing and hashes nothing. If bundling fails, the synthesis fails with a ResponderBundlingError carrying
 * esbuild's messages.
 * @param entry the module to bundle; packages/responder/src/handler.ts unless a test says otherwise
 */
export function responderCode(entry: string = HANDLER_ENTRY): Code {
  return Code.fromAsset(REPO_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: tryBundle below either bundles or throws, so CDK never falls back to Docker.
      image: DockerImage.fromRegistry('responder-bundles-locally-only'),
      local: {
        tryBundle(outputDir: string): boolean {
          bundleLocally(entry, outputDir);
          return true;
        },
      },
    },
  });
}

/**
 * Bundles an entry into outputDir with bundleResponder.ts (the responder's own options and plugin); the bench
 * also bundles its cold-import floor with it. Throws ResponderBundlingError with esbuild's messages.
 */
export function bundleLocally(entry: string, outputDir: string): void {
  let tsxLoader: string;
  try {
    tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch (error) {
    throw new ResponderBundlingError(
      `tsx, which runs ${BUNDLE_SCRIPT}, cannot be found (${error instanceof Error ? error.message : String(error)}); ` +
        'install the node modules first (npx -y pnpm@12.4.2 bootstrap).',
      '',
    );
  }
  const result = spawnSync(process.execPath, ['--import', tsxLoader, BUNDLE_SCRIPT, entry, outputDir], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  if (result.error !== undefined) {
    throw new ResponderBundlingError(`node could not run ${BUNDLE_SCRIPT}: ${result.error.message}`, '');
  }
  if (result.status !== 0) {
    const how = result.signal === null ? `exit code ${result.status}` : `signal ${result.signal}`;
    throw new ResponderBundlingError(`${BUNDLE_SCRIPT} ended with ${how}.`, result.stderr);
  }
  // esbuild's warnings, if any: shown, as `cdk synth` would show NodejsFunction's.
  if (result.stderr !== '') process.stderr.write(result.stderr);
}
