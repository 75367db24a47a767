import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

export interface NagViolation {
  readonly rule: string;
  readonly severity: string;
  readonly constructPath: string;
}

interface ValidationReport {
  pluginReports: {
    violations: {
      ruleName: string;
      severity: string;
      violatingConstructs: { constructPath: string }[];
    }[];
  }[];
}

/**
 * Synthesizes the stacks that `build` adds to a fresh app with cdk-nag's AwsSolutions pack and returns every
 * finding left unacknowledged (cdk-nag v3 runs as a CDK validation plugin and writes validation-report.json).
 */
export function nagViolations(build: (app: App) => Stack[]): NagViolation[] {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-nag-'));
  try {
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    build(app);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    try {
      app.synth();
    } catch (error) {
      // cdk-nag stops synthesis with a ValidationFailed error when it finds something; anything else is a bug.
      if (!(error instanceof Error) || !/ValidationFailed|Validation failed/.test(`${error.name} ${error.message}`)) {
        throw error;
      }
    }
    const reportFile = join(outdir, 'validation-report.json');
    if (!existsSync(reportFile)) return [];
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as ValidationReport;
    return report.pluginReports.flatMap((plugin) =>
      plugin.violations.flatMap((violation) =>
        violation.violatingConstructs.map((construct) => ({
          rule: violation.ruleName,
          severity: violation.severity,
          constructPath: construct.constructPath,
        })),
      ),
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
