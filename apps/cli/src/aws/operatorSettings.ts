import { UsageError } from '../command';

type Env = Readonly<Record<string, string | undefined>>;

/** The central region the operator works in: AWS_REGION (or AWS_DEFAULT_REGION), as for `respond`. */
export function centralRegionOf(env: Env): string {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region === undefined || region === '') {
    const profile = env.AWS_PROFILE;
    throw new UsageError(
      profile === undefined || profile === ''
        ? 'Set AWS_REGION to the central region (where the report bucket is), e.g. AWS_REGION=us-east-1.'
        : `Profile "${profile}" names no region (or is not in your AWS config files: aws configure list-profiles): pass --region <central region> before the command, set AWS_REGION, or give the profile one (aws configure set region <region> --profile ${profile}).`,
    );
  }
  return region;
}

/** The central report bucket: --bucket, else REPORT_BUCKET. */
export function reportBucketOf(flag: string | undefined, env: Env): string {
  const bucket = flag ?? env.REPORT_BUCKET;
  if (bucket === undefined || bucket === '') {
    throw new UsageError('Name the report bucket: set REPORT_BUCKET or pass --bucket <name>.');
  }
  return bucket;
}

/** With a custom endpoint (an emulator), S3 needs path-style addressing, as in the responder. */
export function usesCustomS3Endpoint(env: Env): boolean {
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  return endpoint !== undefined && endpoint !== '' && env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS !== 'true';
}
