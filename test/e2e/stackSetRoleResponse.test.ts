import { Writable } from 'node:stream';
import {
  CloudFormationClient,
  CreateStackInstancesCommand,
  CreateStackSetCommand,
  type Parameter,
} from '@aws-sdk/client-cloudformation';
import { DescribeInstancesCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { synthesizeTemplates } from '@cryptominer-defense/central';
import { createResponder, type FindingHandled, jsonLinesLogger } from '@cryptominer-defense/responder';
import {
  AwsActionRecorder,
  accountClients,
  actionsNeedingPermission,
  applyEnvironment,
  assumedRoleIdentity,
  authorizedRequestsOf,
  type CloudTrailFake,
  clientConfigForAccount,
  EMULATOR_CREDENTIALS,
  emulatorClientConfig,
  emulatorEnvironment,
  guardDutyFindingEvent,
  iamUserIdentity,
  launchInstance,
  managedPolicyDocument,
  parsePolicyDocument,
  type AwsActionRecorder as Recorder,
  runInstancesRecord,
  type SecurityHubFake,
  type SeededOrganization,
  seedInstanceProfile,
  seedOrganization,
  startCloudTrailFake,
  startFaultInjectingProxy,
  startSecurityHubFake,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeployedPolicies, deployedPolicies } from './support/deployedPolicies';

// The central app as deployed: its templates, synthesized without bundling.
const templates = synthesizeTemplates({ homeRegion: 'us-east-1', forwardedRegions: [], account: undefined });
const REGION = 'us-east-1';
const REPORT_BUCKET = 'central-incident-reports';

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
interface Statement {
  Effect: string;
  Action: string | string[];
}

function resourcesOf(stackName: string, type: string): Resource[] {
  const template = templates[stackName] as { Resources: Record<string, Resource> };
  return Object.values(template.Resources).filter((resource) => resource.Type === type);
}

function allowedActions(statements: readonly Statement[]): string[] {
  const actions = statements.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat());
  return [...new Set(actions)].sort();
}

/** A role's inline policy document as IAM (or moto) returns it. */
function statementsOf(document: string | undefined): Statement[] {
  return (parsePolicyDocument(document) as { Statement: Statement[] }).Statement;
}

let organization: SeededOrganization;
let cloudTrail: CloudTrailFake;
let securityHub: SecurityHubFake;
let recorder: Recorder;
let restoreEnvironment: () => void;
let handled: FindingHandled[] = [];
const fallbackHandled: FindingHandled[] = [];
let alertTopicArn = '';
let chatAlertTopicArn = '';
let deployed: DeployedPolicies;
const logLines: string[] = [];

async function deployMemberRoleStackSet(org: SeededOrganization): Promise<void> {
  const [stackSet] = resourcesOf('CryptominerCentral', 'AWS::CloudFormation::StackSet');
  if (stackSet === undefined) throw new Error('The central template has no StackSet');
  const properties = stackSet.Properties as {
    StackSetName: string;
    TemplateBody: string;
    Parameters: { ParameterKey: string; ParameterValue: unknown }[];
  };
  const references: Record<string, string> = {
    'AWS::AccountId': org.centralAccountId,
    OrganizationId: org.organizationId,
    ResponderRoleName: 'CryptominerResponderRole',
  };
  const parameters: Parameter[] = properties.Parameters.map(({ ParameterKey, ParameterValue }) => ({
    ParameterKey,
    ParameterValue:
      typeof ParameterValue === 'string' ? ParameterValue : references[(ParameterValue as { Ref: string }).Ref],
  }));
  const cloudFormation = new CloudFormationClient(emulatorClientConfig(emulatorEndpoint()));
  await cloudFormation.send(
    new CreateStackSetCommand({
      StackSetName: properties.StackSetName,
      TemplateBody: properties.TemplateBody,
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Parameters: parameters,
    }),
  );
  await cloudFormation.send(
    new CreateStackInstancesCommand({
      StackSetName: properties.StackSetName,
      DeploymentTargets: { OrganizationalUnitIds: Object.values(org.organizationalUnits) },
      Regions: [REGION],
    }),
  );
  cloudFormation.destroy();
}

beforeAll(async () => {
  // Prepare: an organization whose member roles come from the central app's StackSet (the seeder's stand-in
  // responder role gets another name, so that the engine can only use the role the StackSet created).
  const endpoint = emulatorEndpoint();
  organization = await seedOrganization(endpoint, {
    regions: [REGION],
    responderRoleName: 'SeededStandInResponderRole',
    // The StackSet creates the instance-credential deny policy too.
    seedMemberStackResources: false,
  });
  await deployMemberRoleStackSet(organization);
  const s3 = new S3Client(emulatorClientConfig(endpoint));
  await s3.send(new CreateBucketCommand({ Bucket: REPORT_BUCKET }));
  s3.destroy();
  const sns = new SNSClient(emulatorClientConfig(endpoint));
  const topic = await sns.send(new CreateTopicCommand({ Name: 'incidents' }));
  alertTopicArn = topic.TopicArn ?? '';
  chatAlertTopicArn = (await sns.send(new CreateTopicCommand({ Name: 'incidents-chat' }))).TopicArn ?? '';
  sns.destroy();
  cloudTrail = await startCloudTrailFake({ emulatorEndpoint: endpoint });
  securityHub = await startSecurityHubFake({ emulatorEndpoint: endpoint });
  // The policies as deployed (central stack, member role in each account); in the emulator the central side acts
  // as the management account, in AWS as the delegated-admin account the templates are deployed in.
  deployed = deployedPolicies(templates, {
    organizationId: organization.organizationId,
    managementAccountId: organization.managementAccountId,
    centralAccountId: organization.centralAccountId,
    memberAccountIds: organization.members.map((account) => account.accountId),
    homeRegion: REGION,
    reportBucket: REPORT_BUCKET,
    alertTopicArn,
    chatAlertTopicArn,
  });
  const env = {
    ...emulatorEnvironment({
      endpoint,
      cloudTrailEndpoint: cloudTrail.endpoint,
      securityHubEndpoint: securityHub.endpoint,
      credentials: EMULATOR_CREDENTIALS,
    }),
    REPORT_BUCKET,
    // As the stack configures the function by default: Security Hub is told of each incident.
    SECURITY_HUB_UPDATES: 'on',
    // As the stack configures the function: reports are written with the incident key.
    REPORT_KMS_KEY_ID: deployed.incidentKeyArn,
    ALERT_TOPIC_ARN: topic.TopicArn ?? '',
    CHAT_ALERT_TOPIC_ARN: chatAlertTopicArn,
    // An OU rule (choosing the default mode) makes the engine read the account's OUs, so that the OU lookup is
    // part of the measured set of central calls below.
    RESPONSE_POLICY: JSON.stringify({
      default: 'full',
      rules: Object.values(organization.organizationalUnits).map((ou) => ({ organizationalUnit: ou, mode: 'full' })),
    }),
  };
  restoreEnvironment = applyEnvironment(env);

  const member = organization.member('workload-a');
  const layout = member.inRegion(REGION);
  const [inGroup] = layout.autoScalingGroup.instances;
  if (inGroup === undefined) throw new Error('the seeder launched no Auto Scaling instance');
  cloudTrail.addRecords(
    runInstancesRecord({
      identity: iamUserIdentity({ accountId: member.accountId, userName: member.identities.developer.userName }),
      region: REGION,
      instanceIds: [layout.standaloneInstance.instanceId],
    }),
    runInstancesRecord({
      identity: assumedRoleIdentity({
        accountId: member.accountId,
        roleName: member.identities.appDeployRole.roleName,
        sessionName: 'ci',
      }),
      region: REGION,
      instanceIds: [inGroup.instanceId],
    }),
  );
  // The standalone instance has an instance role: its own credentials are denied too.
  const memberClients = await accountClients(endpoint, member.accountId, REGION);
  await seedInstanceProfile(memberClients.iam, memberClients.ec2, {
    name: 'StackSetApp',
    instanceIds: [layout.standaloneInstance.instanceId],
  });
  memberClients.destroy();
  recorder = new AwsActionRecorder();
  const responder = createResponder({
    env,
    logger: jsonLinesLogger(
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString('utf8'));
          done();
        },
      }),
    ),
    configureClient: recorder.hook(),
  });

  // Act: the two responses exercise every step (an Auto Scaling instance launched by a role; a standalone instance
  // launched by a user).
  try {
    handled = [];
    for (const instanceId of [layout.standaloneInstance.instanceId, inGroup.instanceId]) {
      handled.push(
        await responder.handle(guardDutyFindingEvent({ accountId: member.accountId, region: REGION, instanceId })),
      );
    }
  } finally {
    responder.destroy();
  }
  await respondWithIsolationFallback(env, member.accountId, layout);
}, 180_000);

/**
 * Two more responses in the primary VPC, so that the fallback of a failed isolation is called and evaluated too:
 * the first instance cannot leave the all-open group (its two moves off it refused by the fault proxy), which is
 * then emptied; the second finds that group emptied with an ENI on it, and goes through a new one.
 */
async function respondWithIsolationFallback(
  env: Record<string, string>,
  accountId: string,
  layout: ReturnType<SeededOrganization['members'][number]['inRegion']>,
): Promise<void> {
  const seeder = new EC2Client(await clientConfigForAccount(emulatorEndpoint(), accountId, { region: REGION }));
  const [stuck, next] = await Promise.all(
    ['stuck', 'next'].map((name) =>
      launchInstance(seeder, {
        subnetId: layout.primaryNetwork.subnetIds[0],
        securityGroupIds: [layout.primaryNetwork.securityGroupId],
        name,
      }),
    ),
  );
  seeder.destroy();
  const proxy = await startFaultInjectingProxy({
    target: emulatorEndpoint(),
    rules: [{ service: 'ec2', operation: 'ModifyNetworkInterfaceAttribute', fault: 'accessDenied', onCalls: [2, 3] }],
  });
  const endpointBefore = process.env.AWS_ENDPOINT_URL;
  try {
    for (const instance of [stuck, next]) {
      // The SDK reads the endpoint from the process environment: the first response goes through the proxy.
      process.env.AWS_ENDPOINT_URL = instance === stuck ? proxy.endpoint : endpointBefore;
      const responder = createResponder({
        env: { ...env, AWS_ENDPOINT_URL: process.env.AWS_ENDPOINT_URL ?? '' },
        logger: jsonLinesLogger(new Writable({ write: (_chunk, _encoding, done) => done() })),
        configureClient: recorder.hook(),
      });
      try {
        fallbackHandled.push(
          await responder.handle(
            guardDutyFindingEvent({ accountId, region: REGION, instanceId: instance?.instanceId ?? '' }),
          ),
        );
      } finally {
        responder.destroy();
      }
    }
  } finally {
    process.env.AWS_ENDPOINT_URL = endpointBefore;
    await proxy.stop();
  }
}

afterAll(async () => {
  await cloudTrail?.stop();
  await securityHub?.stop();
  restoreEnvironment?.();
});

describe('a response through the member role the central StackSet deployed', () => {
  it('finds the responder role created by the StackSet, not by the seeder', async () => {
    // Prepare
    const member = organization.member('workload-a');
    const iam = new IAMClient(await clientConfigForAccount(emulatorEndpoint(), member.accountId));

    // Act
    const role = await iam.send(new GetRoleCommand({ RoleName: 'CryptominerResponderRole' }));
    iam.destroy();

    // Assess
    expect(role.Role?.MaxSessionDuration).toBe(3600);
    expect(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? '')).toContain(
      `arn:aws:iam::${organization.centralAccountId}:role/CryptominerCentralResponder`,
    );
  });

  it('contains, stops and freezes: the full response succeeded, with no failed call', async () => {
    // Prepare
    const member = organization.member('workload-a');
    const layout = member.inRegion(REGION);
    const config = await clientConfigForAccount(emulatorEndpoint(), member.accountId, { region: REGION });
    const ec2 = new EC2Client(config);
    const iam = new IAMClient(config);

    // Act
    const described = await ec2.send(
      new DescribeInstancesCommand({ InstanceIds: [layout.standaloneInstance.instanceId] }),
    );
    const keys = await iam.send(new ListAccessKeysCommand({ UserName: member.identities.developer.userName }));
    ec2.destroy();
    iam.destroy();

    // Assess
    expect(
      handled.map((outcome) => outcome.kind),
      logLines.join(''),
    ).toEqual(['reported', 'reported']);
    for (const outcome of handled) {
      if (outcome.kind !== 'reported') continue;
      expect(outcome.report.response).toMatchObject({
        networkIsolated: true,
        instanceStopped: true,
        actorFrozen: true,
        rootInvolved: false,
      });
      expect(outcome.report.steps.filter((step) => step.status === 'failed')).toEqual([]);
    }
    const [second] = handled.slice(1);
    expect(second?.kind === 'reported' && second.report.response.asgDisabled).toBe(true);
    expect(described.Reservations?.[0]?.Instances?.[0]?.State?.Name).toBe('stopped');
    expect((keys.AccessKeyMetadata ?? []).map((key) => key.Status)).toEqual(
      (keys.AccessKeyMetadata ?? []).map(() => 'Inactive'),
    );
    // The only calls allowed to fail: a first delivery reads the finding's state, and there is none yet; the two
    // moves the fault proxy refused (respondWithIsolationFallback).
    const firstDeliveryStateRead = (call: { action: string; outcome: string }) =>
      call.action === 's3:GetObject' && call.outcome === 'NoSuchKey';
    const refusedMove = (call: { action: string; outcome: string }) =>
      call.action === 'ec2:ModifyNetworkInterfaceAttribute' && call.outcome === 'UnauthorizedOperation';
    expect(
      recorder.calls.filter((call) => call.outcome !== 'ok' && !firstDeliveryStateRead(call) && !refusedMove(call)),
    ).toHaveLength(0);
    expect(recorder.calls.filter(refusedMove)).toHaveLength(2);
    const [stuck] = fallbackHandled;
    expect(stuck?.kind === 'reported' && stuck.report.steps).toContainEqual(
      expect.objectContaining({ action: 'closeConnectionCutGroup', status: 'succeeded' }),
    );
  });

  it("writes each report where the Athena table's partition projection looks for it", () => {
    // Prepare: the synthesized location template, e.g. s3://<bucket>/incidents/${account_id}/${aws_region}/${day}/
    const table = resourcesOf('CryptominerCentral', 'AWS::Glue::Table').find(
      (resource) => (resource.Properties.TableInput as { Name: string }).Name === 'incidents_by_account',
    );
    if (table === undefined) throw new Error('The central template has no incidents_by_account table');
    const parameters = (table.Properties.TableInput as { Parameters: Record<string, unknown> }).Parameters;
    const location = parameters['storage.location.template'] as { 'Fn::Join': [string, unknown[]] };
    const prefix = String(location['Fn::Join'][1].at(-1)).replace(/^\//, '');
    // The regions are a parameter (ProjectionRegions): as deployed with its default.
    const regionsRef = (parameters['projection.aws_region.values'] as { Ref: string }).Ref;
    const stackParameters = (templates.CryptominerCentral as { Parameters: Record<string, { Default?: string }> })
      .Parameters;
    const regions = String(stackParameters[regionsRef]?.Default).split(',');
    const placeholder = (key: string) => `\${${key}}`;
    const pattern = new RegExp(
      `^${prefix
        .replace(placeholder('account_id'), '\\d{12}')
        .replace(placeholder('aws_region'), `(${regions.join('|')})`)
        .replace(placeholder('day'), '\\d{4}/\\d{2}/\\d{2}')}[^/]+\\.json$`,
    );

    // Act
    const keys = handled.flatMap((outcome) => (outcome.kind === 'reported' ? [outcome.key] : []));

    // Assess
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key).toMatch(pattern);
  });

  it('called in the member account exactly the actions the deployed role grants: none missing, none extra', async () => {
    // Prepare
    const member = organization.member('workload-a');
    const iam = new IAMClient(await clientConfigForAccount(emulatorEndpoint(), member.accountId));
    const policy = await iam.send(
      new GetRolePolicyCommand({ RoleName: 'CryptominerResponderRole', PolicyName: 'CryptominerResponse' }),
    );
    // And the managed policy the stack attaches (what the inline one has no room for).
    const attached =
      (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'CryptominerResponderRole' })))
        .AttachedPolicies ?? [];
    const managedStatements: Statement[] = [];
    for (const { PolicyArn } of attached) {
      const document = (await managedPolicyDocument(iam, PolicyArn ?? '')) as { Statement: Statement[] };
      managedStatements.push(...document.Statement);
    }
    iam.destroy();
    const granted = allowedActions([...statementsOf(policy.PolicyDocument), ...managedStatements]);

    // Act
    const called = recorder.actions({ accountId: member.accountId });

    // Assess: the responses here are to instance findings; the Lambda throttle's grants are called (and the
    // registry checked against them) by packages/responder/tests/emulator/leastPrivilege.test.ts and lambdaThrottle.
    const lambdaOnly = (action: string) => action.startsWith('lambda:');
    expect(called).toEqual(granted.filter((action) => !lambdaOnly(action)));
    expect(granted.filter(lambdaOnly)).toEqual(['lambda:GetFunctionConcurrency', 'lambda:PutFunctionConcurrency']);
  });

  it("called in the central account exactly the engine actions the central function's role grants", () => {
    // Prepare
    const member = organization.member('workload-a');
    const [role] = resourcesOf('CryptominerCentral', 'AWS::IAM::Role').filter(
      (resource) => resource.Properties.RoleName === 'CryptominerCentralResponder',
    );
    const policies = (role?.Properties.Policies ?? []) as {
      PolicyName: string;
      PolicyDocument: { Statement: Statement[] };
    }[];
    const engineCalls = policies.find((policy) => policy.PolicyName === 'EngineCalls');

    // Act
    const called = [
      ...new Set(recorder.calls.filter((call) => call.accountId !== member.accountId).map((call) => call.action)),
    ].sort();

    // Assess: an AssumeRole with a SourceIdentity (a finding's session) is authorized as sts:SetSourceIdentity too.
    const setsSourceIdentity = recorder.calls.some(
      (call) =>
        call.action === 'sts:AssumeRole' &&
        typeof (call.input as { SourceIdentity?: unknown }).SourceIdentity === 'string',
    );
    expect(setsSourceIdentity).toBe(true);
    // sts:GetCallerIdentity (the account Security Hub's finding is imported under) is authorized by no policy.
    expect(called).toContain('sts:GetCallerIdentity');
    const authorized = actionsNeedingPermission(called);
    expect([...authorized, 'sts:SetSourceIdentity'].sort()).toEqual(
      allowedActions(engineCalls?.PolicyDocument.Statement ?? []),
    );
  });

  it('made only requests that the synthesized policies allow, evaluated with their resources and conditions', async () => {
    // Prepare
    const member = organization.member('workload-a');
    // The groups' tags as the emulator holds them: the responder tags a group only in the call that creates it.
    const ec2 = new EC2Client(await clientConfigForAccount(emulatorEndpoint(), member.accountId, { region: REGION }));
    const groups = await ec2.send(new DescribeSecurityGroupsCommand({}));
    ec2.destroy();
    const resourceTags = Object.fromEntries(
      (groups.SecurityGroups ?? []).map((group) => [
        group.GroupId ?? '',
        Object.fromEntries((group.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? ''])),
      ]),
    );
    const setting = {
      resourceTags,
      defaultAccountId: organization.centralAccountId,
      organizationId: organization.organizationId,
      managementAccountId: organization.managementAccountId,
      bucketKeys: { [REPORT_BUCKET]: deployed.incidentKeyArn },
      topicKeys: { [alertTopicArn]: deployed.incidentKeyArn, [chatAlertTopicArn]: deployed.incidentKeyArn },
    };
    // A first delivery's read of a state that is not there yet fails as in AWS, where it is just as allowed.
    const requests = recorder.calls
      .filter((call) => call.outcome === 'ok' || call.outcome === 'NoSuchKey')
      .flatMap((call) => authorizedRequestsOf(call, setting));

    // Act
    const denied: string[] = [];
    for (const request of requests) {
      const principal =
        request.call.accountId === member.accountId
          ? deployed.memberRoleArn(member.accountId)
          : deployed.centralFunctionRoleArn;
      const evaluation = await deployed.evaluator.evaluateRequest({ ...request, principal });
      if (!evaluation.allowed) denied.push(evaluation.summary);
    }

    // Assess
    expect(new Set(requests.map((request) => request.action)).size).toBeGreaterThanOrEqual(31);
    // Both alerts were published (and so evaluated): the plain text and the chat notification.
    const published = requests.filter((request) => request.action === 'sns:Publish').map((request) => request.resource);
    expect(new Set(published)).toEqual(new Set([alertTopicArn, chatAlertTopicArn]));
    expect(denied).toEqual([]);
  });
});
