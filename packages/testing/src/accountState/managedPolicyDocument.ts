import { GetPolicyCommand, GetPolicyVersionCommand, type IAMClient } from '@aws-sdk/client-iam';

/**
 * A policy document as IAM returns it: URL-encoded JSON. moto returns a document that CloudFormation created as the
 * Python repr of it instead (single quotes); the statements are the same, so both forms are read.
 */
export function parsePolicyDocument(document: string | undefined): unknown {
  const text = decodeURIComponent(document ?? '');
  return JSON.parse(text.startsWith("{'") ? text.replaceAll("'", '"') : text);
}

/** A managed policy's default version, parsed. */
export async function managedPolicyDocument(iam: IAMClient, policyArn: string): Promise<unknown> {
  const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }))).Policy;
  const version = await iam.send(
    new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: policy?.DefaultVersionId ?? 'v1' }),
  );
  return parsePolicyDocument(version.PolicyVersion?.Document);
}
