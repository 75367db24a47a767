import {
  CloudFormationClient,
  CreateStackInstancesCommand,
  CreateStackSetCommand,
  ListStackInstancesCommand,
  type Parameter,
} from '@aws-sdk/client-cloudformation';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  clientConfigForAccount,
  emulatorClientConfig,
  type SeededOrganization,
  seedOrganization,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { onlyResource, synthesizeCentralApp } from './helpers/synthesizeCentralApp';

interface StackSetProperties {
  StackSetName: string;
  TemplateBody: string;
  PermissionModel: string;
  Capabilities: string[];
  AutoDeployment: { Enabled: boolean; RetainStacksOnAccountRemoval: boolean };
  Parameters: { ParameterKey: string; ParameterValue: unknown }[];
}

const { central } = synthesizeCentralApp();
const stackSet = onlyResource(central, 'AWS::CloudFormation::StackSet').Properties as unknown as StackSetProperties;
const centralParameters = central.toJSON().Parameters as Record<string, { Default?: string }>;
let organization: SeededOrganization;

/** The StackSet's parameter values as CloudFormation resolves them when the central stack deploys. */
function resolvedParameters(org: SeededOrganization): Parameter[] {
  const references: Record<string, string> = {
    'AWS::AccountId': org.centralAccountId,
    OrganizationId: org.organizationId,
    ResponderRoleName: centralParameters.ResponderRoleName?.Default ?? '',
  };
  return stackSet.Parameters.map(({ ParameterKey, ParameterValue }) => {
    const value =
      typeof ParameterValue === 'string' ? ParameterValue : references[(ParameterValue as { Ref: string }).Ref];
    if (value === undefined) throw new Error(`Cannot resolve ${JSON.stringify(ParameterValue)}`);
    return { ParameterKey, ParameterValue: value };
  });
}

async function responderRoleIn(accountId: string): Promise<string | undefined> {
  const iam = new IAMClient(await clientConfigForAccount(emulatorEndpoint(), accountId));
  try {
    const role = await iam.send(new GetRoleCommand({ RoleName: 'CryptominerResponderRole' }));
    return decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? '');
  } catch (error) {
    if (error instanceof Error && error.name === 'NoSuchEntityException') return undefined;
    throw error;
  } finally {
    iam.destroy();
  }
}

describe('the synthesized StackSet on the emulator organization', () => {
  beforeAll(async () => {
    // Prepare: the seeder's own stand-in responder role gets another name, so that only the StackSet creates ours.
    organization = await seedOrganization(emulatorEndpoint(), {
      regions: ['us-east-1'],
      responderRoleName: 'SeededStandInResponderRole',
      // The StackSet creates the instance-credential deny policy itself.
      seedMemberStackResources: false,
    });
    const cloudFormation = new CloudFormationClient(emulatorClientConfig(emulatorEndpoint()));

    // Act
    await cloudFormation.send(
      new CreateStackSetCommand({
        StackSetName: stackSet.StackSetName,
        TemplateBody: stackSet.TemplateBody,
        PermissionModel: stackSet.PermissionModel as 'SERVICE_MANAGED',
        Capabilities: stackSet.Capabilities as 'CAPABILITY_NAMED_IAM'[],
        AutoDeployment: stackSet.AutoDeployment,
        Parameters: resolvedParameters(organization),
      }),
    );
    await cloudFormation.send(
      new CreateStackInstancesCommand({
        StackSetName: stackSet.StackSetName,
        DeploymentTargets: {
          OrganizationalUnitIds: ['Workloads', 'Sandbox'].map((name) => {
            const id = organization.organizationalUnits[name];
            if (id === undefined) throw new Error(`The seeded organization has no OU ${name}`);
            return id;
          }),
        },
        Regions: ['us-east-1'],
      }),
    );
    cloudFormation.destroy();
  });

  it('creates one stack instance per account of the target OUs', async () => {
    // Act
    const cloudFormation = new CloudFormationClient(emulatorClientConfig(emulatorEndpoint()));
    const instances = await cloudFormation.send(new ListStackInstancesCommand({ StackSetName: stackSet.StackSetName }));
    cloudFormation.destroy();

    // Assess
    expect((instances.Summaries ?? []).map((summary) => summary.Account).sort()).toEqual(
      organization.members.map((member) => member.accountId).sort(),
    );
  });

  it('puts the responder role, trusting the central function, into every member account', async () => {
    for (const member of organization.members) {
      // Act
      const trust = JSON.parse((await responderRoleIn(member.accountId)) ?? '{}') as {
        Statement: { Principal: unknown; Condition: unknown }[];
      };

      // Assess: to assume it, and to set the session's source identity (its finding), on the same conditions.
      const trusted = {
        Principal: { AWS: `arn:aws:iam::${organization.centralAccountId}:root` },
        Condition: {
          StringEquals: {
            'aws:PrincipalArn': `arn:aws:iam::${organization.centralAccountId}:role/CryptominerCentralResponder`,
            'aws:PrincipalOrgID': organization.organizationId,
          },
        },
      };
      // AssumeRole, and the finding as the session's SourceIdentity (decision 0015), on the same conditions.
      expect(trust.Statement).toEqual([
        expect.objectContaining({ ...trusted, Action: 'sts:AssumeRole' }),
        expect.objectContaining({ ...trusted, Action: 'sts:SetSourceIdentity' }),
      ]);
    }
  });

  it('leaves the accounts outside the target OUs alone (the plain stack covers those)', async () => {
    expect(await responderRoleIn(organization.centralAccountId)).toBeUndefined();
    expect(await responderRoleIn(organization.managementAccountId)).toBeUndefined();
  });
});
