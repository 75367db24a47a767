import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { GetLoginProfileCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { DEFAULT_ISOLATION_SECURITY_GROUP_NAME, type IncidentReport } from '@cryptominer-defense/core';
import { AWS_DENY_ALL_ARN, attachedPolicyArns, clientConfigForAccount } from '@cryptominer-defense/testing';
import type { DemoIncident } from './demoIncidents';

/** One fact checked in the emulator after the response. */
export interface ContainmentCheck {
  readonly title: string;
  readonly passed: boolean;
  readonly detail: string;
}

interface Clients {
  readonly ec2: EC2Client;
  readonly autoScaling: AutoScalingClient;
  readonly iam: IAMClient;
}

function check(title: string, passed: boolean, detail: string): ContainmentCheck {
  return { title, passed, detail };
}

/** The ENIs carrying a group, by the group-id filter (it reads each ENI's own groups, in AWS and in moto). */
async function interfacesInGroup(ec2: EC2Client, groupId: string): Promise<string[]> {
  const described = await ec2.send(
    new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
  );
  return (described.NetworkInterfaces ?? []).flatMap((eni) => eni.NetworkInterfaceId ?? []);
}

async function instanceState(ec2: EC2Client, instanceId: string): Promise<string> {
  const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return described.Reservations?.[0]?.Instances?.[0]?.State?.Name ?? 'missing';
}

async function isolationChecks(ec2: EC2Client, incident: DemoIncident): Promise<ContainmentCheck[]> {
  const groups = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'group-name', Values: [DEFAULT_ISOLATION_SECURITY_GROUP_NAME] },
        { Name: 'vpc-id', Values: [incident.vpcId] },
      ],
    }),
  );
  const isolation = groups.SecurityGroups?.[0];
  if (isolation?.GroupId === undefined) {
    return [check('network isolated', false, `no ${DEFAULT_ISOLATION_SECURITY_GROUP_NAME} in ${incident.vpcId}`)];
  }
  const rules = (isolation.IpPermissions ?? []).length + (isolation.IpPermissionsEgress ?? []).length;
  const isolated = await interfacesInGroup(ec2, isolation.GroupId);
  const stillOpen = await interfacesInGroup(ec2, incident.originalSecurityGroupId);
  const missing = incident.networkInterfaceIds.filter((eni) => !isolated.includes(eni) || stillOpen.includes(eni));
  return [
    check(
      'network isolated',
      missing.length === 0 && rules === 0,
      missing.length === 0
        ? `all ${incident.networkInterfaceIds.length} ENI(s) on ${isolation.GroupId} only, which has ${rules} rule(s)`
        : `not isolated: ${missing.join(', ')}`,
    ),
  ];
}

/** What the report says was kept for forensics, looked up in the account: the snapshots, termination protection. */
async function evidenceChecks(ec2: EC2Client, incident: DemoIncident, report: IncidentReport) {
  const checks: ContainmentCheck[] = [];
  const snapshotIds = report.evidence.snapshots.map((snapshot) => snapshot.snapshotId);
  if (snapshotIds.length > 0) {
    const found = (await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: snapshotIds }))).Snapshots ?? [];
    checks.push(
      check(
        'evidence snapshotted',
        found.length === snapshotIds.length,
        `${found.length} of ${snapshotIds.length} snapshot(s) in the account`,
      ),
    );
  }
  if (report.undo.evidence?.terminationProtectionEnabled === true) {
    const attribute = await ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: incident.instanceId, Attribute: 'disableApiTermination' }),
    );
    const enabled = attribute.DisableApiTermination?.Value === true;
    checks.push(check('termination protection on', enabled, `disableApiTermination ${enabled}`));
  }
  return checks;
}

async function autoScalingChecks(autoScaling: AutoScalingClient, groupName: string, instanceId: string) {
  const described = await autoScaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] }),
  );
  const group = described.AutoScalingGroups?.[0];
  const sizes = `${group?.MinSize}/${group?.MaxSize}/${group?.DesiredCapacity}`;
  const inGroup = (group?.Instances ?? []).some((member) => member.InstanceId === instanceId);
  return [
    check(
      'out of its Auto Scaling group, group at 0',
      group !== undefined && !inGroup && sizes === '0/0/0',
      `${groupName}: min/max/desired ${sizes}, instance ${inGroup ? 'STILL in the group' : 'detached'}`,
    ),
  ];
}

async function userFrozen(iam: IAMClient, userName: string): Promise<ContainmentCheck> {
  const keys = (await iam.send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata ?? [];
  const hasLogin = await iam.send(new GetLoginProfileCommand({ UserName: userName })).then(
    () => true,
    (error: unknown) => !(error instanceof Error && ['NoSuchEntity', 'NoSuchEntityException'].includes(error.name)),
  );
  const active = keys.filter((key) => key.Status === 'Active').length;
  const denied = (await attachedPolicyArns(iam, { userName })).includes(AWS_DENY_ALL_ARN);
  return check(
    'actor frozen',
    active === 0 && denied && !hasLogin,
    `user ${userName}: ${active} active key(s) of ${keys.length}, ${denied ? 'AWSDenyAll attached' : 'NO AWSDenyAll'}, ${hasLogin ? 'console password LEFT' : 'no console password'}`,
  );
}

async function roleFrozen(iam: IAMClient, roleName: string): Promise<ContainmentCheck> {
  const denied = (await attachedPolicyArns(iam, { roleName })).includes(AWS_DENY_ALL_ARN);
  return check(
    'actor frozen',
    denied,
    `role ${roleName}: ${denied ? 'AWSDenyAll attached (every session of the role denied)' : 'NO AWSDenyAll: its sessions STILL work'}`,
  );
}

async function actorChecks(iam: IAMClient, incident: DemoIncident, report: IncidentReport) {
  const { launcher } = incident;
  switch (launcher.kind) {
    case 'user':
      return [await userFrozen(iam, launcher.userName)];
    case 'role':
      return [await roleFrozen(iam, launcher.roleName)];
    case 'root':
      return [
        check(
          'root flagged for a person',
          report.response.rootInvolved && report.response.manualInterventionRequired,
          'IAM cannot restrict root: the report must ask a person',
        ),
      ];
    case 'auto-scaling':
      // Auto Scaling's own role is never frozen. When the responder follows the group to the person who set it
      // up, that user must be frozen; otherwise the report must ask a person who it was.
      return report.actor.type === 'IAMUser'
        ? [await userFrozen(iam, launcher.userName)]
        : [
            check(
              'launcher flagged for a person',
              report.response.manualInterventionRequired && !report.response.actorFrozen,
              `launched by ${report.actor.type}: not frozen, the report asks a person`,
            ),
          ];
  }
}

async function checkIncident(
  clients: Clients,
  incident: DemoIncident,
  report: IncidentReport | undefined,
): Promise<ContainmentCheck[]> {
  const state = await instanceState(clients.ec2, incident.instanceId);
  if (!incident.cryptoMining) {
    const untouched = await interfacesInGroup(clients.ec2, incident.originalSecurityGroupId);
    const allThere = incident.networkInterfaceIds.every((eni) => untouched.includes(eni));
    return [
      check('no report', report === undefined, report === undefined ? 'no report written' : 'a report was written'),
      check(
        'left alone',
        state === 'running' && allThere,
        `instance ${state}, ENIs ${allThere ? 'on their own groups' : 'MOVED'}`,
      ),
    ];
  }
  if (report === undefined) return [check('report written', false, 'no report in the bucket for this finding')];
  const checks = [
    check('report written', true, `disposition ${report.disposition}`),
    ...(await isolationChecks(clients.ec2, incident)),
    check('stopped, not terminated', state === 'stopped' || state === 'stopping', `instance ${state}`),
    ...(await evidenceChecks(clients.ec2, incident, report)),
  ];
  if (incident.launcher.kind === 'auto-scaling') {
    checks.push(
      ...(await autoScalingChecks(clients.autoScaling, incident.launcher.autoScalingGroupName, incident.instanceId)),
    );
  }
  checks.push(...(await actorChecks(clients.iam, incident, report)));
  return checks;
}

/**
 * Checks the emulator's state (not the reports' word for it) for every incident: isolation, Auto Scaling,
 * stop, freeze, and that the finding that is not crypto-mining was left alone. Reads each account as its
 * OrganizationAccountAccessRole, independently of the responder.
 */
export async function checkContainment(
  endpoint: string,
  incidents: readonly DemoIncident[],
  reportsByFindingId: ReadonlyMap<string, IncidentReport>,
  findingIdOf: (incident: DemoIncident) => string,
): Promise<Map<DemoIncident, ContainmentCheck[]>> {
  const results = new Map<DemoIncident, ContainmentCheck[]>();
  for (const incident of incidents) {
    const config = await clientConfigForAccount(endpoint, incident.accountId, { region: incident.region });
    const clients = {
      ec2: new EC2Client(config),
      autoScaling: new AutoScalingClient(config),
      iam: new IAMClient(config),
    };
    try {
      results.set(incident, await checkIncident(clients, incident, reportsByFindingId.get(findingIdOf(incident))));
    } catch (error) {
      const code = error instanceof Error ? error.name : 'Error';
      results.set(incident, [check('state readable', false, `could not read the emulator's state: ${code}`)]);
    } finally {
      clients.ec2.destroy();
      clients.autoScaling.destroy();
      clients.iam.destroy();
    }
  }
  return results;
}
