import {
  DENIED_INSTANCE_TAG_KEYS,
  INSTANCE_CREDENTIAL_DENY_POLICY_NAME,
  instanceCredentialDenyPolicyDocument,
  memberAccountActions,
} from '@cryptominer-defense/core';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { MemberRoleStack, memberRoleTemplate } from '../src/index';

interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
  Principal?: unknown;
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

function roleProperties() {
  const template = Template.fromJSON(memberRoleTemplate());
  const roles = Object.values(template.findResources('AWS::IAM::Role'));
  expect(roles).toHaveLength(1);
  return (roles[0] as { Properties: Record<string, unknown> }).Properties;
}

function responseStatements(): PolicyStatement[] {
  const policies = roleProperties().Policies as {
    PolicyName: string;
    PolicyDocument: { Statement: PolicyStatement[] };
  }[];
  expect(policies.map((policy) => policy.PolicyName)).toEqual(['CryptominerResponse']);
  return (policies[0] as { PolicyDocument: { Statement: PolicyStatement[] } }).PolicyDocument.Statement;
}

interface ManagedPolicyProperties {
  ManagedPolicyName?: string;
  PolicyDocument: { Statement: PolicyStatement[] };
  Roles?: unknown[];
}

function managedPolicies(): ManagedPolicyProperties[] {
  const template = Template.fromJSON(memberRoleTemplate());
  return Object.values(template.findResources('AWS::IAM::ManagedPolicy')).map(
    (resource) => (resource as { Properties: ManagedPolicyProperties }).Properties,
  );
}

/** The statements of the managed policy attached to the responder role (what the inline policy has no room for). */
function managedStatements(): PolicyStatement[] {
  const attached = managedPolicies().filter((policy) => (policy.Roles ?? []).length > 0);
  expect(attached).toHaveLength(1);
  return attached[0]?.PolicyDocument.Statement ?? [];
}

/** An IAM resource of the account the template is deployed in, as the template writes it. */
const iamInThisAccount = (resource: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, `:${resource}`]],
});
const partitionAccountArn = (suffix: string) => iamInThisAccount(`role/${suffix}`);

describe('the member responder role', () => {
  it('trusts only the central function role of the organization, through the central account', () => {
    // Prepare
    const properties = roleProperties();

    // Act
    const trust = properties.AssumeRolePolicyDocument;

    // Assess: AssumeRole, and setting the finding as the session's SourceIdentity, on the same conditions.
    const centralFunction = {
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: {
        AWS: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'CentralAccountId' }, ':root']],
        },
      },
      Condition: {
        StringEquals: {
          'aws:PrincipalArn': {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':iam::',
                { Ref: 'CentralAccountId' },
                ':role/',
                { Ref: 'CentralFunctionRoleName' },
              ],
            ],
          },
          'aws:PrincipalOrgID': { Ref: 'OrganizationId' },
        },
      },
    };
    expect(trust).toEqual({
      Version: '2012-10-17',
      Statement: [centralFunction, { ...centralFunction, Action: 'sts:SetSourceIdentity' }],
    });
  });

  it('is named by a parameter and its sessions last at most one hour', () => {
    // Prepare
    const properties = roleProperties();

    // Act
    const { RoleName, MaxSessionDuration } = properties;

    // Assess
    expect(RoleName).toEqual({ Ref: 'ResponderRoleName' });
    expect(MaxSessionDuration).toBe(3600);
  });

  it('grants exactly the actions the engine calls in a member account, none missing, none extra', () => {
    // Prepare
    const statements = [...responseStatements(), ...managedStatements()];

    // Act
    const granted = statements.filter((statement) => statement.Effect === 'Allow').flatMap((s) => asList(s.Action));

    // Assess
    expect([...new Set(granted)].sort()).toEqual(memberAccountActions());
    // Each action once per statement; two statements only where one resource type has a rule of its own.
    for (const statement of statements)
      expect(asList(statement.Action)).toHaveLength(new Set(asList(statement.Action)).size);
    expect(granted.some((action) => action.includes('*'))).toBe(false);
  });

  it('allows IAM writes only on users and roles of its own account, and attaching no policy but the two deny-only ones', () => {
    // Prepare
    const statements = responseStatements().filter((statement) => statement.Effect === 'Allow');

    // Act
    const iamStatements = statements.filter((statement) => asList(statement.Action).some((a) => a.startsWith('iam:')));

    // Assess
    const users = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':user/*']],
    };
    const denyAll = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSDenyAll']] };
    const onlyDenyAll = { ArnEquals: { 'iam:PolicyARN': denyAll } };
    const instanceCredentialDeny = iamInThisAccount(`policy/${INSTANCE_CREDENTIAL_DENY_POLICY_NAME}`);
    const instanceProfiles = iamInThisAccount('instance-profile/*');
    expect(
      iamStatements.map((statement) => [statement.Sid, statement.Action, statement.Resource, statement.Condition]),
    ).toEqual([
      [
        'AttachOnlyDenyPoliciesToRoles',
        'iam:AttachRolePolicy',
        partitionAccountArn('*'),
        { ArnEquals: { 'iam:PolicyARN': [denyAll, instanceCredentialDeny] } },
      ],
      ['FreezeUsersWithDenyAllOnly', 'iam:AttachUserPolicy', users, onlyDenyAll],
      [
        'FreezeUsers',
        ['iam:DeleteLoginProfile', 'iam:ListAccessKeys', 'iam:ListAttachedUserPolicies', 'iam:UpdateAccessKey'],
        users,
        undefined,
      ],
      ['ReadInstanceProfiles', 'iam:GetInstanceProfile', instanceProfiles, undefined],
      ['ReadRoles', ['iam:ListAttachedRolePolicies', 'iam:ListRoleTags'], partitionAccountArn('*'), undefined],
    ]);
  });

  it('may write a denied-instance tag only into an empty slot, only with an instance ARN of its account', () => {
    // Prepare
    const statements = managedStatements();

    // Act
    const slots = statements.map((statement) => [statement.Sid, statement.Action, statement.Condition]);

    // Assess: one statement per slot, nothing else in the managed policy.
    const instances = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:*:', { Ref: 'AWS::AccountId' }, ':instance/i-*']],
    };
    expect(slots).toEqual(
      DENIED_INSTANCE_TAG_KEYS.map((key, index) => [
        `FillEmptyDeniedInstanceSlot${index + 1}`,
        'iam:TagRole',
        {
          'ForAllValues:StringEquals': { 'aws:TagKeys': [key] },
          Null: { [`aws:ResourceTag/${key}`]: 'true' },
          StringLike: { [`aws:RequestTag/${key}`]: instances },
        },
      ]),
    );
    expect(statements.every((statement) => statement.Effect === 'Allow')).toBe(true);
  });

  it('creates the fixed deny policy of compromised instances, attached to no role by the stack', () => {
    // Act
    const deny = managedPolicies().find((policy) => policy.ManagedPolicyName === INSTANCE_CREDENTIAL_DENY_POLICY_NAME);

    // Assess
    expect(deny?.PolicyDocument).toEqual(instanceCredentialDenyPolicyDocument());
    expect(deny?.Roles).toBeUndefined();
  });

  it('denies rewriting service-linked, Identity Center, StackSet, organization and its own roles', () => {
    // Prepare
    const statements = responseStatements();

    // Act
    const deny = statements.filter((statement) => statement.Effect === 'Deny');

    // Assess
    expect(deny).toHaveLength(1);
    expect(deny[0]?.Sid).toBe('NeverRewriteProtectedRoles');
    expect(asList(deny[0]?.Action ?? []).sort()).toEqual(['iam:AttachRolePolicy', 'iam:TagRole']);
    const ownRole = (path: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':iam::',
          { Ref: 'AWS::AccountId' },
          `:role/${path}`,
          { Ref: 'ResponderRoleName' },
        ],
      ],
    });
    expect(deny[0]?.Resource).toEqual([
      partitionAccountArn('aws-service-role/*'),
      partitionAccountArn('aws-reserved/*'),
      partitionAccountArn('*AWSReservedSSO_*'),
      ownRole(''),
      ownRole('*/'),
      partitionAccountArn('OrganizationAccountAccessRole'),
      partitionAccountArn('*/OrganizationAccountAccessRole'),
      partitionAccountArn('AWSControlTowerExecution'),
      partitionAccountArn('*/AWSControlTowerExecution'),
      partitionAccountArn('AWSCloudFormationStackSetExecutionRole'),
      partitionAccountArn('*/AWSCloudFormationStackSetExecutionRole'),
      partitionAccountArn('AWSCloudFormationStackSetAdministrationRole'),
      partitionAccountArn('*/AWSCloudFormationStackSetAdministrationRole'),
      partitionAccountArn('stacksets-exec-*'),
      partitionAccountArn('*/stacksets-exec-*'),
    ]);
  });

  it('may set only its own tags: the group purpose (isolation, connection-cut) and the incident evidence keys', () => {
    // Prepare
    const statements = responseStatements();

    // Act
    const tagging = statements.filter((statement) => asList(statement.Action).includes('ec2:CreateTags'));

    // Assess
    expect(tagging).toHaveLength(2);
    expect(tagging.map((statement) => statement.Condition)).toEqual([
      {
        'ForAllValues:StringEquals': {
          'aws:TagKeys': [
            'cryptominer-defense:incident',
            'cryptominer-defense:incident-time',
            'cryptominer-defense:instance-id',
            'cryptominer-defense:device-name',
          ],
        },
      },
      {
        StringEquals: {
          'ec2:CreateAction': 'CreateSecurityGroup',
          'aws:RequestTag/cryptominer-defense:purpose': ['isolation', 'connection-cut'],
        },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['cryptominer-defense:purpose'] },
      },
    ]);
  });

  it('keeps EC2 and Auto Scaling writes inside its own account', () => {
    // Prepare
    const statements = responseStatements().filter((statement) => statement.Effect === 'Allow');

    // Act
    const writes = statements.filter((statement) => statement.Resource !== '*');
    const resources = writes.flatMap((statement) => asList(statement.Resource as object | object[]));

    // Assess
    // EBS snapshot ARNs carry no account (arn:aws:ec2:<region>::snapshot/<id>); the volume they come from does.
    for (const resource of resources.filter((candidate) => !JSON.stringify(candidate).includes('::snapshot/'))) {
      expect(JSON.stringify(resource)).toContain('{"Ref":"AWS::AccountId"}');
    }
    const readOnly = statements.find((statement) => statement.Resource === '*');
    expect(asList(readOnly?.Action ?? []).sort()).toEqual([
      'autoscaling:DescribeAutoScalingGroups',
      'cloudtrail:LookupEvents',
      'ec2:DescribeIamInstanceProfileAssociations',
      'ec2:DescribeInstanceAttribute',
      'ec2:DescribeInstances',
      'ec2:DescribeNetworkAcls',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeRegions',
      'ec2:DescribeSecurityGroupRules',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSnapshots',
    ]);
  });

  it('may add network ACL entries in its own account only, and never replace or delete one', () => {
    // Prepare
    const statements = responseStatements().filter((statement) => statement.Effect === 'Allow');

    // Act
    const naclActions = statements.flatMap((statement) =>
      asList(statement.Action as string | string[]).filter((action) => /NetworkAcl/.test(action)),
    );
    const adding = statements.filter((statement) =>
      asList(statement.Action as string | string[]).includes('ec2:CreateNetworkAclEntry'),
    );

    // Assess: the hard cut adds entries; release (the operator) deletes them.
    expect(naclActions.sort()).toEqual(['ec2:CreateNetworkAclEntry', 'ec2:DescribeNetworkAcls']);
    expect(adding).toHaveLength(1);
    expect(asList(adding[0]?.Action as string | string[])).toEqual(['ec2:CreateNetworkAclEntry']);
    expect(JSON.stringify(adding[0]?.Resource)).toContain(':network-acl/*');
    expect(JSON.stringify(adding[0]?.Resource)).toContain('{"Ref":"AWS::AccountId"}');
  });

  it('has the parameters the StackSet passes, with patterns that reject malformed values', () => {
    // Prepare
    const template = memberRoleTemplate();

    // Act
    const parameters = template.Parameters as Record<string, { AllowedPattern: string; Default?: string }>;

    // Assess
    expect(Object.keys(parameters).sort()).toEqual([
      'CentralAccountId',
      'CentralFunctionRoleName',
      'OrganizationId',
      'ResponderRoleName',
    ]);
    expect(new RegExp(parameters.CentralAccountId?.AllowedPattern ?? '').test('12345678901')).toBe(false);
    expect(new RegExp(parameters.OrganizationId?.AllowedPattern ?? '').test('o-a1b2c3d4e5')).toBe(true);
    expect(new RegExp(parameters.OrganizationId?.AllowedPattern ?? '').test('r-a1b2')).toBe(false);
    expect(parameters.ResponderRoleName?.Default).toBe('CryptominerResponderRole');
  });

  it('synthesizes the StackSet body from the same stack that is deployed by hand', () => {
    // Prepare
    const app = new App({ analyticsReporting: false, context: { 'aws:cdk:enable-path-metadata': false } });
    const stack = new MemberRoleStack(app, 'Plain');

    // Act
    const plain = app.synth().getStackByName(stack.stackName).template;

    // Assess
    expect(plain).toEqual(memberRoleTemplate());
    expect(JSON.stringify(plain)).not.toContain('BootstrapVersion');
  });

  it('matches the snapshot', () => {
    expect(memberRoleTemplate()).toMatchSnapshot();
  });
});

/** A policy resource as text, with the pseudo parameters and parameters written `<AccountId>`, `<Partition>`. */
function resourceText(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const join = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join !== undefined) return join[1].map(resourceText).join(join[0]);
  const ref = (resource as { Ref?: string }).Ref;
  return ref === undefined ? JSON.stringify(resource) : `<${ref.replace('AWS::', '')}>`;
}

/** Wider than the resources of one type in this account (`*`, another account, or no resource type). */
function tooWide(arn: string): boolean {
  if (arn === '*') return true;
  const [, , service, , account, ...rest] = arn.split(':');
  const resource = rest.join(':');
  // A snapshot's ARN names no account: its owner is checked by EC2 itself.
  const namesNoAccount = service === 'ec2' && resource.startsWith('snapshot/');
  if (!namesNoAccount && account !== '<AccountId>') return true;
  return resource === '' || resource.startsWith('*');
}

describe('the member role, scope by scope', () => {
  it('grants nothing wider than one resource type of its own account; `*` only to reads IAM cannot scope', () => {
    // Prepare
    const allows = [...responseStatements(), ...managedStatements()].filter(
      (statement) => statement.Effect === 'Allow',
    );

    // Act
    const wide = allows.flatMap((statement) =>
      asList(statement.Resource)
        .map(resourceText)
        .filter(tooWide)
        .map((resource) => ({ sid: statement.Sid, resource, actions: asList(statement.Action) })),
    );

    // Assess
    expect(wide.map((entry) => [entry.sid, entry.resource])).toEqual([['ReadWithoutResourceLevelPermissions', '*']]);
    for (const entry of wide) {
      expect(entry.actions.every((action) => /^[a-z0-9-]+:(Describe|List|Get|Lookup)/.test(action))).toBe(true);
    }
  });

  it('would catch a wider scope (the check is live)', () => {
    // Assess
    expect(tooWide('arn:aws:ec2:*:*:*')).toBe(true);
    expect(tooWide('arn:<Partition>:iam::*:role/*')).toBe(true);
    expect(tooWide('arn:<Partition>:ec2:*:<AccountId>:*')).toBe(true);
    expect(tooWide('arn:<Partition>:ec2:*:<AccountId>:instance/*')).toBe(false);
    expect(tooWide('arn:<Partition>:ec2:*::snapshot/*')).toBe(false);
  });
});
