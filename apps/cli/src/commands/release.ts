import { S3Client } from '@aws-sdk/client-s3';
import { findIncidentReport, linkedIncidentReports, ReleaseError } from '@cryptominer-defense/release';
import { centralRegionOf, reportBucketOf, usesCustomS3Endpoint } from '../aws/operatorSettings';
import { type Command, UsageError } from '../command';
import { parseCommandFlags, requireFlag } from '../flags/parseCommandFlags';
import { outputFlags, outputFormatOf, writeOutput } from '../output/outputFormat';
import { createProgress } from '../output/progress';
import { type ReleasedIncident, type ReleaseSettings, releaseIncident } from '../release/releaseIncident';

const HELP = `Usage: cli release --report <key|findingId> [--yes] [--false-positive] [--role-name <name>] [--bucket <name>]
                   [--output table|json]

Undoes what an incident report says the response did, in the incident's account and region: puts every
isolated network interface back on its groups, restores the Auto Scaling group's sizes, reactivates the
access keys, restores the role's trust policy, removes the deny policies. It keeps the evidence (snapshots,
tags, termination protection), leaves the instance stopped and out of its group, and cannot restore a
deleted console password: it says so.

The incident's linked incidents (the instance whose credentials launched it, the launcher's other instances it
contained: <findingId>/linked/<i-…>) are released with it, each in its own region with its own plan and record;
give a linked incident's id to release it alone.

It reads the account first and shows the plan; it changes nothing without --yes. Anything changed since the
response (a group resized, a trust policy edited) is not overwritten. With --yes it appends a release record
to the incident in the bucket (releases/<report key>/<time>-<random>.json); the report itself is never changed.

  --report <key|findingId>  the report's key (incidents/…json) or the GuardDuty finding id (scans the bucket)
  --yes                     apply the plan
  --false-positive          with --yes: the finding was a false positive. Its Security Hub workflow becomes RESOLVED
                            (with a note), GuardDuty gets NOT_USEFUL feedback and archives it, so it is not sent
                            again; with your credentials in the central (GuardDuty and Security Hub administrator)
                            account and region
  --role-name <name>        a role you may assume in the incident's account (e.g. OrganizationAccountAccessRole);
                            without it, your credentials must be that account's
  --bucket <name>           the central report bucket (default: REPORT_BUCKET)
  --output <o>              table (the default: the plan and the outcome as tables) or json: {"plan": …, "linked":
                            […]} or {"plan": …, "record": …, "recordKey": …, "linked": […]}, each linked incident
                            with its own plan (and record)
  --json                    --output json

Credentials: your own (the AWS SDK's default chain); the responder role is not used and grants none of this.
Environment: AWS_REGION (the central region), REPORT_BUCKET.
Exit: 0 plan shown, or every change made and recorded; 1 a change failed (see the table), a record could
not be written, or a linked incident has no report; 2 invalid usage or no such report.`;

/** A plan and its outcome are one document, not rows: no csv. */
const OUTPUTS = ['table', 'json'] as const;

const FLAGS = {
  report: { type: 'string' },
  yes: { type: 'boolean', default: false },
  'false-positive': { type: 'boolean', default: false },
  'role-name': { type: 'string' },
  bucket: { type: 'string' },
  ...outputFlags(OUTPUTS),
} as const;

/** Undoes a response, plan first, acting only with --yes. */
export const release: Command = {
  summary: 'Undo what an incident report says was done (shows the plan; acts only with --yes)',
  help: HELP,
  flags: FLAGS,
  async run(args, io) {
    const { values } = parseCommandFlags('release', args, FLAGS);
    const asTable = outputFormatOf('release', values, OUTPUTS) === 'table';
    const reference = requireFlag('release', 'report', values.report);
    const bucket = reportBucketOf(values.bucket, io.env);
    const centralRegion = centralRegionOf(io.env);
    const progress = createProgress(io.stderr);
    const s3 = new S3Client({ region: centralRegion, forcePathStyle: usesCustomS3Endpoint(io.env) });
    try {
      const found = await progress
        .spin(
          `Finding the report for ${reference}`,
          findIncidentReport(s3, bucket, reference, {
            onProgress: (read, total) => progress.count('Reading reports', read, total),
          }),
        )
        .catch((error: unknown) => {
          if (error instanceof ReleaseError) throw new UsageError(error.message, { cause: error });
          throw error;
        });
      const settings: ReleaseSettings = {
        s3,
        bucket,
        centralRegion,
        apply: values.yes,
        falsePositive: values['false-positive'],
        roleName: values['role-name'],
        asTable,
        progress,
      };
      const own = await releaseIncident(found, settings, io, 'Incident');
      // Its linked incidents (decision 0023) are released with it, each with its own plan and record; a linked id
      // given alone releases that one only (its report links nothing further).
      const linked: (ReleasedIncident | { readonly findingId: string; readonly missing: string })[] = [];
      let failures = own.failures;
      for (const incident of await linkedIncidentReports(s3, bucket, found.report)) {
        if (incident.found === null) {
          linked.push({ findingId: incident.findingId, missing: incident.reason });
          failures += 1;
          if (asTable) io.stdout.write(`\nLinked incident ${incident.findingId}: ${incident.reason}\n`);
          continue;
        }
        if (asTable) io.stdout.write('\n');
        const outcome = await releaseIncident(incident.found, settings, io, 'Linked incident');
        linked.push(outcome.released);
        failures += outcome.failures;
      }
      if (!asTable) writeOutput(io, 'json', { json: () => ({ ...own.released, linked }) });
      else if (!values.yes) io.stdout.write('\nNothing was changed. Run again with --yes to apply this plan.\n');
      return values.yes && failures > 0 ? 1 : 0;
    } finally {
      s3.destroy();
    }
  },
};
