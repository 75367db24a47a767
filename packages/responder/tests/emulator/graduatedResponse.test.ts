import { CreateTagsCommand, DescribeInstanceAttributeCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import type { ResponseMode } from '@cryptominer-defense/core';
import { guardDutyFindingEvent, iamUserIdentity, runInstancesRecord } from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolationGroups, networkInterfacesInGroup } from '../support/networkInterfaceGroups';
import { reported } from '../support/reported';
import { type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;
const region = 'us-east-1';
const FULL_TAG = { Key: 'cryptominer-response', Value: 'full' };
const APPROVAL_TAG = { Key: 'cryptominer-approval', Value: 'yes' };

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), { regions: [region] });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

/**
 * The policy under test: Sandbox OU observes, workload-a contains, a tag asks for the full response, another for
 * approval.
 */
function policy(): string {
  return JSON.stringify({
    default: 'full',
    rules: [
      { organizationalUnit: world.organization.organizationalUnits.Sandbox, mode: 'observe' },
      { account: world.organization.member('workload-a').accountId, mode: 'contain' },
      { tag: { key: FULL_TAG.Key, value: FULL_TAG.Value }, mode: 'full' },
      { tag: { key: APPROVAL_TAG.Key, value: APPROVAL_TAG.Value }, mode: 'approval' },
    ],
  });
}

interface PolicyCase {
  readonly name: string;
  readonly member: 'workload-a' | 'workload-b';
  readonly instance: 'standaloneInstance' | 'multiEniInstance' | 'secondVpcInstance';
  readonly launcher: 'developer' | 'ciDeployer' | null;
  readonly tagged: null | typeof FULL_TAG | typeof APPROVAL_TAG;
  readonly sample: boolean;
  readonly mode: ResponseMode;
  readonly because: string;
}

const CASES: readonly PolicyCase[] = [
  {
    name: 'an account of the Sandbox OU: observe',
    member: 'workload-b',
    instance: 'standaloneInstance',
    launcher: 'developer',
    tagged: null,
    sample: false,
    mode: 'observe',
    because: 'organizational unit',
  },
  {
    name: 'workload-a by its account rule: contain',
    member: 'workload-a',
    instance: 'standaloneInstance',
    launcher: 'ciDeployer',
    tagged: null,
    sample: false,
    mode: 'contain',
    because: 'account',
  },
  {
    name: 'an instance tagged for the full response, in workload-a: full (the tag wins)',
    member: 'workload-a',
    instance: 'multiEniInstance',
    launcher: 'developer',
    tagged: FULL_TAG,
    sample: false,
    mode: 'full',
    because: 'tag cryptominer-response=full',
  },
  {
    name: 'an instance tagged for approval, in workload-a: approval (contained, the stop and the freeze wait)',
    member: 'workload-a',
    instance: 'secondVpcInstance',
    launcher: 'ciDeployer',
    tagged: APPROVAL_TAG,
    sample: false,
    mode: 'approval',
    because: 'tag cryptominer-approval=yes: approval (raised from account',
  },
  {
    name: 'a GuardDuty sample finding on that same kind of instance: observe, no AWS call',
    member: 'workload-b',
    instance: 'multiEniInstance',
    launcher: null,
    tagged: FULL_TAG,
    sample: true,
    mode: 'observe',
    because: 'sample',
  },
];

describe('the graduated response (RESPONSE_POLICY), against the emulator', () => {
  it.each(CASES)('$name', async (policyCase) => {
    // Prepare
    const member = world.organization.member(policyCase.member);
    const layout = member.inRegion(region);
    const target = layout[policyCase.instance];
    const clients = await world.clientsOf(member.accountId, region);
    if (policyCase.tagged !== null) {
      await clients.ec2.send(new CreateTagsCommand({ Resources: [target.instanceId], Tags: [policyCase.tagged] }));
    }
    const launcher = policyCase.launcher === null ? null : member.identities[policyCase.launcher];
    if (launcher !== null) {
      world.cloudTrail.addRecords(
        runInstancesRecord({
          identity: iamUserIdentity({ accountId: member.accountId, userName: launcher.userName }),
          region,
          instanceIds: [target.instanceId],
        }),
      );
    }
    const event = guardDutyFindingEvent({
      accountId: member.accountId,
      region,
      instanceId: target.instanceId,
      sample: policyCase.sample,
    });
    const responder = world.createResponder({ RESPONSE_POLICY: policy() });
    world.recorder.clear();

    // Act
    const handled = reported(await responder.handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect(report.responseMode.mode).toBe(policyCase.mode);
    expect(report.responseMode.reason).toContain(policyCase.because);
    const acts = policyCase.mode !== 'observe';
    const network = policyCase.instance === 'secondVpcInstance' ? layout.secondaryNetwork : layout.primaryNetwork;
    const isolation = (await isolationGroups(clients.ec2)).find((group) => group.VpcId === network.vpcId);
    const onOriginalGroup = await networkInterfacesInGroup(clients.ec2, network.securityGroupId);
    for (const eni of target.networkInterfaceIds) {
      expect(onOriginalGroup.includes(eni)).toBe(!acts);
      if (acts) expect(await networkInterfacesInGroup(clients.ec2, isolation?.GroupId ?? '')).toContain(eni);
    }
    const described = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [target.instanceId] }));
    expect(described.Reservations?.[0]?.Instances?.[0]?.State?.Name).toBe(
      policyCase.mode === 'full' ? 'stopped' : 'running',
    );
    const protection = await clients.ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: target.instanceId, Attribute: 'disableApiTermination' }),
    );
    expect(protection.DisableApiTermination?.Value).toBe(acts);
    if (launcher !== null) {
      const keys = await clients.iam.send(new ListAccessKeysCommand({ UserName: launcher.userName }));
      const expected = policyCase.mode === 'full' ? 'Inactive' : 'Active';
      expect(keys.AccessKeyMetadata?.map((key) => key.Status)).toEqual(launcher.accessKeyIds.map(() => expected));
    }
    // What the mode held back is in the report, with what it would have done.
    const heldBack = report.steps.filter((record) => record.status === 'skipped' && record.wouldDo !== undefined);
    const expectedHeldBack = {
      observe: policyCase.sample
        ? [
            'verifyOrganizationMembership',
            'assumeResponderRole',
            'isolateNetworkInterfaces',
            'denyInNetworkAcls',
            'revokeInstanceCredentials',
            'disableAutoScalingGroup',
            'preserveEvidence',
            'liftStopProtection',
            'stopInstance',
            'attributeLaunch',
            'freezeUser',
          ]
        : [
            'isolateNetworkInterfaces',
            'denyInNetworkAcls',
            'revokeInstanceCredentials',
            'preserveEvidence',
            'liftStopProtection',
            'stopInstance',
            'freezeUser',
          ],
      contain: ['liftStopProtection', 'stopInstance', 'freezeUser'],
      approval: ['liftStopProtection', 'stopInstance', 'freezeUser'],
      full: [],
    }[policyCase.mode];
    expect(heldBack.map((record) => record.step)).toEqual(expectedHeldBack);
    for (const record of heldBack) expect(record).toMatchObject({ wouldDo: expect.stringMatching(/\w+/) });
    if (policyCase.sample) expect(world.recorder.actions({ accountId: member.accountId })).toEqual([]);
    if (policyCase.mode === 'observe') {
      const writes = world.recorder
        .actions({ accountId: member.accountId })
        .filter((action) => !/:(Describe|List|Get|Lookup)/.test(action));
      expect(writes).toEqual([]);
    }
    expect(report.response.manualInterventionRequired).toBe(!policyCase.sample && policyCase.mode !== 'full');
    // Only approval waits for a person's decision, and says on what.
    expect(report.approval?.pendingSteps.map((step) => step.step) ?? null).toEqual(
      policyCase.mode === 'approval' ? expectedHeldBack : null,
    );
  });
});
