import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { centralAccountActions, memberAccountActions } from '@cryptominer-defense/core';
import {
  actionsNeedingPermission,
  applyEnvironment,
  assumedRoleIdentity,
  autoScalingServiceIdentity,
  createAutoScalingGroupRecord,
  EMULATOR_CREDENTIALS,
  emulatorClientConfig,
  guardDutyFindingEvent,
  guardDutyLambdaFindingEvent,
  iamUserIdentity,
  launchInstance,
  runInstancesRecord,
  type SecurityHubFake,
  seedInstanceProfile,
  seedLambdaFunction,
  startSecurityHubFake,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorFaults } from '../support/emulatorFaults';
import { type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;
let securityHub: SecurityHubFake;
let restore: () => void;

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), { regions: ['us-east-1'] });
  // Every step runs, Security Hub's too: its fake answers BatchUpdateFindings and hands the import to moto.
  securityHub = await startSecurityHubFake({ emulatorEndpoint: emulatorEndpoint() });
  restore = applyEnvironment({ AWS_ENDPOINT_URL_SECURITYHUB: securityHub.endpoint });
}, 120_000);

afterAll(async () => {
  restore?.();
  await securityHub?.stop();
  await world?.close();
});

describe('the step registry (responseSteps.ts), from which the roles are derived', () => {
  const faults = emulatorFaults(() => world.endpoint);

  afterAll(() => faults.stop());

  it('lists exactly the actions the engine calls when every step runs: none missing, none extra', async () => {
    // Prepare
    const member = world.organization.member('workload-a');
    const region = 'us-east-1';
    const layout = member.inRegion(region);
    const [inGroup] = layout.autoScalingGroup.instances;
    if (inGroup === undefined) throw new Error('the seeder launched no Auto Scaling instance');
    const developer = iamUserIdentity({ accountId: member.accountId, userName: member.identities.developer.userName });
    world.cloudTrail.addRecords(
      // Auto Scaling launched it; the developer created the group: the trace leads to the developer.
      createAutoScalingGroupRecord({
        identity: developer,
        region,
        autoScalingGroupName: layout.autoScalingGroup.autoScalingGroupName,
      }),
      runInstancesRecord({
        identity: autoScalingServiceIdentity({ accountId: member.accountId }),
        region,
        instanceIds: [inGroup.instanceId],
        autoScalingGroupName: layout.autoScalingGroup.autoScalingGroupName,
        launchTemplateId: layout.autoScalingGroup.launchTemplateId,
      }),
      runInstancesRecord({
        identity: assumedRoleIdentity({
          accountId: member.accountId,
          roleName: member.identities.appDeployRole.roleName,
          sessionName: 'ci',
        }),
        region,
        instanceIds: [layout.standaloneInstance.instanceId],
      }),
    );
    const sns = new SNSClient(emulatorClientConfig(world.endpoint, { credentials: EMULATOR_CREDENTIALS }));
    const topic = await sns.send(new CreateTopicCommand({ Name: 'incidents' }));
    sns.destroy();
    // An OU rule that matches nothing: the OUs are read (ListParents), the default (full) applies.
    const policy = { rules: [{ organizationalUnit: 'ou-zzzz-99999999', mode: 'observe' }] };
    const responder = world.createResponder({
      ALERT_TOPIC_ARN: topic.TopicArn ?? '',
      RESPONSE_POLICY: JSON.stringify(policy),
      SECURITY_HUB_UPDATES: 'on',
    });

    // Two more instances of the primary VPC, for the fallback of a failed isolation: the first cannot leave the
    // all-open group (its two moves off it refused), which is then emptied; the second finds it emptied with an ENI
    // on it and goes through a new one.
    const clients = await world.clientsOf(member.accountId, region);
    const [stuck, next] = await Promise.all(
      ['stuck', 'next'].map((name) =>
        launchInstance(clients.ec2, {
          subnetId: layout.primaryNetwork.subnetIds[0],
          securityGroupIds: [layout.primaryNetwork.securityGroupId],
          name,
        }),
      ),
    );
    // A Lambda function that mines (created only): its finding throttles it (lambdaThrottle.test.ts in detail).
    const { functionName } = await seedLambdaFunction(clients, { functionName: 'least-privilege-miner' });
    // The standalone instance has an instance role: its own credentials are denied (instanceCredentials in release).
    await seedInstanceProfile(clients.iam, clients.ec2, {
      name: 'LeastPrivilegeApp',
      instanceIds: [layout.standaloneInstance.instanceId],
    });
    const proxy = await faults.start([
      { service: 'ec2', operation: 'ModifyNetworkInterfaceAttribute', fault: 'accessDenied', onCalls: [2, 3] },
    ]);
    world.recorder.clear();
    const finding = (instanceId: string) => guardDutyFindingEvent({ accountId: member.accountId, region, instanceId });

    // Act
    for (const instanceId of [inGroup.instanceId, layout.standaloneInstance.instanceId]) {
      await responder.handle(finding(instanceId));
    }
    await world.createResponder({ AWS_ENDPOINT_URL: proxy.endpoint }).handle(finding(stuck?.instanceId ?? ''));
    await world.createResponder().handle(finding(next?.instanceId ?? ''));
    await responder.handle(guardDutyLambdaFindingEvent({ accountId: member.accountId, region, functionName }));

    // Assess
    // The only errors: a first delivery finds no state of its finding (NoSuchKey, thanks to s3:ListBucket), and the
    // two refused moves.
    expect(
      world.recorder.calls.filter(
        (call) =>
          call.outcome !== 'ok' &&
          !(call.outcome === 'NoSuchKey' && call.action === 's3:GetObject') &&
          !(call.outcome === 'UnauthorizedOperation' && call.action === 'ec2:ModifyNetworkInterfaceAttribute'),
      ),
    ).toHaveLength(0);
    // GetCallerIdentity (Security Hub's account id, once per container) needs no permission and none can deny it.
    const needingPermission = actionsNeedingPermission(world.recorder.actions());
    expect(needingPermission).toEqual([...memberAccountActions(), ...centralAccountActions()].sort());
    expect(world.recorder.actions({ accountId: member.accountId })).toEqual(memberAccountActions());
  });
});
