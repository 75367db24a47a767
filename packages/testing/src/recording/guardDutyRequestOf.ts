/**
 * The requests IAM authorizes for the GuardDuty calls of `cli release --false-positive` (UpdateFindingsFeedback,
 * ArchiveFindings, made by the GuardDuty administrator): neither has resource-level permissions (iam-simulate,
 * which carries the Service Authorization Reference's data, refuses any resource but `*` for them: must.use.wildcard),
 * so the request is on `*`, whatever detector the input names. Undefined for any other action.
 */
export function guardDutyRequestsOf(
  action: string,
): { readonly resource: string; readonly context: Record<string, string> }[] | undefined {
  switch (action) {
    case 'guardduty:ArchiveFindings':
    case 'guardduty:UpdateFindingsFeedback':
      return [{ resource: '*', context: {} }];
    default:
      return undefined;
  }
}
