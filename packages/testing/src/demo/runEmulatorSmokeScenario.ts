import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeInstancesCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { runInstancesRecord } from '../cloudtrail/records/runInstancesRecord';
import { iamUserIdentity } from '../cloudtrail/records/userIdentities';
import { startCloudTrailFake } from '../cloudtrail/startCloudTrailFake';
import { clientConfigForAccount, credentialsForAccount } from '../emulator/credentialsForAccount';
import { type EmulatorClientConfig, emulatorClientConfig } from '../emulator/emulatorClientConfig';
import type { SeededMemberAccount } from '../seed/seedMemberAccount';
import { seedOrganization } from '../seed/seedOrganization';

/** One fact the scenario checked, in words a reader of the demo understands. */
export interface SmokeCheck {
  readonly title: string;
  readonly passed: boolean;
  /** What was observed, and why it matters. */
  readonly detail: string;
}

const REGION = 'us-east-1';
const ISOLATION_TITLE = 'The central account reaches each member account only through that account’s role';
const EGRESS_TITLE = 'A new security group lets all outbound traffic out';
const ATTRIBUTION_TITLE = 'CloudTrail lookups answer per account';
const RESPONDER_ROLE = 'CryptominerResponderRole';

async function instanceIdsSeenWith(config: EmulatorClientConfig): Promise<string[]> {
  const ec2 = new EC2Client(config);
  try {
    const described = await ec2.send(new DescribeInstancesCommand({}));
    return (described.Reservations ?? []).flatMap((r) => r.Instances ?? []).flatMap((i) => i.InstanceId ?? []);
  } finally {
    ec2.destroy();
  }
}

function seededInstanceIds(member: SeededMemberAccount): string[] {
  const region = member.inRegion(REGION);
  return [
    region.standaloneInstance.instanceId,
    region.multiEniInstance.instanceId,
    region.secondVpcInstance.instanceId,
    ...region.autoScalingGroup.instances.map((instance) => instance.instanceId),
  ].sort();
}

async function crossAccountIsolation(
  endpoint: string,
  centralAccountId: string,
  members: readonly SeededMemberAccount[],
): Promise<SmokeCheck> {
  const central = await credentialsForAccount(endpoint, centralAccountId);
  const findings: string[] = [];
  let passed = members.length >= 2;
  for (const member of members) {
    const config = await clientConfigForAccount(endpoint, member.accountId, {
      roleName: RESPONDER_ROLE,
      callerCredentials: central,
      region: REGION,
    });
    const seen = (await instanceIdsSeenWith(config)).sort();
    const own = seededInstanceIds(member);
    const foreign = members.filter((other) => other !== member).flatMap(seededInstanceIds);
    const seesOwn = JSON.stringify(seen) === JSON.stringify(own);
    const seesForeign = seen.some((id) => foreign.includes(id));
    passed &&= seesOwn && !seesForeign;
    findings.push(
      `as ${RESPONDER_ROLE} in ${member.accountId} it saw ${seen.length} instance(s): ` +
        `${seesOwn ? 'exactly that account’s own' : 'NOT the account’s own set'}` +
        `${seesForeign ? ', and ANOTHER account’s' : ', none of another account’s'}`,
    );
  }
  return {
    title: ISOLATION_TITLE,
    passed,
    detail: `${findings.join('; ')}. So the responder acts in exactly the account a finding names.`,
  };
}

async function defaultEgressRule(endpoint: string, member: SeededMemberAccount): Promise<SmokeCheck> {
  const ec2 = new EC2Client(await clientConfigForAccount(endpoint, member.accountId, { region: REGION }));
  try {
    const groupId = member.inRegion(REGION).primaryNetwork.securityGroupId;
    const described = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
    const egress = described.SecurityGroups?.[0]?.IpPermissionsEgress ?? [];
    const allowAll = egress.some(
      (rule) => rule.IpProtocol === '-1' && (rule.IpRanges ?? []).some((range) => range.CidrIp === '0.0.0.0/0'),
    );
    return {
      title: EGRESS_TITLE,
      passed: allowAll,
      detail: allowAll
        ? `group ${groupId}, created with no rules, has the default allow-all egress rule (all protocols to 0.0.0.0/0). ` +
          'An isolation group must revoke it, or the miner keeps talking to its pool.'
        : `group ${groupId} has no allow-all egress rule: the emulator does not behave like AWS here.`,
    };
  } finally {
    ec2.destroy();
  }
}

async function attributionSource(endpoint: string, members: readonly SeededMemberAccount[]): Promise<SmokeCheck> {
  const [owner, other] = members;
  if (owner === undefined || other === undefined) {
    return { title: ATTRIBUTION_TITLE, passed: false, detail: 'needs two member accounts' };
  }
  const instanceId = owner.inRegion(REGION).standaloneInstance.instanceId;
  const fake = await startCloudTrailFake({ emulatorEndpoint: endpoint });
  try {
    fake.addRecords(
      runInstancesRecord({
        identity: iamUserIdentity({ accountId: owner.accountId, userName: 'developer' }),
        region: REGION,
        instanceIds: [instanceId],
      }),
    );
    const lookup = async (member: SeededMemberAccount) => {
      const credentials = await credentialsForAccount(endpoint, member.accountId, { region: REGION });
      const client = new CloudTrailClient(emulatorClientConfig(fake.endpoint, { region: REGION, credentials }));
      try {
        const answer = await client.send(
          new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: instanceId }] }),
        );
        return answer.Events ?? [];
      } finally {
        client.destroy();
      }
    };
    const [ownEvents, otherEvents] = await Promise.all([lookup(owner), lookup(other)]);
    const launchedBy = ownEvents.find((event) => event.EventName === 'RunInstances')?.Username;
    const passed = launchedBy === 'developer' && otherEvents.length === 0;
    return {
      title: ATTRIBUTION_TITLE,
      passed,
      detail:
        `looking up ${instanceId} in ${owner.accountId} found RunInstances by ${launchedBy ?? 'nobody'}; ` +
        `the same lookup from ${other.accountId} found ${otherEvents.length} event(s). ` +
        'Attribution reads the launching account’s own history.',
    };
  } finally {
    await fake.stop();
  }
}

/** A check that throws is a failed check, and the other checks still run. */
async function checkSafely(title: string, check: () => Promise<SmokeCheck>): Promise<SmokeCheck> {
  try {
    return await check();
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { title, passed: false, detail: `the check could not run: ${reason}` };
  }
}

/**
 * The emulator smoke scenario behind the interim `demo` command: seeds a small organization in a running emulator
 * and checks the facts the responder's design rests on.
 */
export async function runEmulatorSmokeScenario(
  endpoint: string,
  progress: (line: string) => void = () => undefined,
): Promise<SmokeCheck[]> {
  progress('Seeding an organization: a security (delegated-admin) account and two member accounts in OUs…');
  const org = await seedOrganization(endpoint, { regions: [REGION] });
  progress(
    `Organization ${org.organizationId}: security account ${org.centralAccountId}, members ` +
      `${org.members.map((member) => member.accountId).join(' and ')}, each with VPCs, instances (one with 3 ENIs, ` +
      'two in an Auto Scaling group), IAM users and roles.',
  );
  const [firstMember] = org.members;
  if (firstMember === undefined) return [];
  return [
    await checkSafely(ISOLATION_TITLE, () => crossAccountIsolation(endpoint, org.centralAccountId, org.members)),
    await checkSafely(EGRESS_TITLE, () => defaultEgressRule(endpoint, firstMember)),
    await checkSafely(ATTRIBUTION_TITLE, () => attributionSource(endpoint, org.members)),
  ];
}
