import { CoreError } from '../errors';
import type { GuardDutyFinding } from '../guardDutyFindingEvent';
import * as z from '../zodMini';

/**
 * The report's `guardDutyFinding` (schema 2.5): the GuardDuty finding the incident answers, as Security Hub and
 * GuardDuty name it. An attack sequence's instance and a linked incident carry their GuardDuty finding's, whose id
 * differs from the report's `findingId` (`<id>/instance/<i-…>`, `<id>/linked/<i-…>`).
 */
export const guardDutyFindingReference = z.object({
  /** GuardDuty's own finding id. */
  findingId: z.string(),
  /** The finding's ARN, `arn:<partition>:guardduty:<region>:<account>:detector/<detectorId>/finding/<findingId>`. */
  arn: z.string(),
  /** The detector of the member account that found it (`service.detectorId`). */
  detectorId: z.string(),
});

export type GuardDutyFindingReference = z.infer<typeof guardDutyFindingReference>;

const DETECTOR_ID = /^[A-Za-z0-9]{1,300}$/;

/**
 * The reference from the event's finding. The ARN is built in its documented form from the checked account, region,
 * partition and id and the detector, not copied from the event's `arn` (the envelope is untrusted: Security Hub
 * names GuardDuty's finding by this ARN, so a forged one could point the update at another finding). Null when the
 * event names no well-formed detector (a hand-made event): Security Hub and GuardDuty cannot be told about it then.
 */
export function guardDutyFindingReferenceOf(finding: GuardDutyFinding): GuardDutyFindingReference | null {
  // Read from the kept unknown fields, not checked by the event schema: a finding without one is still contained.
  const detectorId: unknown = finding.service?.detectorId;
  if (typeof detectorId !== 'string' || !DETECTOR_ID.test(detectorId)) return null;
  const arn = `arn:${finding.partition}:guardduty:${finding.region}:${finding.accountId}:detector/${detectorId}/finding/${finding.id}`;
  return { findingId: finding.id, arn, detectorId };
}

/**
 * The region GuardDuty found the finding in, read from its ARN (built from the checked event): the region whose
 * detector holds it, so the one GuardDuty's finding APIs are called in and Security Hub's product ARN names.
 */
export function guardDutyFindingRegion(reference: GuardDutyFindingReference): string {
  const region = reference.arn.split(':')[3];
  if (region === undefined || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new CoreError(
      `The GuardDuty finding ARN ${reference.arn} names no region: the report's guardDutyFinding is malformed`,
    );
  }
  return region;
}
