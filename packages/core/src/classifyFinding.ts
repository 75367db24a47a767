import {
  ATTACK_SEQUENCE_INSTANCE_GROUP_TYPE,
  type AttackSequenceClassification,
  classifyAttackSequence,
  DEFAULT_MAX_INSTANCES_PER_SEQUENCE,
} from './attackSequenceInstances';
import { isCryptoMiningFindingType, isNonexistentFindingType } from './findingTypes';
import type { GuardDutyFinding } from './guardDutyFindingEvent';
import { isSampleFinding } from './isSampleFinding';
import { type LambdaFunctionOfFinding, lambdaFunctionOfFinding } from './lambdaFunctionOfFinding';
import { printable } from './printable';
import { type GuardDutyFindingReference, guardDutyFindingReferenceOf } from './securityHub/guardDutyFindingReference';

/** What the finding is about, as the report and the steps need it. */
export interface FindingSummary {
  readonly findingId: string;
  readonly findingType: string;
  readonly severity: number;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly resourceType: string;
  /** Set when the finding names an EC2 instance. */
  readonly instanceId: string | null;
  /** GuardDuty's generated sample finding (placeholder ids). */
  readonly sample: boolean;
  /** The GuardDuty finding it answers (Security Hub's update, release's feedback); absent or null: none known. */
  readonly guardDutyFinding?: GuardDutyFindingReference | null;
}

/** What to do with a finding: five answers, each with what the next stage needs. */
export type FindingClassification =
  /**
   * AttackSequence:EC2/CompromisedInstanceGroup with crypto-mining signals: each instance of the finding's account
   * is contained as a finding of its own (`derived`); the sequence gets a report for a person (`reason`).
   */
  | {
      readonly kind: 'attack-sequence';
      readonly finding: FindingSummary;
      readonly derived: Extract<AttackSequenceClassification, { kind: 'contain-instances' }>;
    }
  /** A crypto-mining finding on an EC2 instance: contain it. */
  | { readonly kind: 'respond'; readonly finding: FindingSummary & { readonly instanceId: string } }
  /** Crypto-mining in a Lambda function (CryptoCurrency:Lambda/BitcoinTool.B): throttle it to 0. */
  | {
      readonly kind: 'throttle-function';
      readonly finding: FindingSummary;
      readonly lambdaFunction: LambdaFunctionOfFinding;
    }
  /** Not a crypto-mining finding: not ours, nothing is written. */
  | { readonly kind: 'ignore'; readonly reason: string; readonly finding: FindingSummary }
  /** Crypto-mining, but no instance to contain (EKS, ECS, Lambda...): a report asks a person to act. */
  | { readonly kind: 'needs-person'; readonly reason: string; readonly finding: FindingSummary };

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

export function summarizeFinding(finding: GuardDutyFinding): FindingSummary {
  const instanceId = finding.resource.instanceDetails?.instanceId;
  return {
    findingId: finding.id,
    findingType: finding.type,
    severity: finding.severity,
    accountId: finding.accountId,
    region: finding.region,
    partition: finding.partition,
    resourceType: finding.resource.resourceType,
    instanceId: typeof instanceId === 'string' && instanceId !== '' ? instanceId : null,
    sample: isSampleFinding(finding),
    guardDutyFinding: guardDutyFindingReferenceOf(finding),
  };
}

export interface ClassifyOptions {
  /** At most this many instances of one attack sequence are contained (the rest are listed for a person). */
  readonly maxInstancesPerSequence?: number;
}

export function classifyFinding(finding: GuardDutyFinding, options: ClassifyOptions = {}): FindingClassification {
  const summary = summarizeFinding(finding);
  if (finding.type === ATTACK_SEQUENCE_INSTANCE_GROUP_TYPE) {
    const sequence = classifyAttackSequence(
      finding,
      summary,
      options.maxInstancesPerSequence ?? DEFAULT_MAX_INSTANCES_PER_SEQUENCE,
    );
    if (sequence.kind === 'needs-person') return { kind: 'needs-person', reason: sequence.reason, finding: summary };
    return { kind: 'attack-sequence', finding: summary, derived: sequence };
  }
  if (isNonexistentFindingType(finding.type)) {
    return {
      kind: 'ignore',
      reason: `${finding.type} is not a type GuardDuty emits (the crypto-mining types end in .B, .B!DNS...): not acted on`,
      finding: summary,
    };
  }
  if (!isCryptoMiningFindingType(finding.type)) {
    return { kind: 'ignore', reason: `not a crypto-mining finding type: ${finding.type}`, finding: summary };
  }
  // Runtime findings on containers can still carry instanceDetails (fixtures/README.md): the resource type
  // decides what the finding is about, not the presence of instance fields.
  if (summary.resourceType === 'Lambda') {
    const lambdaFunction = lambdaFunctionOfFinding(finding);
    if (lambdaFunction !== null) return { kind: 'throttle-function', finding: summary, lambdaFunction };
    return {
      kind: 'needs-person',
      reason:
        'crypto-mining in a Lambda function, but the finding names no valid function (lambdaDetails.functionName)',
      finding: summary,
    };
  }
  if (summary.resourceType !== 'Instance') {
    return {
      kind: 'needs-person',
      reason: `crypto-mining on a resource of type ${summary.resourceType}: there is no EC2 instance to contain; respond in that service`,
      finding: summary,
    };
  }
  const { instanceId } = summary;
  if (instanceId === null || !INSTANCE_ID.test(instanceId)) {
    return {
      kind: 'needs-person',
      reason: `crypto-mining on an instance, but the finding names no valid instance id (${instanceId === null ? 'none' : printable(instanceId)})`,
      finding: summary,
    };
  }
  return { kind: 'respond', finding: { ...summary, instanceId } };
}
