import type { IncidentUndo } from '@cryptominer-defense/core';

function sizes(group: NonNullable<IncidentUndo['autoScalingGroup']>): string {
  return `min ${group.previousMinSize} / max ${group.previousMaxSize} / desired ${group.previousDesiredCapacity}`;
}

function userLines(user: NonNullable<IncidentUndo['user']>): string[] {
  return [
    ...(user.deactivatedAccessKeyIds.length === 0
      ? []
      : [`${user.userArn}: reactivate ${user.deactivatedAccessKeyIds.join(', ')}`]),
    ...(user.deniedByPolicyArn == null ? [] : [`${user.userArn}: detach ${user.deniedByPolicyArn}`]),
    ...(user.denyPolicyName === null ? [] : [`${user.userArn}: remove the inline policy ${user.denyPolicyName}`]),
  ];
}

function roleLines(role: NonNullable<IncidentUndo['role']>): string[] {
  return [
    ...(role.deniedByPolicyArn == null ? [] : [`${role.roleArn}: detach ${role.deniedByPolicyArn}`]),
    ...(role.trustPolicyReplaced ? [`${role.roleArn}: restore the trust policy it had`] : []),
    ...(role.revokeSessionsPolicyName === null
      ? []
      : [`${role.roleArn}: remove the inline policy ${role.revokeSessionsPolicyName}`]),
  ];
}

function instanceCredentialLines(credentials: NonNullable<IncidentUndo['instanceCredentials']>): string[] {
  const { instanceId } = credentials;
  return [
    ...(credentials.deniedInstanceTagKey === null || credentials.roleName === null
      ? []
      : [
          `${credentials.roleName}: empty the role tag ${credentials.deniedInstanceTagKey} that denies ${instanceId} its credentials${credentials.denyPolicyAttached && credentials.denyPolicyArn !== null ? ` (and detach ${credentials.denyPolicyArn} once no tag names an instance)` : ''}`,
        ]),
    ...(credentials.disassociatedAssociationId === null || credentials.instanceProfileArn === null
      ? []
      : [`${instanceId}: associate its instance profile ${credentials.instanceProfileArn} again`]),
    ...(credentials.metadataDisabled && credentials.previousMetadataOptions !== null
      ? [`${instanceId}: turn its metadata service back on, with the options it had`]
      : []),
  ];
}

/**
 * What `cli release` would undo, read from the report's undo data alone: one line per change. Release itself
 * reads the account first and leaves alone whatever someone changed since; this is what it starts from.
 */
export function whatReleaseUndoes(undo: IncidentUndo): string[] {
  return [
    ...undo.networkInterfaces.map(
      (eni) => `${eni.networkInterfaceId}: back onto ${eni.previousSecurityGroupIds.join(', ') || 'no group'}`,
    ),
    ...(undo.autoScalingGroup === null
      ? []
      : [`${undo.autoScalingGroup.autoScalingGroupName}: back to ${sizes(undo.autoScalingGroup)}`]),
    ...(undo.user === null ? [] : userLines(undo.user)),
    ...(undo.role === null ? [] : roleLines(undo.role)),
    ...(undo.stopProtection?.stopProtectionLifted === true && undo.stopProtection.previousDisableApiStop === true
      ? [`${undo.stopProtection.instanceId}: stop protection back on`]
      : []),
    ...(undo.networkAclEntries ?? []).map(
      (entry) =>
        `${entry.networkAclId}: delete the ${entry.egress ? 'outbound' : 'inbound'} deny entry ${entry.ruleNumber} for ${entry.cidrBlock}`,
    ),
    ...(undo.lambdaFunction?.throttled === true
      ? [
          `${undo.lambdaFunction.functionName}: ${undo.lambdaFunction.previousReservedConcurrency === null ? 'delete the reserved concurrency of 0' : `reserved concurrency back to ${undo.lambdaFunction.previousReservedConcurrency}`}`,
        ]
      : []),
    ...(undo.instanceCredentials == null ? [] : instanceCredentialLines(undo.instanceCredentials)),
  ];
}
