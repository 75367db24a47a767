import type { S3Client } from '@aws-sdk/client-s3';
import { followedInstanceFindingsOf, type IncidentReport, linkedInstanceFindingOf } from '@cryptominer-defense/core';
import { type FoundReport, reportNamedByFindingState } from './findIncidentReport';

/** A linked incident of a report: its report, or why none was found. */
export type LinkedIncident =
  | { readonly findingId: string; readonly found: FoundReport }
  | { readonly findingId: string; readonly found: null; readonly reason: string };

/**
 * The linked incidents a finding's report started (`<findingId>/linked/<i-…>`: the instance whose role credentials
 * launched it, decision 0021, and the attributed person's other instances it contained, decision 0023), each with
 * its own report, found through its state (one read each; the issue: "a linked containment is released with its
 * incident or alone"). An instance the report lists as answered by another incident is that incident's to release.
 * A linked incident's own report starts none (one level only), so nothing is found for it.
 */
export async function linkedIncidentReports(
  s3: S3Client,
  bucket: string,
  report: IncidentReport,
): Promise<LinkedIncident[]> {
  const launching = linkedInstanceFindingOf(report);
  const linked = [...(launching === null ? [] : [launching]), ...followedInstanceFindingsOf(report)];
  return Promise.all(
    linked.map(async ({ findingId }): Promise<LinkedIncident> => {
      const found = await reportNamedByFindingState(s3, bucket, findingId);
      return found === null
        ? {
            findingId,
            found: null,
            reason: `no report of linked incident ${findingId} is named by its state (never answered, or its state was lost): release it by its report's key (see "cli reports list")`,
          }
        : { findingId, found };
    }),
  );
}
