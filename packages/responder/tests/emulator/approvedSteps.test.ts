import { DescribeInstancesCommand, ModifyInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { approvalActions, type IncidentReport } from '@cryptominer-defense/core';
import {
  AWS_DENY_ALL_ARN,
  assumedRoleIdentity,
  guardDutyFindingEvent,
  iamUserIdentity,
  runInstancesRecord,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApprovedSteps } from '../../src/approval/runApprovedSteps';
import { reported } from '../support/reported';
import { type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;
const region = 'us-east-1';
const APPROVAL = { RESPONSE_POLICY: JSON.stringify({ default: 'approval', rules: [] }) };

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), { regions: [region] });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('runApprovedSteps: what cli approve runs with the operator credentials', () => {
  it('stops (lifting stop protection) and freezes users and roles with exactly the actions approvalActions() names', async () => {
    // Prepare: one instance launched by a user, with stop protection on; one launched by a role.
    const member = world.organization.member('workload-a');
    const { accountId } = member;
    const layout = member.inRegion(region);
    const clients = await world.clientsOf(accountId, region);
    const byUser = layout.standaloneInstance.instanceId;
    const byRole = layout.multiEniInstance.instanceId;
    await clients.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: byUser, DisableApiStop: { Value: true } }));
    world.cloudTrail.addRecords(
      runInstancesRecord({
        identity: iamUserIdentity({ accountId, userName: 'developer' }),
        region,
        instanceIds: [byUser],
      }),
      runInstancesRecord({
        identity: assumedRoleIdentity({ accountId, roleName: 'AppDeployRole', sessionName: 'attacker' }),
        region,
        instanceIds: [byRole],
      }),
    );
    const responder = world.createResponder(APPROVAL);
    const reports: IncidentReport[] = [];
    for (const instanceId of [byUser, byRole]) {
      const handled = reported(await responder.handle(guardDutyFindingEvent({ accountId, region, instanceId })));
      reports.push(await world.readReport(handled.key));
    }
    // The operator's clients, recorded as the responder's are.
    const hook = world.recorder.hook({ accountId, region });
    hook(clients.ec2);
    hook(clients.iam);
    world.recorder.clear();

    // Act
    const outcomes = [];
    for (const report of reports) {
      outcomes.push(
        await runApprovedSteps({ ec2: clients.ec2, iam: clients.iam }, report, {
          protection: { responderRoleName: 'CryptominerResponderRole', patterns: [] },
          hibernate: false,
        }),
      );
    }

    // Assess
    expect(reports.map((report) => report.approval?.pendingSteps.map((step) => step.step))).toEqual([
      ['liftStopProtection', 'stopInstance', 'freezeUser'],
      ['liftStopProtection', 'stopInstance', 'freezeRole'],
    ]);
    expect(outcomes.flatMap((outcome) => outcome.records).filter((record) => record.status === 'failed')).toEqual([]);
    expect(world.recorder.actions({ accountId })).toEqual(approvalActions());
    const described = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [byUser, byRole] }));
    const states = described.Reservations?.flatMap((reservation) => reservation.Instances ?? []).map(
      (instance) => instance.State?.Name,
    );
    expect(states).toEqual([
      expect.stringMatching(/^(stopping|stopped)$/),
      expect.stringMatching(/^(stopping|stopped)$/),
    ]);
    expect(outcomes[0]?.undo.stopProtection).toMatchObject({
      previousDisableApiStop: true,
      stopProtectionLifted: true,
    });
    expect(outcomes[0]?.undo.user?.userArn).toBe(`arn:aws:iam::${accountId}:user/developer`);
    const attached = await clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'AppDeployRole' }));
    expect(attached.AttachedPolicies?.map((policy) => policy.PolicyArn)).toContain(AWS_DENY_ALL_ARN);
  });
});
