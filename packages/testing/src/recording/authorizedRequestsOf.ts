import { TestingError } from '../errors';
import type { RecordedAwsCall } from './awsActionRecorder';
import { iamRequestOf } from './iamRequestOf';
import {
  EC2_ID_TYPES,
  INSTANCE_ATTRIBUTES,
  partitionOf,
  requestTagContext,
  specifiedTags,
  strings,
  text,
} from './requestInputs';
import { serviceRequestsOf } from './serviceRequestsOf';

/** Where the recorded calls would run in AWS: what an ARN needs that a command's input does not say. */
export interface RequestSetting {
  /** The account a call without an account of its own (the central side, here) is made in. */
  readonly defaultAccountId: string;
  /** The organization's id and management account (Organizations ARNs carry both). */
  readonly organizationId: string;
  readonly managementAccountId: string;
  /**
   * The KMS key each bucket encrypts with by default, by bucket name: S3 then asks KMS on the caller's behalf
   * (`kms:GenerateDataKey` to write, `kms:Decrypt` to read), which the key policy and the caller's policy must allow.
   */
  readonly bucketKeys?: Readonly<Record<string, string>>;
  /** The KMS key of each encrypted SNS topic, by topic ARN (SNS asks KMS when a message is published). */
  readonly topicKeys?: Readonly<Record<string, string>>;
  /**
   * The tags of EC2 resources, by id, as the emulator holds them (read by the test after the calls): AWS puts them in
   * a request as `aws:ResourceTag/<key>` and `ec2:ResourceTag/<key>`. Only tags set when a resource was created are
   * certain to have been there at every call on it; the responder sets no other tag on a security group.
   */
  readonly resourceTags?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** One request IAM authorizes, as AWS would see it. */
export interface AuthorizedRequest {
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string | readonly string[]>>;
  /**
   * Where what is not read from the input comes from, in a few words each (`placeholder: Auto Scaling group
   * id`, `implied: TagSpecifications`): the honest limits of this table.
   */
  readonly derived: readonly string[];
  /** The call this request belongs to. */
  readonly call: RecordedAwsCall;
}

/**
 * The requests IAM authorizes for one recorded call: the resource ARN of each resource the action is authorized
 * on and the condition keys the request carries, read from the command's input. A small table, one entry per
 * action the engine calls; an action it does not know throws, so a new call cannot slip past the evaluation.
 *
 * What it cannot read from the input it derives, and says so in `derived`: Auto Scaling group ids and IAM paths
 * are placeholders; a new security group or snapshot gets a placeholder id; `aws:SecureTransport` is true (the SDK
 * speaks HTTPS to AWS; the emulator's plain HTTP is the test's, not the request's); the `ec2:CreateTags` that
 * AWS authorizes for `TagSpecifications`, `sts:SetSourceIdentity` for a `SourceIdentity` and the KMS calls S3 and
 * SNS make for the caller are implied requests. Resource tags of EC2 resources come from `resourceTags` (the
 * emulator's state) for security groups and ENIs; other keys AWS takes from the resource's own state (`ec2:Vpc`,
 * `autoscaling:ResourceTag/*`) are not carried: the input does not hold them.
 */
export function authorizedRequestsOf(call: RecordedAwsCall, setting: RequestSetting): AuthorizedRequest[] {
  const region = call.region ?? 'us-east-1';
  const partition = partitionOf(region);
  const account = call.accountId ?? setting.defaultAccountId;
  const { input } = call;
  const https = { 'aws:SecureTransport': 'true' };
  const requests: AuthorizedRequest[] = [];
  const add = (
    resource: string,
    context: Record<string, string | string[]> = {},
    derived: string[] = [],
    action = call.action,
  ) => requests.push({ action, resource, context: { ...https, ...context }, derived, call });
  /** The resource's own tags, as the request carries them. */
  const tagsOf = (id: string): Record<string, string> =>
    Object.fromEntries(
      Object.entries(setting.resourceTags?.[id] ?? {}).flatMap(([key, value]) => [
        [`aws:ResourceTag/${key}`, value],
        [`ec2:ResourceTag/${key}`, value],
      ]),
    );
  const ec2Arn = (id: string) => {
    const type = EC2_ID_TYPES.find(([prefix]) => id.startsWith(prefix))?.[1];
    if (type === undefined) throw new TestingError(`No EC2 resource type for the id ${id} (${call.action})`);
    // Snapshots are regional resources without an account in their ARN.
    return `arn:${partition}:ec2:${region}:${type === 'snapshot' ? '' : account}:${type}/${id}`;
  };
  const kmsVia = (service: string, keyArn: string, action: string, context: Record<string, string> = {}) =>
    add(
      keyArn,
      { 'kms:ViaService': `${service}.${region}.amazonaws.com`, ...context },
      [`implied: ${service} asks KMS`],
      action,
    );

  switch (call.action) {
    case 'autoscaling:DescribeAutoScalingGroups':
    case 'cloudtrail:LookupEvents':
    case 'ec2:DescribeInstances':
    case 'ec2:DescribeNetworkAcls':
    case 'ec2:DescribeNetworkInterfaces':
    case 'ec2:DescribeRegions':
    case 'ec2:DescribeSecurityGroupRules':
    case 'ec2:DescribeSecurityGroups':
    case 'ec2:DescribeSnapshots':
    case 'ec2:DescribeIamInstanceProfileAssociations':
      // No resource-level permissions (the Service Authorization Reference lists only `*` for them).
      add('*');
      break;
    case 'ec2:DescribeInstanceAttribute':
      add(ec2Arn(String(input.InstanceId)));
      break;
    case 'organizations:ListParents': {
      const child = String(input.ChildId);
      const type = child.startsWith('ou-') ? 'ou' : 'account';
      add(`arn:${partition}:organizations::${setting.managementAccountId}:${type}/${setting.organizationId}/${child}`);
      break;
    }
    case 'autoscaling:DetachInstances':
    case 'autoscaling:UpdateAutoScalingGroup': {
      const context: Record<string, string> = {};
      for (const [member, key] of [
        ['MinSize', 'autoscaling:MinSize'],
        ['MaxSize', 'autoscaling:MaxSize'],
      ] as const) {
        const value = text(input[member]);
        if (value !== undefined) context[key] = value;
      }
      add(
        `arn:${partition}:autoscaling:${region}:${account}:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/${String(input.AutoScalingGroupName)}`,
        context,
        ['placeholder: Auto Scaling group id'],
      );
      break;
    }
    case 'ec2:AuthorizeSecurityGroupEgress':
    case 'ec2:AuthorizeSecurityGroupIngress':
    case 'ec2:RevokeSecurityGroupEgress':
    case 'ec2:RevokeSecurityGroupIngress':
      add(ec2Arn(String(input.GroupId)), tagsOf(String(input.GroupId)));
      break;
    case 'ec2:CreateSecurityGroup': {
      const tags = specifiedTags(input, 'security-group');
      const created = ec2Arn('sg-0000000000000new0');
      if (typeof input.VpcId === 'string') add(ec2Arn(input.VpcId));
      add(created, requestTagContext(tags), ['placeholder: new group id']);
      if (tags.length > 0) {
        add(
          created,
          { ...requestTagContext(tags), 'ec2:CreateAction': 'CreateSecurityGroup' },
          ['placeholder: new group id', 'implied: TagSpecifications'],
          'ec2:CreateTags',
        );
      }
      break;
    }
    case 'ec2:CreateSnapshot': {
      const tags = specifiedTags(input, 'snapshot');
      const created = ec2Arn('snap-0000000000000new0');
      add(ec2Arn(String(input.VolumeId)));
      add(created, requestTagContext(tags), ['placeholder: new snapshot id']);
      if (tags.length > 0) {
        add(
          created,
          { ...requestTagContext(tags), 'ec2:CreateAction': 'CreateSnapshot' },
          ['placeholder: new snapshot id', 'implied: TagSpecifications'],
          'ec2:CreateTags',
        );
      }
      break;
    }
    case 'ec2:CreateTags':
      for (const id of strings(input.Resources)) add(ec2Arn(id), requestTagContext(input.Tags));
      break;
    case 'ec2:ModifyInstanceAttribute': {
      const named = text(input.Attribute);
      const attributes = Object.keys(INSTANCE_ATTRIBUTES).filter((member) => input[member] !== undefined);
      const attribute = named ?? INSTANCE_ATTRIBUTES[attributes[0] ?? ''];
      add(ec2Arn(String(input.InstanceId)), attribute === undefined ? {} : { 'ec2:Attribute': attribute });
      break;
    }
    case 'ec2:ModifyNetworkInterfaceAttribute':
      // AWS also authorizes the ENI's instance, subnet and VPC; the input names only the ENI and the groups.
      add(ec2Arn(String(input.NetworkInterfaceId)), tagsOf(String(input.NetworkInterfaceId)));
      for (const groupId of strings(input.Groups)) add(ec2Arn(groupId), tagsOf(groupId));
      break;
    case 'ec2:CreateNetworkAclEntry':
    case 'ec2:DeleteNetworkAclEntry':
      // IAM authorizes the ACL only: no key carries the entry's action, number or CIDR (decision 0013).
      add(ec2Arn(String(input.NetworkAclId)));
      break;
    case 'lambda:GetFunctionConcurrency':
    case 'lambda:PutFunctionConcurrency':
    case 'lambda:DeleteFunctionConcurrency': {
      // FunctionName is a name or an (unqualified) ARN; IAM has no key for the concurrency value (decision 0014).
      const name = String(input.FunctionName);
      add(name.startsWith('arn:') ? name : `arn:${partition}:lambda:${region}:${account}:function:${name}`);
      break;
    }
    case 'ec2:StopInstances':
      for (const id of strings(input.InstanceIds)) add(ec2Arn(id));
      break;
    case 'ec2:DisassociateIamInstanceProfile':
      // IAM authorizes the instance; the input names only the association.
      add(ec2Arn('i-00000000000000000'), {}, ["placeholder: the association's instance"]);
      break;
    case 'ec2:ModifyInstanceMetadataOptions': {
      // Each option given is an ec2:Attribute/<option> key (EC2 User Guide, IMDS policy examples).
      const context: Record<string, string> = {};
      for (const option of ['HttpEndpoint', 'HttpTokens', 'HttpPutResponseHopLimit', 'InstanceMetadataTags']) {
        const value = text(input[option]);
        if (value !== undefined) context[`ec2:Attribute/${option}`] = value;
      }
      add(ec2Arn(String(input.InstanceId)), context);
      break;
    }
    case 'organizations:DescribeAccount':
      add(
        `arn:${partition}:organizations::${setting.managementAccountId}:account/${setting.organizationId}/${String(input.AccountId)}`,
      );
      break;
    case 's3:GetObject': {
      const bucket = String(input.Bucket);
      add(`arn:${partition}:s3:::${bucket}/${String(input.Key)}`);
      const key = setting.bucketKeys?.[bucket];
      // A missing object (NoSuchKey) has nothing to decrypt.
      if (key !== undefined && call.outcome === 'ok') kmsVia('s3', key, 'kms:Decrypt');
      break;
    }
    case 's3:ListBucket': {
      const context: Record<string, string> = {};
      if (typeof input.Prefix === 'string') context['s3:prefix'] = input.Prefix;
      if (typeof input.Delimiter === 'string') context['s3:delimiter'] = input.Delimiter;
      const maxKeys = text(input.MaxKeys);
      if (maxKeys !== undefined) context['s3:max-keys'] = maxKeys;
      add(`arn:${partition}:s3:::${String(input.Bucket)}`, context);
      break;
    }
    case 's3:PutObject': {
      const bucket = String(input.Bucket);
      const context: Record<string, string> = {};
      for (const [member, key] of [
        ['ServerSideEncryption', 's3:x-amz-server-side-encryption'],
        ['SSEKMSKeyId', 's3:x-amz-server-side-encryption-aws-kms-key-id'],
        ['IfNoneMatch', 's3:if-none-match'],
        ['ObjectLockMode', 's3:object-lock-mode'],
      ] as const) {
        const value = text(input[member]);
        if (value !== undefined) context[key] = value;
      }
      add(`arn:${partition}:s3:::${bucket}/${String(input.Key)}`, context);
      const key = text(input.SSEKMSKeyId) ?? setting.bucketKeys?.[bucket];
      if (key !== undefined) kmsVia('s3', key, 'kms:GenerateDataKey');
      break;
    }
    case 'sns:Publish': {
      const topic = String(input.TopicArn);
      add(topic);
      const key = setting.topicKeys?.[topic];
      if (key !== undefined) kmsVia('sns', key, 'kms:GenerateDataKey');
      break;
    }
    case 'sts:AssumeRole': {
      const role = String(input.RoleArn);
      const context: Record<string, string | string[]> = { ...requestTagContext(input.Tags) };
      if (typeof input.RoleSessionName === 'string') context['sts:RoleSessionName'] = input.RoleSessionName;
      if (typeof input.SourceIdentity === 'string') context['sts:SourceIdentity'] = input.SourceIdentity;
      add(role, context);
      if (typeof input.SourceIdentity === 'string') {
        add(role, { 'sts:SourceIdentity': input.SourceIdentity }, ['implied: SourceIdentity'], 'sts:SetSourceIdentity');
      }
      break;
    }
    case 'sts:GetCallerIdentity':
      // ACTIONS_NO_POLICY_GOVERNS: IAM does not authorize it.
      break;
    default: {
      const found = serviceRequestsOf(call.action, input, { partition, region, account, ...setting });
      if (found !== undefined) {
        for (const request of found) add(request.resource, request.context);
        break;
      }
      const iam = iamRequestOf(call.action, input, partition, account);
      if (iam !== undefined) {
        add(iam.resource, iam.context, ['placeholder: path /', ...iam.derived]);
        break;
      }
      throw new TestingError(
        `authorizedRequestsOf does not know ${call.action} yet: add its resource ARN and condition keys to the table`,
      );
    }
  }
  return requests;
}
