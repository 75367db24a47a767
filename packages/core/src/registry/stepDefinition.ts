import type { ResponseMode } from '../responsePolicy';
import type { ActionScope } from './memberActionScopes';
import type { ReleaseStepName } from './releaseSteps';

/** Any step of the registry: what it is for and the AWS actions it calls. */
export interface StepDefinition {
  readonly description: string;
  readonly iamActions: readonly string[];
  /**
   * Permissions IAM checks for one of those calls without being a call of their own (iam:PassRole of
   * AssociateIamInstanceProfile): granted with the step, never seen on the wire.
   */
  readonly impliedActions?: readonly string[];
}

/**
 * Where a member-account step stands in a response: `read` and `attribution` change nothing; `containment`
 * acts on the instance; `freeze` acts on who launched it; `function` acts on a Lambda function (Lambda findings only).
 */
export type StepPhase = 'read' | 'containment' | 'attribution' | 'freeze' | 'function';

/** What a step would act on, for the record of a mode that holds it back (and for the sample report). */
export interface StepSubject {
  readonly instanceId: string;
  readonly findingId: string;
  readonly accountId: string;
  /** The instance as DescribeInstances gave it; null when only the finding is known (a sample finding). */
  readonly instance: {
    readonly networkInterfaceIds: readonly string[];
    readonly autoScalingGroupName: string | null;
    readonly volumeCount: number;
    /** Launched with hibernation, and the configuration asks to hibernate. */
    readonly hibernates: boolean;
    /** Its instance profile (ARN) as DescribeInstances gave it; null when it has none. */
    readonly instanceProfileArn: string | null;
  } | null;
  readonly isolationGroupName: string;
  readonly connectionCutGroupName: string;
  /** The principal to freeze (null while unknown). */
  readonly launcherArn: string | null;
  /** A Lambda finding: the function it names (unqualified ARN); absent for an instance. */
  readonly lambdaFunctionArn?: string;
}

/** A member-account step as written in the registry. */
export interface MemberStepInput {
  readonly description: string;
  readonly phase: StepPhase;
  /** Every AWS action the step calls, with where the member role lets it act (one scope per action). */
  readonly actions: Readonly<Record<string, ActionScope>>;
  /** The response modes that run it; in the others it is recorded as held back, with what it would do. */
  readonly modes: readonly ResponseMode[];
  /** Whether a later delivery of the finding leaves it alone once it took effect (repeatedDelivery.ts). */
  readonly doneOnce: boolean;
  /** The steps it waits for (their keys; a test checks each is a registered step). */
  readonly after: readonly string[];
  /** What it would do, for a mode that holds it back; null (or absent) when it would not run for this subject. */
  readonly wouldDo?: (subject: StepSubject) => string | null;
  /** The release steps that undo it; none when release leaves it to a person (evidence, the stop). */
  readonly releasedBy: readonly ReleaseStepName[];
}

export type MemberStepDefinition = MemberStepInput & StepDefinition;

/** A registry entry, with its action list derived from its scopes (the form every consumer reads). */
export function memberStep<const T extends MemberStepInput>(input: T): T & { readonly iamActions: readonly string[] } {
  return { ...input, iamActions: Object.keys(input.actions) };
}
