import {
  EMPTY_UNDO,
  heldBack,
  type IncidentEvidence,
  type IncidentUndo,
  type MemberAccountStepName,
  NO_EVIDENCE,
  type ProtectedPrincipalOptions,
  type ResponseModeDecision,
  type StepOfPhase,
  type StepRecord,
  type StepSubject,
  skipped,
  stepDefinition,
  stepRunsIn,
  stepsInPhase,
  wouldDo,
} from '@cryptominer-defense/core';
import { inCallClass } from '../clients/callClass';
import type { MemberAccountClients } from '../clients/responderClients';
import type { ReadsInFlight } from '../recentAnswers';
import { decidedRecord } from '../runAction';
import type { SecurityGroupCache } from '../securityGroupCache';
import type { disableAutoScalingGroup, EarlyGroupDescription } from '../steps/disableAutoScalingGroup';
import type { InstanceFacts } from '../steps/inspectInstance';
import type { SecurityGroupLookups } from '../steps/lookUpSecurityGroupsEarly';
import type { revokeInstanceCredentials } from '../steps/revokeInstanceCredentials';
import { type ContainmentContext, type ContainmentUndo, type Gate, OPEN, type StartedStep } from './containmentStep';
import { CONTAINMENT_STEPS } from './containmentSteps';

/** What containment did: its records, and what undo and the evidence section need. */
export interface Containment {
  readonly records: readonly StepRecord[];
  readonly undo: ContainmentUndo;
  readonly evidence: IncidentEvidence;
}

export interface ContainmentPlan {
  readonly instanceId: string;
  readonly findingId: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** Roles never touched (the instance's own credentials are not denied on them): as the freeze's. */
  readonly protection: ProtectedPrincipalOptions;
  /** The instance as read (null when it could not be read), with the record of that read. */
  readonly instance: InstanceFacts | null;
  readonly mode: ResponseModeDecision;
  /** Steps an earlier delivery completed: not run again (their records come from that delivery). */
  readonly completed: ReadonlySet<MemberAccountStepName>;
  readonly isolationGroupName: string;
  readonly connectionCutGroupName: string;
  readonly hibernate: boolean;
  readonly groupCache?: SecurityGroupCache;
  /** Reads the container's concurrent responses share while on the wire (the network ACLs of a subnet). */
  readonly readsInFlight?: ReadsInFlight;
  /** `account/region`, the scope of cached security group ids. */
  readonly scope: string;
  /** Reads started while the instance was read, from what the finding said of it (hints only). */
  readonly readsStartedEarly?: {
    readonly securityGroups: SecurityGroupLookups;
    readonly autoScalingGroup: EarlyGroupDescription | null;
  };
  readonly now: () => Date;
  /**
   * The Auto Scaling step, handed in because it is loaded on demand with the other steps that act after the role
   * is assumed (steps/loadStepsOnDemand.ts): a cold start does not load its commands.
   */
  readonly disableAutoScalingGroup: typeof disableAutoScalingGroup;
  /** The instance's credentials (IAM), loaded on demand too. */
  readonly revokeInstanceCredentials: typeof revokeInstanceCredentials;
  /**
   * Told once the steps on the isolation path (`calls: 'isolation'`) are done, skipped or failed: the isolation
   * gate then stops holding other responses' after-isolation calls for this one (decision 0026).
   */
  readonly isolated?: () => void;
}

const CONTAINMENT_STEP_NAMES = stepsInPhase('containment');

const { user: _user, role: _role, ...NO_UNDO }: IncidentUndo = EMPTY_UNDO;

/** What the registry's "would do" of a held-back step is told about this instance. */
function subjectOf(instance: InstanceFacts, plan: ContainmentPlan): StepSubject {
  return {
    instanceId: instance.instanceId,
    findingId: plan.findingId,
    accountId: plan.accountId,
    instance: {
      networkInterfaceIds: instance.networkInterfaces.map((eni) => eni.networkInterfaceId),
      autoScalingGroupName: instance.autoScalingGroupName,
      volumeCount: instance.volumes.length,
      hibernates: plan.hibernate && instance.hibernationConfigured,
      instanceProfileArn: instance.instanceProfileArn,
    },
    isolationGroupName: plan.isolationGroupName,
    connectionCutGroupName: plan.connectionCutGroupName,
    launcherArn: null,
  };
}

/**
 * Contains the instance, as far as the response mode allows: every containment step of the registry, each started
 * as soon as the steps it waits for (its `after`) let it go. So isolation, the Auto Scaling step and the evidence go
 * at once; the stop waits for the evidence and for the instance to be out of its Auto Scaling group (not for the
 * group's 0/0/0), and never runs while it is still in it (a stopped in-service instance is replaced and
 * terminated, with its evidence). Isolation never waits for anything but the instance read. Steps the mode holds
 * back are recorded as skipped with what they would have done; steps an earlier delivery completed are not run.
 */
export async function containInstance(clients: MemberAccountClients, plan: ContainmentPlan): Promise<Containment> {
  const { instance, instanceId } = plan;
  const notContainable = whyNotContainable(instance);
  if (instance === null || notContainable !== null) {
    const reason = notContainable ?? 'the instance could not be read';
    plan.isolated?.();
    return {
      records: CONTAINMENT_STEP_NAMES.filter((step) => !plan.completed.has(step)).map((step) =>
        decidedRecord({ step, target: instanceId }, skipped(reason), plan.now),
      ),
      undo: NO_UNDO,
      evidence: NO_EVIDENCE,
    };
  }
  const context: ContainmentContext = { clients, instance, plan };
  const subject = subjectOf(instance, plan);
  const started = new Map<MemberAccountStepName, StartedStep>();
  for (const step of CONTAINMENT_STEP_NAMES) {
    // The registry lists a step after the steps it waits for (a test keeps it so): their gates exist already.
    const gates = Promise.all(
      stepDefinition(step).after.flatMap((before) => started.get(before as MemberAccountStepName)?.ready ?? []),
    );
    started.set(step, startStep(step, context, gates, subject));
  }
  const isolationPath = CONTAINMENT_STEP_NAMES.filter((step) => CONTAINMENT_STEPS[step].calls === 'isolation');
  void Promise.allSettled(isolationPath.map((step) => started.get(step)?.done)).then(() => plan.isolated?.());
  const outcomes = await Promise.all([...started.values()].map((step) => step.done));
  return {
    records: outcomes.flatMap((outcome) => outcome.records),
    undo: Object.assign({ ...NO_UNDO }, ...outcomes.map((outcome) => outcome.undo ?? {})),
    evidence: Object.assign({ ...NO_EVIDENCE }, ...outcomes.map((outcome) => outcome.evidence ?? {})),
  };
}

/** Runs the step, or records why not: completed by an earlier delivery (nothing new), nothing to do, held back. */
function startStep(
  step: StepOfPhase<'containment'>,
  context: ContainmentContext,
  gates: Promise<readonly Gate[]>,
  subject: StepSubject,
): StartedStep {
  const { plan } = context;
  const implementation = CONTAINMENT_STEPS[step];
  if (plan.completed.has(step)) return { ready: Promise.resolve(OPEN), done: Promise.resolve({ records: [] }) };
  if (stepRunsIn(step, plan.mode.mode)) {
    // The class the step names goes with every call it sends (clients/callClass.ts).
    const early = inCallClass(implementation.calls, () => implementation.readEarly?.(context));
    // Settled by start; never an unhandled rejection while the gates are awaited.
    early?.catch(() => undefined);
    const started = gates.then((open) =>
      inCallClass(implementation.calls, () => implementation.start(context, open, early)),
    );
    return { ready: started.then((running) => running.ready), done: started.then((running) => running.done) };
  }
  const records = implementation.nothingToDo?.(context) ?? [
    decidedRecord(
      { step, target: context.instance.instanceId },
      heldBack(plan.mode.mode, wouldDo(step, subject) ?? ''),
      plan.now,
    ),
  ];
  return {
    ready: Promise.resolve(implementation.gateWhenNotRun?.(context) ?? OPEN),
    done: Promise.resolve({ records }),
  };
}

function whyNotContainable(instance: InstanceFacts | null): string | null {
  if (instance === null) return null;
  if (instance.state === 'terminated' || instance.state === 'shutting-down') {
    return `the instance is ${instance.state}: nothing left to contain`;
  }
  return null;
}
