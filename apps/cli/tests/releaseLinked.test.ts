import { linkedInstanceFindingId } from '@cryptominer-defense/core';
import { guardDutyFindingEvent, iamUserIdentity, runInstancesRecord } from '@cryptominer-defense/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccountState, readAccountState } from './support/accountState';
import { type CliWorld, startCliWorld } from './support/cliWorld';

const home = 'us-east-1';
const elsewhere = 'eu-west-1';
const ROLE = ['--role-name', 'OrganizationAccountAccessRole'];
let world: CliWorld;
let accountId: string;
let findingId: string;
let linkedId: string;
let otherInstanceId: string;
let before: Record<string, AccountState>;
let otherEnis: readonly string[];
let otherAfterResponse: AccountState;

/** What `cli release --json` prints: the incident's own plan (and record), and each linked incident's. */
interface ReleaseOutput {
  readonly findingId: string;
  readonly plan: { readonly steps: readonly { readonly decision: string }[] };
  readonly recordKey?: string | null;
  readonly linked: readonly {
    readonly findingId: string;
    readonly reportKey?: string;
    readonly plan?: { readonly steps: readonly { readonly decision: string }[] };
    readonly recordKey?: string | null;
  }[];
}

beforeAll(async () => {
  world = await startCliWorld({ regions: [home, elsewhere] });
  const member = world.organization.member('workload-a');
  accountId = member.accountId;
  const miner = member.inRegion(home).standaloneInstance;
  otherInstanceId = member.inRegion(elsewhere).standaloneInstance.instanceId;
  otherEnis = member.inRegion(elsewhere).standaloneInstance.networkInterfaceIds;
  // One user launched the miner with a finding and, in another region, one GuardDuty has no finding on.
  const identity = iamUserIdentity({ accountId, userName: 'developer' });
  world.cloudTrail.addRecords(
    runInstancesRecord({ identity, region: home, instanceIds: [miner.instanceId] }),
    runInstancesRecord({ identity, region: elsewhere, instanceIds: [otherInstanceId] }),
  );
  before = {
    [home]: await readAccountState(world.endpoint, accountId, home),
    [elsewhere]: await readAccountState(world.endpoint, accountId, elsewhere),
  };
  const event = guardDutyFindingEvent({ accountId, region: home, instanceId: miner.instanceId });
  findingId = String(event.detail.id);
  linkedId = linkedInstanceFindingId(findingId, otherInstanceId);
  const responded = await world.cli(['respond', '--event', '-'], { stdin: JSON.stringify(event) });
  if (responded.code !== 0) throw new Error(`respond failed: ${responded.stderr}`);
  otherAfterResponse = await readAccountState(world.endpoint, accountId, elsewhere);
}, 180_000);

afterAll(async () => {
  await world?.close();
});

describe('cli release of an incident with linked incidents (decision 0023)', () => {
  it("plans the linked incident alone when given its id, and the finding's with its linked incidents", async () => {
    // Act
    const alone = await world.cli(['release', '--report', linkedId, ...ROLE, '--json']);
    const together = await world.cli(['release', '--report', findingId, ...ROLE]);
    const togetherJson = await world.cli(['release', '--report', findingId, ...ROLE, '--json']);

    // Assess
    expect(alone.code, alone.stderr).toBe(0);
    const aloneOutput = JSON.parse(alone.stdout) as ReleaseOutput;
    expect(aloneOutput).toMatchObject({ findingId: linkedId, linked: [] });
    expect(aloneOutput.plan.steps.some((step) => step.decision === 'apply')).toBe(true);
    expect(together.code, together.stderr).toBe(0);
    // The text wraps at 120 columns (continuation lines indented): read it as one line of words.
    const togetherText = together.stdout.replace(/\n +/g, ' ');
    expect(togetherText).toContain(`Incident ${findingId}:`);
    expect(togetherText).toContain(`Linked incident ${linkedId}:`);
    expect(togetherText).toContain(`on ${otherInstanceId}, account ${accountId}, ${elsewhere}`);
    const output = JSON.parse(togetherJson.stdout) as ReleaseOutput;
    expect(output.linked.map((linked) => linked.findingId)).toEqual([linkedId]);
    expect(output.linked[0]?.plan?.steps.some((step) => step.decision === 'apply')).toBe(true);
    expect(await world.objectKeys('releases/')).toEqual([]);
  });

  it('with --yes releases both, each in its own region with its own release record', async () => {
    // Act
    const released = await world.cli(['release', '--report', findingId, '--yes', ...ROLE, '--json']);

    // Assess: the linked incident had isolated the other region's instance, and release put it back.
    for (const eni of otherEnis) {
      expect(otherAfterResponse.networkInterfaceGroups[eni]).not.toEqual(
        before[elsewhere]?.networkInterfaceGroups[eni],
      );
    }
    expect(released.code, released.stderr).toBe(0);
    const output = JSON.parse(released.stdout) as ReleaseOutput;
    const recordKeys = [output.recordKey, ...output.linked.map((linked) => linked.recordKey)];
    expect(recordKeys.every((key) => typeof key === 'string')).toBe(true);
    expect((await world.objectKeys('releases/')).sort()).toEqual([...recordKeys].sort());
    const linkedRecord = (await world.readObject(output.linked[0]?.recordKey ?? '')) as Record<string, unknown>;
    expect(linkedRecord).toMatchObject({ findingId: linkedId, region: elsewhere, instanceId: otherInstanceId });
    for (const region of [home, elsewhere]) {
      const after = await readAccountState(world.endpoint, accountId, region);
      const enis = Object.keys(before[region]?.networkInterfaceGroups ?? {});
      for (const eni of enis) {
        expect(after.networkInterfaceGroups[eni], `${region} ${eni}`).toEqual(
          before[region]?.networkInterfaceGroups[eni],
        );
      }
    }
  });
});
