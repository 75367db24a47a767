import type { CloudTrailUserIdentity } from '../cloudTrailRecord';

// Shapes follow the fixtures in packages/testing/fixtures/cloudtrail (see its README for the sources).

function principalIdFor(prefix: string, seed: string): string {
  const letters = Buffer.from(seed)
    .toString('hex')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
  return `${prefix}${letters.padEnd(17, '7').slice(0, 17)}`;
}

export interface IamUserIdentityOptions {
  readonly accountId: string;
  readonly userName: string;
  readonly accessKeyId?: string;
}

/** An IAM user calling with an access key (as in ct_RunInstances_IAMUser_awscli_elastic-integrations.json). */
export function iamUserIdentity(options: IamUserIdentityOptions): CloudTrailUserIdentity {
  return {
    type: 'IAMUser',
    principalId: principalIdFor('AIDA', options.userName),
    arn: `arn:aws:iam::${options.accountId}:user/${options.userName}`,
    accountId: options.accountId,
    accessKeyId: options.accessKeyId ?? 'AKIAIOSFODNN7EXAMPLE',
    userName: options.userName,
  };
}

export interface AssumedRoleIdentityOptions {
  readonly accountId: string;
  readonly roleName: string;
  readonly sessionName: string;
  /** The role's path, e.g. `/aws-service-role/autoscaling.amazonaws.com/`; default `/`. */
  readonly rolePath?: string;
  readonly accessKeyId?: string;
  /** Set when a service acted through the role (`invokedBy`). */
  readonly invokedBy?: string;
}

/** A role session (as in the LookupEvents response fixture and the Auto Scaling RunInstances fixture). */
export function assumedRoleIdentity(options: AssumedRoleIdentityOptions): CloudTrailUserIdentity {
  const roleId = principalIdFor('AROA', options.roleName);
  return {
    type: 'AssumedRole',
    principalId: `${roleId}:${options.sessionName}`,
    arn: `arn:aws:sts::${options.accountId}:assumed-role/${options.roleName}/${options.sessionName}`,
    accountId: options.accountId,
    accessKeyId: options.accessKeyId ?? 'ASIAIOSFODNN7EXAMPLE',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: roleId,
        arn: `arn:aws:iam::${options.accountId}:role${options.rolePath ?? '/'}${options.roleName}`,
        accountId: options.accountId,
        userName: options.roleName,
      },
      attributes: { creationDate: '2026-01-01T00:00:00Z', mfaAuthenticated: 'false' },
    },
    ...(options.invokedBy !== undefined && { invokedBy: options.invokedBy }),
  };
}

/** The account's root user (as in ct_TerminateInstances_Root_awsdocs-ec2-user-guide.json). */
export function rootIdentity(options: { readonly accountId: string }): CloudTrailUserIdentity {
  return {
    type: 'Root',
    principalId: options.accountId,
    arn: `arn:aws:iam::${options.accountId}:root`,
    accountId: options.accountId,
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  };
}

/**
 * Auto Scaling launching an instance: the service-linked role AWSServiceRoleForAutoScaling, invoked by
 * autoscaling.amazonaws.com (as in ct_RunInstances_AssumedRole_AWSServiceRoleForAutoScaling_classicASG_2026.json).
 */
export function autoScalingServiceIdentity(options: { readonly accountId: string }): CloudTrailUserIdentity {
  return assumedRoleIdentity({
    accountId: options.accountId,
    roleName: 'AWSServiceRoleForAutoScaling',
    sessionName: 'AutoScaling',
    rolePath: '/aws-service-role/autoscaling.amazonaws.com/',
    invokedBy: 'autoscaling.amazonaws.com',
  });
}
