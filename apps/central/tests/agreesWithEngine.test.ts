import {
  ISOLATION_GROUP_TAG as ENGINE_TAG,
  parseConfiguration,
  parseInvocationSources,
} from '@cryptominer-defense/core';
import { ISOLATION_GROUP_TAG as ROLE_TAG } from '@cryptominer-defense/member-role';
import { describe, expect, it } from 'vitest';
import { onlyResource, synthesizeCentralApp } from './helpers/synthesizeCentralApp';

describe('the infrastructure agrees with the engine', () => {
  it('lets the member role set exactly the tag the engine puts on isolation groups', () => {
    expect({ key: ROLE_TAG.key, value: ROLE_TAG.value }).toEqual({ key: ENGINE_TAG.Key, value: ENGINE_TAG.Value });
  });

  it("gives the function an environment the engine's configuration parser accepts, observing by default", () => {
    // Prepare: the values CloudFormation puts in place of the references, for a deployment in us-east-1 with the
    // parameters' defaults.
    const { central } = synthesizeCentralApp();
    const parameters = (central.toJSON() as { Parameters: Record<string, { Default?: string }> }).Parameters;
    const variables = onlyResource(central, 'AWS::Lambda::Function').Properties.Environment as {
      Variables: Record<string, unknown>;
    };
    const deployed: Record<string, string> = {
      'Ref:IncidentReportsBucket05FD0E57': 'cryptominercentral-incidentreportsbucket-1a2b3c',
      'GetAtt:IncidentKey923A2DF4.Arn': 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'Ref:ResponderRoleName': 'CryptominerResponderRole',
      'Ref:IsolationSecurityGroupName': 'CryptominerIsolationGroup',
      'Ref:ProtectedPrincipals': 'arn:aws:iam::*:role/BreakGlass*',
      'Ref:DeploymentPrincipals': 'arn:aws:iam::*:role/GitHubActions*',
      // CloudFormation hands a Number parameter to the environment as its text.
      'Ref:LaunchAgeThresholdHours': '48',
      'Ref:MaxFollowedInstances': '10',
      'Ref:AlertsTopicCF7C81C9': 'arn:aws:sns:us-east-1:111111111111:CryptominerCentral-AlertsTopic-1A2B3C',
      // Number parameters reach the environment as their text.
      'Ref:ContainmentCapPerAccountPerHour': '10',
      'Ref:ContainmentCapPerOrganizationPerHour': '50',
      'Ref:ChatAlertsTopicA79D15B4': 'arn:aws:sns:us-east-1:111111111111:CryptominerCentral-ChatAlertsTopic-4D5E6F',
      'GetAtt:FindingsQueue83676D52.Arn': 'arn:aws:sqs:us-east-1:111111111111:CryptominerCentral-FindingsQueue-1A2B3C',
      'Ref:ResponsePolicy': parameters.ResponsePolicy?.Default ?? '',
      'Ref:SecurityHubUpdates': parameters.SecurityHubUpdates?.Default ?? '',
    };
    const env = Object.fromEntries(
      Object.entries(variables.Variables).map(([name, value]) => {
        if (typeof value === 'string') return [name, value];
        const reference = value as { Ref?: string; 'Fn::GetAtt'?: string[] };
        const key = reference.Ref ? `Ref:${reference.Ref}` : `GetAtt:${reference['Fn::GetAtt']?.join('.')}`;
        const resolved = deployed[key];
        if (resolved === undefined) throw new Error(`The test does not know what ${key} resolves to`);
        return [name, resolved];
      }),
    );

    // Act: Lambda sets AWS_REGION itself.
    const configuration = parseConfiguration({ ...env, AWS_REGION: 'us-east-1' });
    const sources = parseInvocationSources(env);

    // Assess
    expect(configuration).toMatchObject({
      reportBucket: 'cryptominercentral-incidentreportsbucket-1a2b3c',
      responderRoleName: 'CryptominerResponderRole',
      isolationSecurityGroupName: 'CryptominerIsolationGroup',
      protectedPrincipalPatterns: ['arn:aws:iam::*:role/BreakGlass*'],
      deploymentPrincipalPatterns: ['arn:aws:iam::*:role/GitHubActions*'],
      launchAgeThresholdHours: 48,
      maxFollowedInstances: 10,
      alertTopicArn: 'arn:aws:sns:us-east-1:111111111111:CryptominerCentral-AlertsTopic-1A2B3C',
      chatAlertTopicArn: 'arn:aws:sns:us-east-1:111111111111:CryptominerCentral-ChatAlertsTopic-4D5E6F',
      // Observe first (issue 16): a new deployment changes nothing until the policy is widened.
      responsePolicy: { default: 'observe', rules: [] },
      containmentCap: { perAccountPerHour: 10, perOrganizationPerHour: 50 },
      // Security Hub is told by default in a deployment (decision 0024).
      securityHubUpdates: true,
    });
    // The deployed handler takes its own queue's records only, and no bare event.
    expect(sources).toEqual({
      findingQueueArn: 'arn:aws:sqs:us-east-1:111111111111:CryptominerCentral-FindingsQueue-1A2B3C',
      allowDirectInvocation: false,
    });
  });
});
