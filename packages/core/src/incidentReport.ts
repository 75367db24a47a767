import { z } from 'zod';
import { ACTOR_TYPES } from './classifyActor';
import { stepRecordSchema } from './stepOutcome';

/** Bumped on any change a reader of old reports must know about. */
export const INCIDENT_REPORT_SCHEMA_VERSION = '1.0';

const nullableText = z.string().nullable();

/**
 * What happened to the finding as a whole:
 * - `responded`: the engine acted (see `steps` for what worked);
 * - `refused`: the account is not an ACTIVE member of the organization, nothing was touched;
 * - `needs-person`: crypto-mining, but nothing the engine can contain (no EC2 instance).
 */
export const DISPOSITIONS = ['responded', 'refused', 'needs-person'] as const;

const networkInterfaceUndo = z.object({
  networkInterfaceId: z.string(),
  vpcId: z.string(),
  /** The groups the ENI had before isolation: put these back to undo. */
  previousSecurityGroupIds: z.array(z.string()),
  isolationSecurityGroupId: z.string(),
});

const autoScalingGroupUndo = z.object({
  autoScalingGroupName: z.string(),
  /** The instance was detached with decrement; attach it again (or not) when restoring. */
  detachedInstanceId: z.string().nullable(),
  previousMinSize: z.number().int(),
  previousMaxSize: z.number().int(),
  previousDesiredCapacity: z.number().int(),
});

const userUndo = z.object({
  userArn: z.string(),
  /** A deleted password cannot be restored: create a new login profile. */
  loginProfileDeleted: z.boolean(),
  deactivatedAccessKeyIds: z.array(z.string()),
  /** The inline deny-all policy to delete. */
  denyPolicyName: z.string().nullable(),
});

const roleUndo = z.object({
  roleArn: z.string(),
  /** The trust policy before the freeze, as the JSON document IAM returned: restore it with UpdateAssumeRolePolicy. */
  originalTrustPolicy: z.string().nullable(),
  trustPolicyReplaced: z.boolean(),
  /** The inline policy that denies sessions issued before the freeze. */
  revokeSessionsPolicyName: z.string().nullable(),
});

/**
 * The incident report: the original design's fields with their names and meanings (`timestamp`,
 * `guarddutyFindingType`, `instanceId`, `region`, `actor`, `response`), plus what a person needs to check
 * and undo the response. Published as JSON Schema (incidentReportJsonSchema).
 */
export const incidentReportSchema = z.object({
  schemaVersion: z.literal(INCIDENT_REPORT_SCHEMA_VERSION),
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
  }),
  /** Each flag is true only if every action behind it succeeded (or found the state already right). */
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
  }),
});

export type IncidentReport = z.infer<typeof incidentReportSchema>;
export type Disposition = IncidentReport['disposition'];
export type IncidentUndo = IncidentReport['undo'];
export type NetworkInterfaceUndo = z.infer<typeof networkInterfaceUndo>;
export type AutoScalingGroupUndo = z.infer<typeof autoScalingGroupUndo>;
export type UserUndo = z.infer<typeof userUndo>;
export type RoleUndo = z.infer<typeof roleUndo>;

/** The report's JSON Schema (draft 2020-12), for readers in other languages and for Athena/Glue. */
export const incidentReportJsonSchema = z.toJSONSchema(incidentReportSchema, { target: 'draft-2020-12' });
