import { App } from 'aws-cdk-lib';
import type { AppSettings } from './appSettings';
import { buildCentralApp } from './buildCentralApp';

/** A synthesized CloudFormation template. */
export type Template = Record<string, unknown>;

export interface SynthesizeTemplatesOptions {
  /** Bundle the function's code (esbuild) as `cdk synth` does. Default false: the templates are what is wanted. */
  readonly bundle?: boolean;
}

/** Every template of the app, by stack name: for tools and tests that need the templates without the CDK CLI. */
export function synthesizeTemplates(
  settings: AppSettings,
  options: SynthesizeTemplatesOptions = {},
): Record<string, Template> {
  const app = new App({
    analyticsReporting: false,
    ...(options.bundle === true ? {} : { context: { 'aws:cdk:bundling-stacks': [] } }),
  });
  const stacks = buildCentralApp(app, settings);
  const assembly = app.synth();
  return Object.fromEntries(
    stacks.all.map((stack) => [stack.stackName, assembly.getStackByName(stack.stackName).template as Template]),
  );
}
