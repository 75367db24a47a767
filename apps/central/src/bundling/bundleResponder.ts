// Bundles the responder Lambda with esbuild: `node --import tsx bundleResponder.ts <entry> <outdir>`.
// A script of its own because CDK's local bundling hook (tryBundle) is synchronous and esbuild takes plugins only
// in its asynchronous API: responderCode.ts runs this file in a child process and waits for it. esbuild's warnings
// and errors go to stderr; the exit code is 1 when the bundle could not be built.
import { build } from 'esbuild';
import { awsSdkSchemaLiteralKeys } from './awsSdkSchemaLiteralKeys';

/** Builds the entry (the handler module) into outdir: index.mjs, the chunks it loads, and their source maps. */
async function bundleResponder(entry: string, outdir: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outdir,
    // Lambda's handler setting is `index.handler`.
    entryNames: 'index',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    // Nothing of the SDK external: ship the version the tests ran against, not whichever one the runtime carries.
    // Two exceptions, each import()ed only on a path a Lambda function never takes (84 KB shipped for nothing):
    // - bowser: @aws-sdk/core's browser user-agent provider loads it, and only a client built from
    //   runtimeConfig.browser.js calls that provider; in Node the user agent comes from util-user-agent-node;
    // - @aws-sdk/nested-clients: the STS and SSO clients of the profile, SSO, login and web-identity credential
    //   providers. Lambda hands the function its credentials in the environment, which the default chain reads
    //   first; were another provider ever reached, the runtime's own SDK (nodejs24.x carries v3) would answer.
    external: ['bowser', '@aws-sdk/nested-clients', '@aws-sdk/nested-clients/*'],
    // Code behind a dynamic import() goes into chunks loaded only when it runs: the clients the responder needs
    // only after isolation (createClientFactory.ts), and the SDK's credential providers that Lambda never uses
    // (SSO, INI files, …). Less code to compile at a cold start.
    splitting: true,
    minify: true,
    sourcemap: true,
    // Stack traces need only the mappings: the sources' text made the map 7 MB, which Node reads at every cold
    // start under --enable-source-maps.
    sourcesContent: false,
    // Some bundled CommonJS dependencies call require(); ESM output has no require of its own (every chunk
    // gets this line).
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    plugins: [awsSdkSchemaLiteralKeys()],
    logLevel: 'warning',
  });
}

const [entry, outdir] = process.argv.slice(2);
if (entry === undefined || outdir === undefined) {
  process.stderr.write('usage: node --import tsx bundleResponder.ts <entry> <outdir>\n');
  process.exitCode = 1;
} else {
  bundleResponder(entry, outdir).catch((error: unknown) => {
    // esbuild has already printed its errors, with their locations; this says what failed.
    process.stderr.write(`Bundling ${entry} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
