import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import { alreadyDone, type StepName, type StepRecord, succeeded } from '@cryptominer-defense/core';
import { runAction } from '../runAction';

/** A user or a role, by name, and the deny-all policy's ARN in its partition. */
export interface DenyAllTarget {
  readonly kind: 'user' | 'role';
  readonly name: string;
  readonly policyArn: string;
}

/**
 * Attaches AWSDenyAll (or, for an instance's credentials, the fixed policy that denies them) to the user or role, unless it is attached already (then nothing is recorded for release to
 * take off: someone else put it there). The only policy the member role may attach (its iam:PolicyARN condition).
 * Resolves to the policy's ARN when this call attached it, else null.
 */
export async function attachDenyAll(
  iam: IAMClient,
  step: StepName,
  target: DenyAllTarget,
  action = 'attachDenyAllPolicy',
): Promise<{ readonly records: StepRecord[]; readonly attachedPolicyArn: string | null }> {
  const attached = await runAction<string | null>(
    { step, action, target: target.name },
    async () => {
      if (await isAttached(iam, target)) {
        return { result: alreadyDone(`${target.policyArn.split('/').at(-1)} is already attached`), value: null };
      }
      if (target.kind === 'user') {
        await iam.send(new AttachUserPolicyCommand({ UserName: target.name, PolicyArn: target.policyArn }));
      } else {
        await iam.send(new AttachRolePolicyCommand({ RoleName: target.name, PolicyArn: target.policyArn }));
      }
      return { result: succeeded, value: target.policyArn };
    },
    null,
  );
  return { records: [attached.record], attachedPolicyArn: attached.value };
}

async function isAttached(iam: IAMClient, target: DenyAllTarget): Promise<boolean> {
  let marker: string | undefined;
  do {
    const page =
      target.kind === 'user'
        ? await iam.send(new ListAttachedUserPoliciesCommand({ UserName: target.name, Marker: marker }))
        : await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: target.name, Marker: marker }));
    if ((page.AttachedPolicies ?? []).some((policy) => policy.PolicyArn === target.policyArn)) return true;
    marker = page.IsTruncated === true ? page.Marker : undefined;
  } while (marker !== undefined);
  return false;
}
