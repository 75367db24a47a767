import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAppSettings, synthesizeTemplates } from '@cryptominer-defense/central';
import { findRepoRoot } from '@cryptominer-defense/testing';
import { describe, expect, it } from 'vitest';

// docs/deploy.md is what a team follows to roll the product out: every knob the templates and the CDK app have
// must be in it, and every CDK command in it must say where the home region is.

const root = findRepoRoot();
const deployMd = readFileSync(join(root, 'docs/deploy.md'), 'utf8');
// Without bundling, as the other template tests: the parameters do not depend on the function's code.
const templates = synthesizeTemplates({ homeRegion: 'us-east-1', forwardedRegions: ['eu-west-1'], account: undefined });

/** Every CloudFormation parameter of every synthesized template, as `<stack>: <parameter>`. */
function templateParameters(): string[] {
  return Object.entries(templates).flatMap(([stack, template]) =>
    Object.keys((template as { Parameters?: Record<string, unknown> }).Parameters ?? {}).map(
      (parameter) => `${stack}: ${parameter}`,
    ),
  );
}

/** The context keys the app reads (its settings reader, asked once with a recording reader) and cdk.json sets. */
function contextKeys(): string[] {
  const read: string[] = [];
  readAppSettings(
    (key) => {
      read.push(key);
      return undefined;
    },
    { region: 'us-east-1' },
  );
  const cdkJson = JSON.parse(readFileSync(join(root, 'apps/central/cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return [...new Set([...read, ...Object.keys(cdkJson.context)])].sort();
}

/**
 * The commands of the page: every line of its shell blocks (continuation lines joined), and the inline code that is
 * a command line as written (it starts with `npx` or `pnpm`; `cdk deploy` in a sentence names the tool).
 */
function shellCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^\s*```(?:sh|bash|shell)\n([\s\S]*?)^\s*```/gm)].map((match) => match[1] ?? '');
  const inline = [...markdown.replace(/```[\s\S]*?```/g, '').matchAll(/`((?:npx|pnpm) [^`]+)`/g)].map(
    (match) => match[1] ?? '',
  );
  return [...blocks, ...inline].flatMap((block) =>
    block
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
}

/** A command that runs the CDK app (which reads `homeRegion`). */
function runsTheCdkApp(command: string): boolean {
  return /\b(run deploy|run synth|pnpm synth|cdk (deploy|synth|destroy|diff|bootstrap))\b/.test(command);
}

describe('docs/deploy.md covers the deployment', () => {
  it('names every CloudFormation parameter of the central, forwarder and member-role templates', () => {
    // Prepare
    const parameters = templateParameters();

    // Act
    const missing = parameters.filter((entry) => !deployMd.includes(`\`${entry.split(': ')[1]}\``));

    // Assess: the synthesis has the parameters (the check is not vacuous), and the page names each.
    expect(parameters).toEqual(
      expect.arrayContaining([
        'CryptominerCentral: OrganizationId',
        'CryptominerForwarder-eu-west-1: AlertEmail',
        'CryptominerMemberRole: CentralAccountId',
      ]),
    );
    expect(missing).toEqual([]);
  });

  it('names every CDK context key the app reads or cdk.json sets', () => {
    // Prepare
    const keys = contextKeys();

    // Act
    const missing = keys.filter((key) => !deployMd.includes(`\`${key}\``));

    // Assess
    expect(keys).toEqual(expect.arrayContaining(['account', 'forwardedRegions', 'homeRegion']));
    expect(missing).toEqual([]);
  });

  it('passes -c homeRegion=… to every command that runs the CDK app', () => {
    // Prepare
    const cdkCommands = shellCommands(deployMd).filter(runsTheCdkApp);

    // Act
    const withoutHomeRegion = cdkCommands.filter(
      (command) => !/-c homeRegion=([a-z]{2}(-[a-z]+)+-\d\b|<home-region>)/.test(command),
    );

    // Assess
    expect(cdkCommands.length).toBeGreaterThan(5);
    expect(withoutHomeRegion).toEqual([]);
  });

  it('shows the operator policy files it links to', () => {
    // Act
    const linked = [...deployMd.matchAll(/\]\((operator-policies\/[^)]+\.json)\)/g)].map((match) => match[1]);

    // Assess
    expect(linked).toEqual(
      expect.arrayContaining([
        'operator-policies/central-operator-role-policy.json',
        'operator-policies/member-operator-role-policy.json',
        'operator-policies/member-operator-role-trust-policy.json',
      ]),
    );
  });
});
