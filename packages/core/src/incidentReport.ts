import * as z from 'zod';
import { approvalPendingSchema } from './approvalPending';
import { freezeDecisionRecord } from './attribution/freezeDecisionRecord';
import { linkedInstancesRecord } from './attribution/linkedInstancesRecord';
import { ACTOR_TYPES } from './classifyActor';
import {
  autoScalingGroupUndo,
  evidenceUndo,
  instanceCredentialsUndo,
  lambdaFunctionUndo,
  type metadataOptions,
  networkAclEntryUndo,
  networkInterfaceUndo,
  roleUndo,
  stopProtectionUndo,
  userUndo,
} from './incidentUndo';
import { RESPONSE_MODES } from './responsePolicy';
import { guardDutyFindingReference } from './securityHub/guardDutyFindingReference';
import { stepRecordSchema } from './stepOutcome';

/**
 * Bumped on any change a reader of old reports must know about. 1.2 added `undo.stopProtection`; 2.0 freezes by
 * attaching AWSDenyAll (`undo.user.deniedByPolicyArn`, `undo.role.deniedByPolicyArn`) instead of writing an inline
 * policy and a trust policy (the older fields stay, null or false in 2.0 reports, for the reports written before);
 * 2.1 added `undo.networkAclEntries` (the deny entries of the network ACL hard cut); 2.2 added `undo.lambdaFunction`
 * (the reserved concurrency of a throttled Lambda function); 2.3 added `undo.instanceCredentials` (the instance
 * profile, the denied-instance tag, the metadata options); 2.4 added `freezeDecision` (whom the response froze and
 * why, or the launching instance it contained instead); 2.5 added the response mode `approval` and `approval` (the
 * steps that wait for a person's `cli approve`), `linkedInstances`, `actor.accessKeyId` and `guardDutyFinding` (its
 * ARN and detector); 2.6 added the disposition `answered-elsewhere` (another finding's response claimed the instance
 * first, docs/decisions/0023) and names the finding in the report's key.
 */
export const INCIDENT_REPORT_SCHEMA_VERSION = '2.6';

/** The versions this code reads (the engine writes only the last): older reports stay readable and releasable. */
const EARLIER_SCHEMA_VERSIONS = ['1.1', '1.2', '2.0', '2.1', '2.2', '2.3', '2.4', '2.5'] as const;
export const READABLE_SCHEMA_VERSIONS = [...EARLIER_SCHEMA_VERSIONS, INCIDENT_REPORT_SCHEMA_VERSION] as const;

const nullableText = z.string().nullable();

/**
 * What happened to the finding as a whole:
 * - `responded`: the engine acted (see `steps` for what worked);
 * - `refused`: the account is not an ACTIVE member of the organization, nothing was changed (reads only);
 * - `needs-person`: crypto-mining, but nothing the engine can contain (no EC2 instance);
 * - `answered-elsewhere` (since 2.6): another finding's response claimed the instance first (its own finding's, a
 *   linked incident's, an attack sequence's): that incident answers it, nothing was changed here, and
 *   `dispositionReason` names it (the `claimInstance` step's target is the claim).
 */
export const DISPOSITIONS = ['responded', 'refused', 'needs-person', 'answered-elsewhere'] as const;

const snapshotEvidence = z.object({
  volumeId: z.string(),
  snapshotId: z.string(),
});

/** One link of the attribution chain: RunInstances, then (for Auto Scaling) the group or template change. */
const attributionLink = z.object({
  eventName: z.string(),
  eventId: nullableText,
  eventTime: nullableText,
  /** The identity that made the call (CloudTrail's userIdentity.arn). */
  actorArn: nullableText,
  /** What the call was about: the instance, the Auto Scaling group or the launch template. */
  resourceName: nullableText,
});

/** Every time the finding reached the responder (GuardDuty re-sends a finding with the same id). */
export const DELIVERY_OUTCOMES = ['acted', 'repeated', 'concurrent'] as const;
const delivery = z.object({
  receivedAt: z.iso.datetime({ offset: true }),
  /** The EventBridge event id (a retry of the same event keeps it; a GuardDuty re-send gets a new one). */
  eventId: nullableText,
  /** GuardDuty's service.count at that delivery. */
  serviceCount: z.number().int().nullable(),
  /**
   * `acted`: the first delivery, which responded; `repeated`: a later one, which retried only what had not
   * worked; `concurrent`: arrived while another delivery was acting, changed nothing.
   */
  outcome: z.enum(DELIVERY_OUTCOMES),
});

/**
 * The incident report: the original design's fields with their names and meanings (`timestamp`,
 * `guarddutyFindingType`, `instanceId`, `region`, `actor`, `response`), plus what a person needs to check
 * and undo the response. Published as JSON Schema (incidentReportJsonSchema).
 */
export const incidentReportSchema = z.object({
  schemaVersion: z.enum(READABLE_SCHEMA_VERSIONS),
  timestamp: z.iso.datetime({ offset: true }),
  disposition: z.enum(DISPOSITIONS),
  /** Why the finding was refused or needs a person; null when the engine responded. */
  dispositionReason: nullableText,
  findingId: z.string(),
  guarddutyFindingType: z.string(),
  severity: z.number(),
  accountId: z.string().regex(/^\d{12}$/),
  region: z.string(),
  partition: z.string(),
  resourceType: z.string(),
  /** GuardDuty's generated sample finding. */
  sample: z.boolean(),
  /** How far the response went (RESPONSE_POLICY; samples are always observe) and which rule chose it. */
  responseMode: z.object({ mode: z.enum(RESPONSE_MODES), reason: z.string() }),
  /**
   * Since schema 2.4 (absent in older reports): in approval mode, the steps that wait for a person. Always `pending`
   * here: the report is written once; the decision is its own object (approvals/, core's approvalRecordKey).
   */
  approval: approvalPendingSchema.nullable().optional(),
  instanceId: nullableText,
  actor: z.object({
    type: z.enum(ACTOR_TYPES),
    arn: nullableText,
    sourceIp: nullableText,
    userAgent: nullableText,
    principalArn: nullableText,
    identityType: nullableText,
    invokedBy: nullableText,
    launchEventTime: nullableText,
    launchEventId: nullableText,
    /** Since schema 2.5: the access key the launch was signed with (rotate it; a role session is followed by it). */
    accessKeyId: nullableText.optional(),
  }),
  /**
   * How the actor was found: RunInstances, then for a launch by a service the call that asked it for the instance
   * (the Auto Scaling group or template change, CreateStack / UpdateStack, CreateFleet, RequestSpotFleet,
   * RequestSpotInstances).
   */
  attributionChain: z.array(attributionLink),
  /**
   * Since schema 2.4 (absent in older reports): whom the response freezes and why: the person; nobody (a service
   * with nobody behind it, a deployment identity, an old launch); or the instance whose role credentials launched
   * it, contained as the linked incident `<findingId>/linked/<instanceId>`.
   */
  freezeDecision: freezeDecisionRecord.optional(),
  /** Since schema 2.5: the person's other running instances, in every region, and what was done (linkedInstancesRecord). */
  linkedInstances: linkedInstancesRecord.optional(),
  /** Since 2.5: the GuardDuty finding answered (Security Hub's update, release's feedback); null: none known. */
  guardDutyFinding: guardDutyFindingReference.nullable().optional(),
  /** What was kept for forensics: EBS snapshots (tagged with the finding id), whether the instance hibernated. */
  evidence: z.object({
    snapshots: z.array(snapshotEvidence),
    hibernated: z.boolean(),
  }),
  /** Every delivery of this finding known when the report was written, oldest first. */
  deliveries: z.array(delivery),
  /**
   * Each flag is true only if every action behind it succeeded (or found the state already right). A failed
   * attempt its step fell back from (hibernate, then a plain stop) stays in `steps` but is not behind a flag.
   */
  response: z.object({
    asgDisabled: z.boolean(),
    networkIsolated: z.boolean(),
    instanceStopped: z.boolean(),
    actorFrozen: z.boolean(),
    rootInvolved: z.boolean(),
    manualInterventionRequired: z.boolean(),
  }),
  /** One line per thing a person must do or check; empty exactly when manualInterventionRequired is false. */
  manualInterventionReasons: z.array(z.string()),
  steps: z.array(stepRecordSchema),
  undo: z.object({
    networkInterfaces: z.array(networkInterfaceUndo),
    autoScalingGroup: autoScalingGroupUndo.nullable(),
    user: userUndo.nullable(),
    role: roleUndo.nullable(),
    evidence: evidenceUndo.nullable(),
    /** Since schema 1.2 (absent in older reports): the stop protection the response lifted before stopping. */
    stopProtection: stopProtectionUndo.nullable().optional(),
    /** Since schema 2.1 (absent in older reports): the deny entries the network ACL hard cut added. */
    networkAclEntries: z.array(networkAclEntryUndo).optional(),
    /** Since schema 2.2 (absent in older reports): the Lambda function throttled to reserved concurrency 0. */
    lambdaFunction: lambdaFunctionUndo.nullable().optional(),
    /** Since schema 2.3 (absent in older reports): the instance's own credentials denied, its profile and metadata. */
    instanceCredentials: instanceCredentialsUndo.nullable().optional(),
  }),
});

export type IncidentReport = z.infer<typeof incidentReportSchema>;
export type Disposition = IncidentReport['disposition'];
export type IncidentUndo = IncidentReport['undo'];
export type NetworkInterfaceUndo = z.infer<typeof networkInterfaceUndo>;
export type AutoScalingGroupUndo = z.infer<typeof autoScalingGroupUndo>;
export type UserUndo = z.infer<typeof userUndo>;
export type RoleUndo = z.infer<typeof roleUndo>;
export type EvidenceUndo = z.infer<typeof evidenceUndo>;
export type StopProtectionUndo = z.infer<typeof stopProtectionUndo>;
export type NetworkAclEntryUndo = z.infer<typeof networkAclEntryUndo>;
export type LambdaFunctionUndo = z.infer<typeof lambdaFunctionUndo>;
export type InstanceCredentialsUndo = z.infer<typeof instanceCredentialsUndo>;
export type MetadataOptionsUndo = z.infer<typeof metadataOptions>;
export type SnapshotEvidence = z.infer<typeof snapshotEvidence>;
export type AttributionLink = z.infer<typeof attributionLink>;
export type Delivery = z.infer<typeof delivery>;
export type DeliveryOutcome = Delivery['outcome'];
export type IncidentEvidence = IncidentReport['evidence'];
