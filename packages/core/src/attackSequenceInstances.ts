import type { FindingSummary } from './classifyFinding';
import { DELIVERED_ATTACK_SEQUENCE_TYPES, isCryptoMiningFindingType } from './findingTypes';
import type { GuardDutyFinding } from './guardDutyFindingEvent';
import { printable } from './printable';

/**
 * GuardDuty Extended Threat Detection's finding about a group of EC2 instances (GuardDuty User Guide, "GuardDuty
 * attack sequence finding types"): one finding, its instances in `service.detection.sequence.resources[]`
 * (ResourceV2, `resourceType` `EC2_INSTANCE`), the findings and activities behind it in `…sequence.signals[]`.
 */
export const ATTACK_SEQUENCE_INSTANCE_GROUP_TYPE: string = DELIVERED_ATTACK_SEQUENCE_TYPES[0];

/** How many instances of one sequence are contained at most unless configured (`ATTACK_SEQUENCE_MAX_INSTANCES`). */
export const DEFAULT_MAX_INSTANCES_PER_SEQUENCE = 50;

/** The ledger key of an instance of a sequence: under the sequence's own (`responder-state/<id>/instance/<i-…>/`). */
export function derivedInstanceFindingId(sequenceFindingId: string, instanceId: string): string {
  return `${sequenceFindingId}/instance/${instanceId}`;
}

/** An instance of the sequence, turned into an instance finding of its own. */
export type DerivedInstanceFinding = FindingSummary & { readonly instanceId: string };

/** An instance the sequence names that this path does not contain, and why. */
export interface InstanceLeftForPerson {
  readonly instanceId: string;
  readonly reason: string;
}

export type AttackSequenceClassification =
  /** The sequence shows crypto-mining: each instance of the finding's account and region is contained. */
  | {
      readonly kind: 'contain-instances';
      readonly cryptoMiningSignals: readonly string[];
      readonly derived: readonly DerivedInstanceFinding[];
      readonly leftForPerson: readonly InstanceLeftForPerson[];
    }
  /** Nothing to contain: why, for the sequence's report. */
  | { readonly kind: 'needs-person'; readonly reason: string };

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;
/** `arn:<partition>:ec2:<region>:<account>:instance/<id>`: the uid may be the instance's ARN. */
const INSTANCE_ARN = /^arn:aws[a-z-]*:ec2:[a-z0-9-]+:\d{12}:instance\/(i-[0-9a-f]{8,17})$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listOf(value: unknown): readonly Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function textOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function sequenceOf(finding: GuardDutyFinding): Record<string, unknown> | null {
  const detection = (finding.service as { readonly detection?: unknown } | undefined)?.detection;
  if (!isRecord(detection) || !isRecord(detection.sequence)) return null;
  return detection.sequence;
}

/**
 * The crypto-mining findings behind the sequence: signals of type `FINDING`, whose `name` is the finding's type
 * (API reference, Signal), that core counts as crypto-mining. Activity signals (CloudTrail, S3 data events) name
 * API calls, not finding types, so they never count.
 */
export function cryptoMiningSignalsOf(sequence: Record<string, unknown>): string[] {
  const names = listOf(sequence.signals)
    .filter((signal) => signal.type === 'FINDING')
    .flatMap((signal) => textOf(signal.name) ?? [])
    .filter(isCryptoMiningFindingType);
  return [...new Set(names)];
}

function instanceIdOf(uid: string | null): string | null {
  if (uid === null) return null;
  if (INSTANCE_ID.test(uid)) return uid;
  return INSTANCE_ARN.exec(uid)?.[1] ?? null;
}

/** Why an instance is not the finding's to contain, or null when it is (absent fields mean the finding's own). */
function elsewhereReason(resource: Record<string, unknown>, finding: GuardDutyFinding): string | null {
  const accountId = textOf(resource.accountId);
  const region = textOf(resource.region);
  const partition = textOf(resource.cloudPartition);
  if (accountId !== null && accountId !== finding.accountId) {
    return `in account ${printable(accountId, 20)}, not the finding's ${finding.accountId}: not contained from this finding; respond to that account's own finding or act by hand`;
  }
  if (region !== null && region !== finding.region) {
    return `in region ${printable(region, 30)}, not the finding's ${finding.region}: not contained from this finding; act by hand`;
  }
  if (partition !== null && partition !== finding.partition) {
    return `in partition ${printable(partition, 20)}, not the finding's ${finding.partition}: not contained`;
  }
  return null;
}

/**
 * What to do with an `AttackSequence:EC2/CompromisedInstanceGroup` finding (docs/decisions/0016). Only when a
 * signal of the sequence is a crypto-mining finding are its instances contained: each instance of the finding's
 * account, region and partition becomes an instance finding `<findingId>/instance/<instanceId>` (the parent's type,
 * its severity and sample flag), at most `maxInstances` of them; the others are listed for a person.
 */
export function classifyAttackSequence(
  finding: GuardDutyFinding,
  parent: FindingSummary,
  maxInstances: number = DEFAULT_MAX_INSTANCES_PER_SEQUENCE,
): AttackSequenceClassification {
  const sequence = sequenceOf(finding);
  if (sequence === null) {
    return {
      kind: 'needs-person',
      reason: `${finding.type} without service.detection.sequence: no instances or signals to read; look at the finding in GuardDuty`,
    };
  }
  const cryptoMiningSignals = cryptoMiningSignalsOf(sequence);
  if (cryptoMiningSignals.length === 0) {
    return {
      kind: 'needs-person',
      reason: `attack sequence with no crypto-mining finding among its signals: this tool contains crypto-mining only, nothing was changed; review the sequence in GuardDuty`,
    };
  }
  const derived: DerivedInstanceFinding[] = [];
  const leftForPerson: InstanceLeftForPerson[] = [];
  const seen = new Set<string>();
  for (const resource of listOf(sequence.resources)) {
    if (resource.resourceType !== 'EC2_INSTANCE') continue;
    const uid = textOf(resource.uid);
    const instanceId = instanceIdOf(uid);
    if (instanceId === null) {
      leftForPerson.push({
        instanceId: uid === null ? '(none)' : printable(uid, 80),
        reason: 'not a valid instance id: not contained',
      });
      continue;
    }
    if (seen.has(instanceId)) continue;
    seen.add(instanceId);
    const elsewhere = elsewhereReason(resource, finding);
    if (elsewhere !== null) {
      leftForPerson.push({ instanceId, reason: elsewhere });
    } else if (derived.length >= maxInstances) {
      leftForPerson.push({
        instanceId,
        reason: `over the ${maxInstances} instances contained per sequence (ATTACK_SEQUENCE_MAX_INSTANCES): not contained; act by hand`,
      });
    } else {
      derived.push({
        ...parent,
        findingId: derivedInstanceFindingId(finding.id, instanceId),
        resourceType: 'Instance',
        instanceId,
      });
    }
  }
  if (derived.length === 0 && leftForPerson.length === 0) {
    return {
      kind: 'needs-person',
      reason:
        'attack sequence with crypto-mining signals but no EC2 instance among its resources: nothing was changed; review the sequence in GuardDuty',
    };
  }
  return { kind: 'contain-instances', cryptoMiningSignals, derived, leftForPerson };
}

/** The sequence's own report: what it named, which derived findings were started, what is left for a person. */
export function attackSequenceReportReason(
  classification: Extract<AttackSequenceClassification, { kind: 'contain-instances' }>,
): string {
  const started =
    classification.derived.length === 0
      ? 'no instance of it is contained from this finding'
      : `${classification.derived.length} instance(s) answered as findings of their own, each with its own report (what was contained is there): ${classification.derived.map((finding) => finding.findingId).join(', ')}`;
  const left =
    classification.leftForPerson.length === 0
      ? ''
      : `; not contained: ${classification.leftForPerson.map((instance) => `${instance.instanceId} (${instance.reason})`).join('; ')}`;
  return `attack sequence with crypto-mining signals (${classification.cryptoMiningSignals.join(', ')}): ${started}${left}. The sequence may also involve instance credentials and other resources: review it in GuardDuty`;
}
