import { MemberRoleStack } from '@cryptominer-defense/member-role';
import type { App, Stack } from 'aws-cdk-lib';
import type { AppSettings } from './appSettings';
import { CentralStack } from './CentralStack';
import { STACK_NAMES } from './deploymentNames';
import { ForwarderStack } from './ForwarderStack';

export interface CentralAppStacks {
  readonly central: CentralStack;
  readonly forwarders: readonly ForwarderStack[];
  /** The responder role for the accounts the StackSet cannot reach (management, delegated admin). */
  readonly memberRole: MemberRoleStack;
  readonly all: readonly Stack[];
}

/** Adds every stack of the product to the app: the central stack, one forwarder per other region, the member role. */
export function buildCentralApp(app: App, settings: AppSettings): CentralAppStacks {
  const env = (region: string) => ({ region, ...(settings.account ? { account: settings.account } : {}) });
  const central = new CentralStack(app, STACK_NAMES.central, {
    env: env(settings.homeRegion),
    reportRegions: [settings.homeRegion, ...settings.forwardedRegions],
  });
  const forwarders = settings.forwardedRegions.map(
    (region) =>
      new ForwarderStack(app, STACK_NAMES.forwarder(region), { env: env(region), homeRegion: settings.homeRegion }),
  );
  const memberRole = new MemberRoleStack(app, STACK_NAMES.memberRole, { env: env(settings.homeRegion) });
  return { central, forwarders, memberRole, all: [central, ...forwarders, memberRole] };
}
