import type * as z from 'zod';
import type { attributionLink, delivery, incidentReportSchema, snapshotEvidence } from './incidentReportSchema';
import type {
  autoScalingGroupUndo,
  evidenceUndo,
  instanceCredentialsUndo,
  lambdaFunctionUndo,
  metadataOptions,
  networkAclEntryUndo,
  networkInterfaceUndo,
  roleUndo,
  stopProtectionUndo,
  userUndo,
} from './incidentUndo';

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

/** Every time the finding reached the responder (GuardDuty re-sends a finding with the same id). */
export const DELIVERY_OUTCOMES = ['acted', 'repeated', 'concurrent'] as const;

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
