// The incident report's schema (zod): a module of its own, apart from incidentReport.ts's constants and types, so
// that code needing only those (the report's assembly at a Lambda cold start) does not build every schema.
import * as z from 'zod';
import { approvalPendingSchema } from './approvalPending';
import { freezeDecisionRecord } from './attribution/freezeDecisionRecord';
import { linkedInstancesRecord } from './attribution/linkedInstancesRecord';
import { ACTOR_TYPES } from './classifyActor';
import { DELIVERY_OUTCOMES, DISPOSITIONS, READABLE_SCHEMA_VERSIONS } from './incidentReport';
import {
  autoScalingGroupUndo,
  evidenceUndo,
  instanceCredentialsUndo,
  lambdaFunctionUndo,
  networkAclEntryUndo,
  networkInterfaceUndo,
  roleUndo,
  stopProtectionUndo,
  userUndo,
} from './incidentUndo';
import { RESPONSE_MODES } from './responsePolicy';
import { guardDutyFindingReference } from './securityHub/guardDutyFindingReference';
import { stepRecordSchema } from './stepRecordSchema';

const nullableText = z.string().nullable();

export const snapshotEvidence = z.object({
  volumeId: z.string(),
  snapshotId: z.string(),
});

/** One link of the attribution chain: RunInstances, then (for Auto Scaling) the group or template change. */
export const attributionLink = z.object({
  eventName: z.string(),
  eventId: nullableText,
  eventTime: nullableText,
  /** The identity that made the call (CloudTrail's userIdentity.arn). */
  actorArn: nullableText,
  /** What the call was about: the instance, the Auto Scaling group or the launch template. */
  resourceName: nullableText,
});
/** Every time the finding reached the responder (GuardDuty re-sends a finding with the same id). */
export const delivery = z.object({
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
  guardDutyFinding: z.optional(z.nullable(guardDutyFindingReference)),
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
