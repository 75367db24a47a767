import { UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import {
  AssociateIamInstanceProfileCommand,
  DeleteNetworkAclEntryCommand,
  ModifyInstanceAttributeCommand,
  ModifyInstanceMetadataOptionsCommand,
  ModifyNetworkInterfaceAttributeCommand,
} from '@aws-sdk/client-ec2';
import {
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  UntagRoleCommand,
  UpdateAccessKeyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { DeleteFunctionConcurrencyCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { awsErrorDetails, isAwsError } from '@cryptominer-defense/core';
import { readRoleDenyState } from './planning/planInstanceCredentials';
import type { ReleaseClients } from './releaseClients';
import type { PlannedReleaseStep, ReleaseChange, ReleasePlan } from './releasePlan';

/** The outcome of one planned step, as the release record keeps it. */
export type ReleaseStepRecord = Pick<PlannedReleaseStep, 'target' | 'summary'> & {
  readonly action: ReleaseChange['action'];
  readonly startedAt: string;
  readonly endedAt: string;
} & (
    | { readonly status: 'succeeded' }
    | { readonly status: 'already-done' | 'skipped'; readonly reason: string }
    | { readonly status: 'failed'; readonly errorCode: string; readonly errorMessage: string }
  );

/** Makes one change; resolves to a reason when the state turned out to be right already. */
async function makeChange(clients: ReleaseClients, change: ReleaseChange): Promise<string | null> {
  switch (change.action) {
    case 'restoreNetworkInterfaceGroups':
      await clients.ec2.send(
        new ModifyNetworkInterfaceAttributeCommand({
          NetworkInterfaceId: change.networkInterfaceId,
          Groups: [...change.securityGroupIds],
        }),
      );
      return null;
    case 'restoreAutoScalingGroupSizes':
      await clients.autoScaling.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: change.autoScalingGroupName,
          MinSize: change.minSize,
          MaxSize: change.maxSize,
          DesiredCapacity: change.desiredCapacity,
        }),
      );
      return null;
    case 'reactivateAccessKey':
      await clients.iam.send(
        new UpdateAccessKeyCommand({ UserName: change.userName, AccessKeyId: change.accessKeyId, Status: 'Active' }),
      );
      return null;
    case 'removeUserDenyPolicy':
      try {
        await clients.iam.send(
          new DeleteUserPolicyCommand({ UserName: change.userName, PolicyName: change.policyName }),
        );
        return null;
      } catch (error) {
        if (isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) return 'the policy was already removed';
        throw error;
      }
    case 'restoreTrustPolicy':
      await clients.iam.send(
        new UpdateAssumeRolePolicyCommand({ RoleName: change.roleName, PolicyDocument: change.policyDocument }),
      );
      return null;
    case 'removeRevokeSessionsPolicy':
      try {
        await clients.iam.send(
          new DeleteRolePolicyCommand({ RoleName: change.roleName, PolicyName: change.policyName }),
        );
        return null;
      } catch (error) {
        if (isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) return 'the policy was already removed';
        throw error;
      }
    case 'detachUserDenyAll':
      await clients.iam.send(new DetachUserPolicyCommand({ UserName: change.userName, PolicyArn: change.policyArn }));
      return null;
    case 'detachRoleDenyAll':
      await clients.iam.send(new DetachRolePolicyCommand({ RoleName: change.roleName, PolicyArn: change.policyArn }));
      return null;
    case 'restoreStopProtection':
      await clients.ec2.send(
        new ModifyInstanceAttributeCommand({ InstanceId: change.instanceId, DisableApiStop: { Value: true } }),
      );
      return null;
    case 'restoreFunctionConcurrency':
      if (change.reservedConcurrency === null) {
        await clients.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: change.functionArn }));
      } else {
        await clients.lambda.send(
          new PutFunctionConcurrencyCommand({
            FunctionName: change.functionArn,
            ReservedConcurrentExecutions: change.reservedConcurrency,
          }),
        );
      }
      return null;
    case 'removeInstanceCredentialDeny': {
      await clients.iam.send(new UntagRoleCommand({ RoleName: change.roleName, TagKeys: [change.tagKey] }));
      // Read again just before: an incident on the role since the plan keeps the policy.
      const state = await readRoleDenyState(clients.iam, change.roleName, change.policyArn);
      if (state.slots.size === 0 && state.policyAttached) {
        await clients.iam.send(new DetachRolePolicyCommand({ RoleName: change.roleName, PolicyArn: change.policyArn }));
      }
      return null;
    }
    case 'restoreInstanceProfile':
      await clients.ec2.send(
        new AssociateIamInstanceProfileCommand({
          InstanceId: change.instanceId,
          IamInstanceProfile: { Arn: change.instanceProfileArn },
        }),
      );
      return null;
    case 'restoreInstanceMetadataOptions': {
      const { options } = change;
      await clients.ec2.send(
        new ModifyInstanceMetadataOptionsCommand({
          InstanceId: change.instanceId,
          HttpEndpoint: (options.httpEndpoint ?? 'enabled') as 'enabled' | 'disabled',
          ...(options.httpTokens === null ? {} : { HttpTokens: options.httpTokens as 'optional' | 'required' }),
          ...(options.httpPutResponseHopLimit === null
            ? {}
            : { HttpPutResponseHopLimit: options.httpPutResponseHopLimit }),
          ...(options.httpProtocolIpv6 === null
            ? {}
            : { HttpProtocolIpv6: options.httpProtocolIpv6 as 'enabled' | 'disabled' }),
          ...(options.instanceMetadataTags === null
            ? {}
            : { InstanceMetadataTags: options.instanceMetadataTags as 'enabled' | 'disabled' }),
        }),
      );
      return null;
    }
    case 'removeNetworkAclEntries':
      await clients.ec2.send(
        new DeleteNetworkAclEntryCommand({
          NetworkAclId: change.networkAclId,
          RuleNumber: change.ruleNumber,
          Egress: change.egress,
        }),
      );
      return null;
  }
}

async function applyStep(
  clients: ReleaseClients,
  step: PlannedReleaseStep,
  now: () => Date,
): Promise<ReleaseStepRecord> {
  const startedAt = now().toISOString();
  const where = { action: step.change.action, target: step.target, summary: step.summary };
  if (step.decision !== 'apply') {
    const status = step.decision === 'skip' ? 'skipped' : 'already-done';
    return { ...where, startedAt, endedAt: startedAt, status, reason: step.reason ?? '' };
  }
  try {
    const alreadyRight = await makeChange(clients, step.change);
    const endedAt = now().toISOString();
    return alreadyRight === null
      ? { ...where, startedAt, endedAt, status: 'succeeded' }
      : { ...where, startedAt, endedAt, status: 'already-done', reason: alreadyRight };
  } catch (error) {
    const { errorCode, errorMessage } = awsErrorDetails(error);
    return { ...where, startedAt, endedAt: now().toISOString(), status: 'failed', errorCode, errorMessage };
  }
}

/**
 * Carries out the plan: every `apply` step, independently (one failing does not stop the others); the
 * others are recorded as planned. Resolves to one record per planned step, in the plan's order.
 */
export async function applyRelease(
  clients: ReleaseClients,
  plan: ReleasePlan,
  now: () => Date = () => new Date(),
): Promise<ReleaseStepRecord[]> {
  return Promise.all(plan.steps.map((step) => applyStep(clients, step, now)));
}
