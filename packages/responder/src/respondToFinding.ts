import {
  type Actor,
  buildIncidentReport,
  EMPTY_UNDO,
  type FindingSummary,
  type IncidentReport,
  type ResponderConfiguration,
  type StepRecord,
  succeeded,
} from '@cryptominer-defense/core';
import { responderRoleArn } from './clients/createAssumedRoleCredentials';
import type { ClientFactory, MemberAccountClients } from './clients/responderClients';
import { type Containment, containInstance } from './containInstance';
import type { MembershipAnswer } from './organizationMembership';
import type { ResponderLogger } from './responderLogger';
import { runAction } from './runAction';
import { attributeLaunch } from './steps/attributeLaunch';
import { type FreezeResult, freezeActor } from './steps/freezeActor';

/** What the engine needs, handed in (tests build it against the emulator). */
export interface ResponseEngineDependencies {
  readonly clients: ClientFactory;
  readonly configuration: ResponderConfiguration;
  readonly isOrganizationMember: (accountId: string) => Promise<MembershipAnswer>;
  readonly logger: ResponderLogger;
  readonly now?: () => Date;
}

type InstanceFinding = FindingSummary & { readonly instanceId: string };

/** What one response produced, before it becomes a report. */
interface ResponseParts {
  readonly disposition: 'responded' | 'refused';
  readonly dispositionReason: string | null;
  readonly steps: readonly StepRecord[];
  readonly actor?: Actor | null;
  readonly containment?: Containment;
  readonly freeze?: FreezeResult;
}

function assembleReport(finding: FindingSummary, timestamp: Date, parts: ResponseParts): IncidentReport {
  return buildIncidentReport({
    finding,
    disposition: parts.disposition,
    dispositionReason: parts.dispositionReason,
    actor: parts.actor ?? null,
    steps: parts.steps,
    undo: {
      networkInterfaces: [...(parts.containment?.isolation?.undo ?? [])],
      autoScalingGroup: parts.containment?.autoScaling?.undo ?? null,
      user: parts.freeze?.user ?? null,
      role: parts.freeze?.role ?? null,
    },
    timestamp,
  });
}

/** A report for a crypto-mining finding with no instance to contain: nothing is touched. */
export function reportForPerson(
  finding: FindingSummary,
  reason: string,
  now: () => Date = () => new Date(),
): IncidentReport {
  return buildIncidentReport({
    finding,
    disposition: 'needs-person',
    dispositionReason: reason,
    actor: null,
    steps: [],
    undo: EMPTY_UNDO,
    timestamp: now(),
  });
}

/**
 * Responds to a crypto-mining finding on an EC2 instance and returns the incident report (never throws for
 * an AWS failure: failures are recorded in the report). Order:
 * 1. the account must be an ACTIVE organization member (else refused, nothing touched);
 * 2. assume the responder role in it;
 * 3. at once: attribution (CloudTrail) and containment: read the instance, then isolate every ENI and take
 *    it out of its Auto Scaling group in parallel, and stop it only after the Auto Scaling step;
 * 4. freeze the launching identity as soon as attribution answers (containment never waits for it).
 */
export async function respondToFinding(
  dependencies: ResponseEngineDependencies,
  finding: InstanceFinding,
): Promise<IncidentReport> {
  const now = dependencies.now ?? (() => new Date());
  const timestamp = now();
  const { configuration, logger } = dependencies;
  const report = (parts: ResponseParts) => assembleReport(finding, timestamp, parts);

  const membership = await runAction(
    { step: 'verifyOrganizationMembership', target: finding.accountId },
    async () => ({ result: succeeded, value: await dependencies.isOrganizationMember(finding.accountId) }),
    null,
    now,
  );
  if (membership.value === null || !membership.value.member) {
    const reason =
      membership.value === null
        ? `Could not verify that account ${finding.accountId} is an ACTIVE member of the organization: nothing was touched.`
        : membership.value.reason;
    logger.warn('Finding refused', { findingId: finding.findingId, accountId: finding.accountId, reason });
    return report({ disposition: 'refused', dispositionReason: reason, steps: [membership.record] });
  }

  const roleArn = responderRoleArn(finding.partition, finding.accountId, configuration.responderRoleName);
  const assumed = await runAction<MemberAccountClients | null>(
    { step: 'assumeResponderRole', target: roleArn },
    async () => ({ result: succeeded, value: await dependencies.clients.memberAccount(finding) }),
    null,
    now,
  );
  const clients = assumed.value;
  if (clients === null) {
    logger.error('Could not assume the responder role', { roleArn, record: assumed.record });
    return report({ disposition: 'responded', dispositionReason: null, steps: [membership.record, assumed.record] });
  }

  const attribution = attributeLaunch(clients.cloudTrail, finding.instanceId);
  const containment = containInstance(clients, finding.instanceId, configuration.isolationSecurityGroupName);
  const freeze = attribution.then(({ actor }) =>
    freezeActor(
      clients.iam,
      actor,
      {
        accountId: finding.accountId,
        protection: {
          responderRoleName: configuration.responderRoleName,
          patterns: configuration.protectedPrincipalPatterns,
        },
      },
      now,
    ),
  );
  const [contained, attributed, frozen] = await Promise.all([containment, attribution, freeze]);
  const steps = [membership.record, assumed.record, ...contained.records, attributed.record, ...frozen.records];
  for (const record of steps.filter((candidate) => candidate.status === 'failed')) {
    logger.warn('Response step failed', { findingId: finding.findingId, ...record });
  }
  return report({
    disposition: 'responded',
    dispositionReason: null,
    steps,
    actor: attributed.actor,
    containment: contained,
    freeze: frozen,
  });
}
