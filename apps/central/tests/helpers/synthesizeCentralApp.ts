import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type AppSettings, buildCentralApp, type CentralAppStacks } from '../../src/index';

export const TEST_SETTINGS: AppSettings = {
  homeRegion: 'us-east-1',
  forwardedRegions: ['eu-west-1', 'ap-southeast-2'],
  account: undefined,
};

/** Context that skips bundling: the tests read templates, not the function's code. */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

export interface SynthesizedCentralApp {
  readonly stacks: CentralAppStacks;
  readonly central: Template;
  readonly forwarders: Template[];
  readonly memberRole: Template;
}

export function synthesizeCentralApp(settings: AppSettings = TEST_SETTINGS): SynthesizedCentralApp {
  const app = new App({ analyticsReporting: false, context: SKIP_BUNDLING });
  const stacks = buildCentralApp(app, settings);
  return {
    stacks,
    central: Template.fromStack(stacks.central),
    forwarders: stacks.forwarders.map((stack) => Template.fromStack(stack)),
    memberRole: Template.fromStack(stacks.memberRole),
  };
}

/** The one resource of a type in a template, with its properties. */
export function onlyResource(template: Template, type: string): { Properties: Record<string, unknown> } {
  const resources = Object.values(template.findResources(type));
  if (resources.length !== 1) throw new Error(`Expected one ${type}, found ${resources.length}`);
  return resources[0] as { Properties: Record<string, unknown> };
}

/** Asset hashes change with every code change: snapshots replace them with a placeholder. */
export function withoutAssetHashes(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}(\.zip)?/g, '<asset-hash>$1'));
}
