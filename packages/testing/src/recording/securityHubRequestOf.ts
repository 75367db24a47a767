/**
 * The requests IAM authorizes for the central function's Security Hub calls (Service Authorization Reference:
 * BatchUpdateFindings on the caller's `hub/default`, its `securityhub:ASFFSyntaxPath/<field>` keys from the fields
 * updated; BatchImportFindings on each finding's product, `securityhub:TargetAccount` its AwsAccountId).
 * Undefined for an action it does not know.
 */
export function securityHubRequestsOf(
  action: string,
  input: Readonly<Record<string, unknown>>,
  where: { readonly partition: string; readonly region: string; readonly account: string },
): { readonly resource: string; readonly context: Record<string, string> }[] | undefined {
  switch (action) {
    case 'securityhub:BatchUpdateFindings': {
      const context: Record<string, string> = {};
      const status = (input.Workflow as { Status?: unknown } | undefined)?.Status;
      if (typeof status === 'string') context['securityhub:ASFFSyntaxPath/Workflow.Status'] = status;
      return [{ resource: `arn:${where.partition}:securityhub:${where.region}:${where.account}:hub/default`, context }];
    }
    case 'securityhub:BatchImportFindings':
      // The emulator's central account is moto's default, the deployed one another: a finding of the caller's own
      // default product and account (what the input says) is asked in the account the call is made in, as deployed;
      // any other product or account is asked as the input names it.
      return ((input.Findings ?? []) as { ProductArn?: unknown; AwsAccountId?: unknown }[]).map((finding) => {
        const own = `:product/${String(finding.AwsAccountId)}/default`;
        const isOwn = String(finding.ProductArn).endsWith(`:${String(finding.AwsAccountId)}${own}`);
        return {
          resource: isOwn
            ? `arn:${where.partition}:securityhub:${where.region}:${where.account}:product/${where.account}/default`
            : String(finding.ProductArn),
          context: { 'securityhub:TargetAccount': isOwn ? where.account : String(finding.AwsAccountId) },
        };
      });
    default:
      return undefined;
  }
}
