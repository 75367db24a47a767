import type { MetadataOptionsUndo, ReleaseStepName } from '@cryptominer-defense/core';

/** One change release makes, with what it needs to make it. */
export type ReleaseChange =
  | {
      readonly action: 'restoreNetworkInterfaceGroups';
      readonly networkInterfaceId: string;
      readonly securityGroupIds: readonly string[];
    }
  | {
      readonly action: 'restoreAutoScalingGroupSizes';
      readonly autoScalingGroupName: string;
      readonly minSize: number;
      readonly maxSize: number;
      readonly desiredCapacity: number;
    }
  | { readonly action: 'reactivateAccessKey'; readonly userName: string; readonly accessKeyId: string }
  | { readonly action: 'removeUserDenyPolicy'; readonly userName: string; readonly policyName: string }
  | { readonly action: 'restoreTrustPolicy'; readonly roleName: string; readonly policyDocument: string }
  | { readonly action: 'removeRevokeSessionsPolicy'; readonly roleName: string; readonly policyName: string }
  | { readonly action: 'restoreStopProtection'; readonly instanceId: string }
  | {
      readonly action: 'restoreFunctionConcurrency';
      readonly functionArn: string;
      /** The reserved concurrency to put back; null: there was none (the setting is deleted). */
      readonly reservedConcurrency: number | null;
    }
  | {
      readonly action: 'removeNetworkAclEntries';
      readonly networkAclId: string;
      readonly ruleNumber: number;
      readonly egress: boolean;
    }
  | {
      readonly action: 'removeInstanceCredentialDeny';
      readonly roleName: string;
      readonly tagKey: string;
      readonly instanceArn: string;
      /** The fixed deny policy: detached once no slot of the role names an instance. */
      readonly policyArn: string;
    }
  | { readonly action: 'restoreInstanceProfile'; readonly instanceId: string; readonly instanceProfileArn: string }
  | {
      readonly action: 'restoreInstanceMetadataOptions';
      readonly instanceId: string;
      readonly options: MetadataOptionsUndo;
    }
  | { readonly action: 'detachUserDenyAll'; readonly userName: string; readonly policyArn: string }
  | { readonly action: 'detachRoleDenyAll'; readonly roleName: string; readonly policyArn: string };

export type ReleaseActionName = ReleaseChange['action'];

/** Compile-time link to the registry: every kind of change is a RELEASE_STEPS entry (its IAM actions), and back. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const RELEASE_CHANGES_ARE_REGISTERED: Same<ReleaseActionName, ReleaseStepName> = true;

/**
 * What release will do about one thing the response changed, decided from the state the account is in now:
 * - `apply`: the response's change is still in place: undo it;
 * - `already-done`: the state is already what it was before the incident;
 * - `skip`: someone changed it since (or it is gone): release does not overwrite a person's decision.
 */
export interface PlannedReleaseStep {
  readonly change: ReleaseChange;
  /** What it acts on (an ENI id, a group name, a key id, a role name). */
  readonly target: string;
  /** One line a person reads: what changes from what to what. */
  readonly summary: string;
  readonly decision: 'apply' | 'already-done' | 'skip';
  readonly reason?: string;
}

export interface ReleasePlan {
  readonly findingId: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly instanceId: string | null;
  readonly steps: readonly PlannedReleaseStep[];
  /** What release deliberately leaves to a person (the evidence, the stopped instance, a deleted password). */
  readonly leftForPerson: readonly string[];
}
