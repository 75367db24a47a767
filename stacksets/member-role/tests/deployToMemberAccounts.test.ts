import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import {
  INSTANCE_CREDENTIAL_DENY_POLICY_NAME,
  instanceCredentialDenyPolicyArn,
  instanceCredentialDenyPolicyDocument,
  memberAccountActions,
} from '@cryptominer-defense/core';
import { clientConfigForAccount, managedPolicyDocument, parsePolicyDocument } from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { describe, expect, it } from 'vitest';
import { memberRoleTemplate } from '../src/index';

const CENTRAL_ACCOUNT_ID = '210987654321';
const ORGANIZATION_ID = 'o-abcdefghij';
const MEMBER_ACCOUNT_IDS = ['111111111111', '222222222222'];

interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
  Principal?: { AWS: string };
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** A managed policy's default version, as a parsed document. */
async function managedStatements(iam: IAMClient, policyArn: string): Promise<{ Statement: PolicyStatement[] }> {
  return (await managedPolicyDocument(iam, policyArn)) as { Statement: PolicyStatement[] };
}

async function deployMemberRole(accountId: string): Promise<{ iam: IAMClient; stackStatus: string | undefined }> {
  const config = await clientConfigForAccount(emulatorEndpoint(), accountId);
  const cloudFormation = new CloudFormationClient(config);
  await cloudFormation.send(
    new CreateStackCommand({
      StackName: 'CryptominerMemberRole',
      TemplateBody: JSON.stringify(memberRoleTemplate()),
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Parameters: [
        { ParameterKey: 'CentralAccountId', ParameterValue: CENTRAL_ACCOUNT_ID },
        { ParameterKey: 'OrganizationId', ParameterValue: ORGANIZATION_ID },
      ],
    }),
  );
  const described = await cloudFormation.send(new DescribeStacksCommand({ StackName: 'CryptominerMemberRole' }));
  cloudFormation.destroy();
  return { iam: new IAMClient(config), stackStatus: described.Stacks?.[0]?.StackStatus };
}

describe('the member-role template deployed through CloudFormation into member accounts', () => {
  it.each(MEMBER_ACCOUNT_IDS)('creates the responder role as synthesized in account %s', async (accountId) => {
    // Prepare
    const { iam, stackStatus } = await deployMemberRole(accountId);

    // Act
    const role = (await iam.send(new GetRoleCommand({ RoleName: 'CryptominerResponderRole' }))).Role;
    const policyNames = (await iam.send(new ListRolePoliciesCommand({ RoleName: 'CryptominerResponderRole' })))
      .PolicyNames;
    const policy = await iam.send(
      new GetRolePolicyCommand({ RoleName: 'CryptominerResponderRole', PolicyName: 'CryptominerResponse' }),
    );
    const attached =
      (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'CryptominerResponderRole' })))
        .AttachedPolicies ?? [];
    const managed = await Promise.all(attached.map((each) => managedStatements(iam, each.PolicyArn ?? '')));
    const denyPolicy = await managedStatements(iam, instanceCredentialDenyPolicyArn('aws', accountId));
    iam.destroy();

    // Assess
    expect(stackStatus).toBe('CREATE_COMPLETE');
    expect(role?.Arn).toBe(`arn:aws:iam::${accountId}:role/CryptominerResponderRole`);
    expect(role?.MaxSessionDuration).toBe(3600);
    const trust = JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? '{}')) as {
      Statement: PolicyStatement[];
    };
    const centralFunction = {
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { AWS: `arn:aws:iam::${CENTRAL_ACCOUNT_ID}:root` },
      Condition: {
        StringEquals: {
          'aws:PrincipalArn': `arn:aws:iam::${CENTRAL_ACCOUNT_ID}:role/CryptominerCentralResponder`,
          'aws:PrincipalOrgID': ORGANIZATION_ID,
        },
      },
    };
    expect(trust.Statement).toEqual([centralFunction, { ...centralFunction, Action: 'sts:SetSourceIdentity' }]);
    expect(policyNames).toEqual(['CryptominerResponse']);
    // The deny policy of compromised instances exists under its fixed name, and the responder role has not got it.
    expect(denyPolicy).toEqual(JSON.parse(JSON.stringify(instanceCredentialDenyPolicyDocument())));
    expect(attached.map((each) => each.PolicyName)).not.toContain(INSTANCE_CREDENTIAL_DENY_POLICY_NAME);
    expect(managed).toHaveLength(1);
    // IAM refuses a managed policy of more than 6,144 characters (whitespace not counted).
    for (const document of managed) expect(JSON.stringify(document).length).toBeLessThan(6_144);
    const statements = [
      ...(parsePolicyDocument(policy.PolicyDocument) as { Statement: PolicyStatement[] }).Statement,
      ...managed.flatMap((document) => document.Statement),
    ];
    const granted = statements.filter((s) => s.Effect === 'Allow').flatMap((s) => asList(s.Action));
    expect([...new Set(granted)].sort()).toEqual(memberAccountActions());
    const resources = statements.flatMap((s) => asList(s.Resource)).filter((resource) => resource !== '*');
    // EBS snapshot ARNs carry no account (arn:aws:ec2:<region>::snapshot/<id>).
    for (const resource of resources.filter((candidate) => !candidate.includes('::snapshot/'))) {
      expect(resource).toContain(`:${accountId}:`);
    }
    // IAM refuses a role whose inline policies add up to more than 10,240 characters (whitespace not counted).
    expect(JSON.stringify(parsePolicyDocument(policy.PolicyDocument)).length).toBeLessThan(10_240);
    const denied = statements.filter((s) => s.Effect === 'Deny').flatMap((s) => asList(s.Resource));
    expect(denied).toContain(`arn:aws:iam::${accountId}:role/aws-service-role/*`);
    expect(denied).toContain(`arn:aws:iam::${accountId}:role/CryptominerResponderRole`);
  });
});
