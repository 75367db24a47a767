import { describe, expect, it } from 'vitest';
import { parseGuardDutyFindingEvent } from '../src/guardDutyFindingEvent';
import { isSampleFinding } from '../src/isSampleFinding';
import { eventOf, readFixture, realCryptoEvent, SAMPLE_FINDING } from './fixtures';

function withAdditionalInfo(additionalInfo: unknown) {
  const event = realCryptoEvent();
  const detail = event.detail as { service: Record<string, unknown> };
  return parseGuardDutyFindingEvent({ ...event, detail: { ...detail, service: { ...detail.service, additionalInfo } } })
    .detail;
}

describe('isSampleFinding', () => {
  it('sees `sample: true` directly on additionalInfo (older shape)', () => {
    // Prepare
    const finding = parseGuardDutyFindingEvent(eventOf(readFixture(SAMPLE_FINDING))).detail;

    // Act / Assess
    expect(isSampleFinding(finding)).toBe(true);
  });

  it('sees `sample: true` inside the JSON string `value` (newer shape)', () => {
    // Prepare
    const finding = withAdditionalInfo({ value: '{"sample":true}', type: 'default' });

    // Act / Assess
    expect(isSampleFinding(finding)).toBe(true);
  });

  it.each([
    ['the real finding', undefined],
    ['a value without sample', { value: '{"threatListName":"ProofPoint"}', type: 'default' }],
    ['an unreadable value', { value: '{not json', type: 'default' }],
    ['sample as a string', { sample: 'true' }],
  ])('is false for %s', (_case, additionalInfo) => {
    // Prepare
    const finding =
      additionalInfo === undefined
        ? parseGuardDutyFindingEvent(realCryptoEvent()).detail
        : withAdditionalInfo(additionalInfo);

    // Act / Assess
    expect(isSampleFinding(finding)).toBe(false);
  });
});
