import { AssociateIamInstanceProfileCommand, type EC2Client } from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  type IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { requireValue } from './requireValue';
import { trustService } from './seedIamRole';

export interface SeedInstanceProfileOptions {
  /** The profile and its role are named after it (`<name>Profile`, `<name>Role`). */
  readonly name: string;
  /** Instances that get the profile, as an association made after launch (several: siblings sharing the role). */
  readonly instanceIds: readonly string[];
}

export interface SeededInstanceProfile {
  readonly instanceProfileArn: string;
  readonly roleName: string;
  readonly roleArn: string;
  /** What the role's own inline policy allows: what its credentials can do until something denies them. */
  readonly allowedPolicy: { readonly Version: '2012-10-17'; readonly Statement: readonly Record<string, unknown>[] };
}

const APPLICATION_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }],
} as const;

/**
 * An instance role as applications have them: a role EC2 may assume, with an inline policy of its own, in an
 * instance profile associated with each instance given (the credentials its metadata service hands out).
 */
export async function seedInstanceProfile(
  iam: IAMClient,
  ec2: EC2Client,
  options: SeedInstanceProfileOptions,
): Promise<SeededInstanceProfile> {
  const roleName = `${options.name}Role`;
  const profileName = `${options.name}Profile`;
  const [role, profile] = await Promise.all([
    iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify(trustService('ec2.amazonaws.com')),
      }),
    ),
    iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: profileName })),
  ]);
  await Promise.all([
    iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: profileName, RoleName: roleName })),
    iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: 'application',
        PolicyDocument: JSON.stringify(APPLICATION_POLICY),
      }),
    ),
  ]);
  const instanceProfileArn = requireValue(profile.InstanceProfile?.Arn, 'instance profile ARN');
  for (const instanceId of options.instanceIds) {
    await ec2.send(
      new AssociateIamInstanceProfileCommand({
        InstanceId: instanceId,
        IamInstanceProfile: { Arn: instanceProfileArn },
      }),
    );
  }
  return {
    instanceProfileArn,
    roleName,
    roleArn: requireValue(role.Role?.Arn, 'role ARN'),
    allowedPolicy: APPLICATION_POLICY,
  };
}
