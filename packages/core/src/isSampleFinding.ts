import type { GuardDutyFinding } from './guardDutyFindingEvent';

/**
 * True for GuardDuty's generated sample findings (placeholder ids such as `i-99999999`).
 * `service.additionalInfo` comes in two shapes (fixtures/README.md): `sample` directly on it, or inside
 * the JSON string `value`. Both are read; an unreadable `value` means "not marked as a sample".
 */
export function isSampleFinding(finding: GuardDutyFinding): boolean {
  const additionalInfo = finding.service?.additionalInfo;
  if (additionalInfo === undefined || additionalInfo === null) return false;
  if (additionalInfo.sample === true) return true;
  const value = additionalInfo.value;
  if (typeof value !== 'string') return false;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && 'sample' in parsed && parsed.sample === true;
  } catch {
    return false;
  }
}
