import type { IncidentReport } from '@cryptominer-defense/core';
import {
  accountClients,
  applyEnvironment,
  guardDutyFindingEvent,
  iamUserIdentity,
  launchAutoScaledInstances,
  runInstancesRecord,
  startFaultInjectingProxy,
} from '@cryptominer-defense/testing';
import type { CliWorld } from './cliWorld';

/**
 * Markup an attacker can put in what a report repeats: the name of an Auto Scaling group they create (AWS allows
 * `<` and `>` in it), which is the `aws:autoscaling:groupName` tag of its instances; and their user agent.
 */
export const HOSTILE_TAG = '<script>document.title="tag-executed";window.__tagExecuted=true</script>';
export const HOSTILE_USER_AGENT = '<img src=x onerror="window.__userAgentExecuted = true">';

/** The step made to fail, and the code the emulator's proxy answers it with (EC2's AccessDenied). */
export const FAILED_OPERATION = { service: 'ec2', operation: 'CreateSnapshot' } as const;
export const FAILED_ERROR_CODE = 'UnauthorizedOperation';

export interface RespondedIncident {
  readonly key: string;
  readonly findingId: string;
  readonly report: IncidentReport;
}

/**
 * A real response on the emulator whose report carries hostile markup and a failed step: an instance of an Auto
 * Scaling group with a hostile name, launched by an IAM user with a hostile user agent, and CreateSnapshot refused.
 */
export async function respondToHostileIncident(world: CliWorld): Promise<RespondedIncident> {
  const account = world.organization.member('workload-a');
  const region = 'us-east-1';
  const { primaryNetwork } = account.inRegion(region);
  const clients = await accountClients(world.endpoint, account.accountId, region);
  const group = await launchAutoScaledInstances(clients.ec2, clients.autoScaling, {
    name: HOSTILE_TAG,
    subnetIds: primaryNetwork.subnetIds,
    securityGroupIds: [primaryNetwork.securityGroupId],
    desiredCapacity: 1,
  }).finally(() => clients.destroy());
  const instanceId = group.instances[0]?.instanceId ?? '';
  world.cloudTrail.addRecords(
    runInstancesRecord({
      identity: iamUserIdentity({ accountId: account.accountId, userName: 'developer' }),
      region,
      instanceIds: [instanceId],
      userAgent: HOSTILE_USER_AGENT,
    }),
  );
  const event = guardDutyFindingEvent({
    accountId: account.accountId,
    region,
    instanceId,
    tags: { 'aws:autoscaling:groupName': HOSTILE_TAG },
  });
  const proxy = await startFaultInjectingProxy({
    target: world.endpoint,
    rules: [{ ...FAILED_OPERATION, fault: 'accessDenied' }],
  });
  // The SDK reads its endpoint from the process environment, so the proxy goes there for this run.
  const restore = applyEnvironment({ AWS_ENDPOINT_URL: proxy.endpoint });
  const responded = await world
    .cli(['respond', '--event', '-'], { stdin: JSON.stringify(event), env: { AWS_ENDPOINT_URL: proxy.endpoint } })
    .finally(restore);
  await proxy.stop();
  if (responded.code !== 0) throw new Error(`respond failed (${responded.code}): ${responded.stderr}`);
  const [key] = await world.objectKeys(`incidents/${account.accountId}/${region}/`);
  if (key === undefined) throw new Error('the response wrote no report');
  return { key, findingId: String(event.detail.id), report: (await world.readObject(key)) as IncidentReport };
}
