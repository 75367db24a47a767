import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { centralAccountActions, memberAccountActions } from '@cryptominer-defense/core';
import {
  assumedRoleIdentity,
  autoScalingServiceIdentity,
  createAutoScalingGroupRecord,
  EMULATOR_CREDENTIALS,
  emulatorClientConfig,
  guardDutyFindingEvent,
  iamUserIdentity,
  runInstancesRecord,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), { regions: ['us-east-1'] });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('the step registry (responseSteps.ts), from which the roles are derived', () => {
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
    });
    world.recorder.clear();

    // Act
    for (const instanceId of [inGroup.instanceId, layout.standaloneInstance.instanceId]) {
      await responder.handle(guardDutyFindingEvent({ accountId: member.accountId, region, instanceId }));
    }

    // Assess
    // The only error: a first delivery finds no state of its finding (NoSuchKey, thanks to s3:ListBucket).
    expect(
      world.recorder.calls.filter(
        (call) => call.outcome !== 'ok' && !(call.outcome === 'NoSuchKey' && call.action === 's3:GetObject'),
      ),
    ).toEqual([]);
    expect(world.recorder.actions()).toEqual([...memberAccountActions(), ...centralAccountActions()].sort());
    expect(world.recorder.actions({ accountId: member.accountId })).toEqual(memberAccountActions());
  });
});
