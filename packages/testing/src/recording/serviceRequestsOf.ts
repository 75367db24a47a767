import { deploymentReadRequestsOf, type ReadRequestWhere } from './deploymentReadRequestOf';
import { guardDutyRequestsOf } from './guardDutyRequestOf';
import { securityHubRequestsOf } from './securityHubRequestOf';

/** One request of the tables below: the resource and the condition keys. */
export interface ServiceRequest {
  readonly resource: string;
  readonly context: Record<string, string>;
}

/**
 * The requests of the smaller tables of `authorizedRequestsOf` (Security Hub, GuardDuty, the reads `cli doctor`
 * makes), kept apart from it; undefined for an action none of them knows.
 */
export function serviceRequestsOf(
  action: string,
  input: Readonly<Record<string, unknown>>,
  where: ReadRequestWhere,
): ServiceRequest[] | undefined {
  return (
    securityHubRequestsOf(action, input, where) ??
    guardDutyRequestsOf(action) ??
    deploymentReadRequestsOf(action, input, where)
  );
}
