import type { IncidentReport } from '@cryptominer-defense/core';
import { leftForPerson } from './planning/leftForPerson';
import { planAutoScalingGroup } from './planning/planAutoScalingGroup';
import { planFunctionConcurrency } from './planning/planFunctionConcurrency';
import { planInstanceCredentials } from './planning/planInstanceCredentials';
import { planNetworkAclEntries } from './planning/planNetworkAclEntries';
import { planNetworkInterface } from './planning/planNetworkInterface';
import { planRole } from './planning/planRole';
import { planStopProtection } from './planning/planStopProtection';
import { planUser } from './planning/planUser';
import type { ReleaseClients } from './releaseClients';
import type { ReleasePlan } from './releasePlan';

/**
 * Reads the account's current state and decides, for everything the report's undo data says the response
 * changed, whether to undo it. Changes nothing. Clients act in the report's account and region.
 */
export async function planRelease(clients: ReleaseClients, report: IncidentReport): Promise<ReleasePlan> {
  const { undo } = report;
  const [interfaces, group, user, role, stopProtection, aclEntries, lambdaFunction, credentials] = await Promise.all([
    Promise.all(undo.networkInterfaces.map((eni) => planNetworkInterface(clients.ec2, eni))),
    undo.autoScalingGroup === null ? [] : [planAutoScalingGroup(clients.autoScaling, undo.autoScalingGroup)],
    undo.user === null ? [] : planUser(clients.iam, undo.user),
    undo.role === null ? [] : planRole(clients.iam, undo.role),
    undo.stopProtection == null ? [] : planStopProtection(clients.ec2, undo.stopProtection),
    planNetworkAclEntries(clients.ec2, undo.networkAclEntries ?? []),
    undo.lambdaFunction == null ? [] : planFunctionConcurrency(clients.lambda, undo.lambdaFunction),
    undo.instanceCredentials == null ? [] : planInstanceCredentials(clients, undo.instanceCredentials),
  ]);
  return {
    findingId: report.findingId,
    accountId: report.accountId,
    region: report.region,
    partition: report.partition,
    instanceId: report.instanceId,
    steps: [
      ...interfaces,
      ...(await Promise.all(group)),
      ...user,
      ...role,
      ...stopProtection,
      ...aclEntries,
      ...lambdaFunction,
      ...credentials,
    ],
    leftForPerson: leftForPerson(report),
  };
}
