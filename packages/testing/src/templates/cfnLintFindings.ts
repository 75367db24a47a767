import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '../emulator/findRepoRoot';
import { HarnessSetupError } from '../errors';

export interface CfnLintFinding {
  readonly level: string;
  readonly rule: string;
  readonly message: string;
}

interface CfnLintJsonMatch {
  Level: string;
  Rule: { Id: string };
  Message: string;
}

/** Runs the project's pinned cfn-lint (`.venv/bin/cfn-lint`) on a template and returns every finding. */
export function cfnLintFindings(template: unknown): CfnLintFinding[] {
  const cfnLint = join(findRepoRoot(), '.venv', 'bin', 'cfn-lint');
  if (!existsSync(cfnLint)) {
    throw new HarnessSetupError(
      `${cfnLint} is missing: run \`npx -y pnpm@12.4.2 bootstrap\`, which installs the pinned cfn-lint.`,
    );
  }
  const folder = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
  try {
    const file = join(folder, 'template.json');
    writeFileSync(file, JSON.stringify(template));
    const run = spawnSync(cfnLint, ['--format', 'json', '--', file], { encoding: 'utf8' });
    if (run.error) throw run.error;
    const output = run.stdout.trim();
    if (output === '') throw new Error(`cfn-lint printed nothing (exit ${run.status}): ${run.stderr}`);
    return (JSON.parse(output) as CfnLintJsonMatch[]).map((match) => ({
      level: match.Level,
      rule: match.Rule.Id,
      message: match.Message,
    }));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
