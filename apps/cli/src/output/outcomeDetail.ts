/** The DETAIL column of a step's outcome: the AWS error of a failure, the reason of a skip or no-op, else nothing. */
export function outcomeDetail(record: { readonly status: string }): string {
  if ('errorCode' in record && 'errorMessage' in record) return `${record.errorCode}: ${record.errorMessage}`;
  if ('reason' in record && typeof record.reason === 'string') return record.reason;
  return '';
}
