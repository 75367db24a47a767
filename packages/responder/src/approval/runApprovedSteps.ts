import type { EC2Client } from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import {
  actorOfReport,
  type IncidentReport,
  isEffective,
  type ProtectedPrincipalOptions,
  type RoleUndo,
  type StepRecord,
  type StopProtectionUndo,
  skipped,
  type UserUndo,
} from '@cryptominer-defense/core';
import { decidedRecord } from '../runAction';
import { freezeActor } from '../steps/freezeActor';
import { inspectInstance } from '../steps/inspectInstance';
import { liftStopProtection } from '../steps/liftStopProtection';
import { stopInstance } from '../steps/stopInstance';

/** The clients `cli approve` acts with: the operator's, in the incident's account and region. */
export interface ApprovalClients {
  readonly ec2: EC2Client;
  readonly iam: IAMClient;
}

export interface ApprovedStepsOptions {
  /** The principals never frozen, as the function's configuration names them. */
  readonly protection: ProtectedPrincipalOptions;
  /** Hibernate instead of stop when the instance was launched with hibernation (the function's setting). */
  readonly hibernate: boolean;
  readonly now?: () => Date;
}

/** What the approved steps did, with the undo data release needs for it (the report itself is never changed). */
export interface ApprovedStepsOutcome {
  readonly records: readonly StepRecord[];
  readonly undo: {
    readonly stopProtection: StopProtectionUndo | null;
    readonly user: UserUndo | null;
    readonly role: RoleUndo | null;
  };
  readonly hibernated: boolean;
}

/**
 * Whether the response may have left the instance in its Auto Scaling group: then a stop would have the group replace
 * and terminate it, with its evidence (the engine's own gate on the stop, read from the report's records: the
 * detach, or a group found gone).
 */
function mayStillBeInGroup(report: IncidentReport): boolean {
  const records = report.steps.filter((record) => record.step === 'disableAutoScalingGroup');
  if (records.every((record) => record.action === undefined)) return false;
  const detached = records.some((record) => record.action === 'detachInstance' && isEffective(record));
  const groupGone = records.some((record) => record.action === 'describeGroup' && record.status === 'skipped');
  return !detached && !groupGone;
}

/** Lifts stop protection if it is on, then stops (or hibernates) the instance: what full mode would have done. */
async function stopContainedInstance(
  ec2: EC2Client,
  report: IncidentReport,
  options: ApprovedStepsOptions,
  now: () => Date,
): Promise<Pick<ApprovedStepsOutcome, 'records' | 'hibernated'> & { stopProtection: StopProtectionUndo | null }> {
  const instanceId = report.instanceId ?? '';
  const refuse = (reason: string) => ({
    records: [decidedRecord({ step: 'stopInstance', target: instanceId }, skipped(reason), now)],
    hibernated: false,
    stopProtection: null,
  });
  if (mayStillBeInGroup(report)) {
    return refuse(
      'the response could not take the instance out of its Auto Scaling group: stopped, it would be replaced and terminated. Detach it, then stop it by hand',
    );
  }
  const inspected = await inspectInstance(ec2, instanceId);
  const { instance } = inspected;
  if (instance === null) return { records: [inspected.record], hibernated: false, stopProtection: null };
  if (instance.state === 'terminated' || instance.state === 'shutting-down') {
    return refuse(`the instance is ${instance.state}: nothing left to stop`);
  }
  const lifted = await liftStopProtection(ec2, instance);
  const stopped = await stopInstance(ec2, instance, { hibernate: options.hibernate });
  return {
    records: [...lifted.records, ...stopped.records],
    hibernated: stopped.hibernated,
    stopProtection: lifted.undo,
  };
}

/**
 * Runs what an approval-mode response left for a person (the report's `approval.pendingSteps`): the stop, with the lift
 * of stop protection before it, and the freeze of who launched the instance, with the same step implementations as
 * the function's, and with the clients handed in (`cli approve`: the operator's credentials, so that CloudTrail
 * names the person who approved). The stop and the freeze are independent: a failure of one does not hold the
 * other back. Steps that find their work done (an instance stopped meanwhile, a key already inactive) say so.
 */
export async function runApprovedSteps(
  clients: ApprovalClients,
  report: IncidentReport,
  options: ApprovedStepsOptions,
): Promise<ApprovedStepsOutcome> {
  const now = options.now ?? (() => new Date());
  const pending = new Set((report.approval?.pendingSteps ?? []).map((step) => step.step));
  const stop =
    pending.has('stopInstance') && report.instanceId !== null
      ? stopContainedInstance(clients.ec2, report, options, now)
      : Promise.resolve({ records: [], hibernated: false, stopProtection: null });
  const freeze =
    pending.has('freezeUser') || pending.has('freezeRole')
      ? freezeActor(
          clients.iam,
          actorOfReport(report),
          { accountId: report.accountId, protection: options.protection },
          now,
        )
      : Promise.resolve({ records: [], user: null, role: null });
  const [stopped, frozen] = await Promise.all([stop, freeze]);
  return {
    records: [...stopped.records, ...frozen.records],
    undo: { stopProtection: stopped.stopProtection, user: frozen.user, role: frozen.role },
    hibernated: stopped.hibernated,
  };
}
