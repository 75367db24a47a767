import { describe, expect, it } from 'vitest';
import { classifyFinding } from '../src/classifyFinding';
import { parseGuardDutyFindingEvent } from '../src/guardDutyFindingEvent';
import { isSampleFinding } from '../src/isSampleFinding';
import { REAL_GUARDDUTY_FINDING_EVENT } from '../src/realGuardDutyFindingEvent';
import { simulatedEksFindingEvent, simulatedInstanceFindingEvent } from '../src/simulatedFindingEvent';
import { REAL_EVENT, readFixture } from './fixtures';

describe('simulated finding events', () => {
  it('build on the real event, kept verbatim from its source', () => {
    // Assess
    expect(REAL_GUARDDUTY_FINDING_EVENT).toEqual(readFixture(REAL_EVENT));
  });

  it('about an instance: parse, classify as respond, and carry what was asked for', () => {
    // Act
    const event = simulatedInstanceFindingEvent({
      accountId: '111122223333',
      adminAccountId: '999988887777',
      region: 'eu-west-1',
      instanceId: 'i-0123456789abcdef0',
      findingId: 'f00d',
      networkInterfaces: [{ networkInterfaceId: 'eni-1', vpcId: 'vpc-1', securityGroupIds: ['sg-1'] }],
    });

    // Assess
    const parsed = parseGuardDutyFindingEvent(event);
    expect(parsed.account).toBe('999988887777');
    expect(parsed.detail).toMatchObject({ id: 'f00d', accountId: '111122223333', region: 'eu-west-1' });
    expect(classifyFinding(parsed.detail).kind).toBe('respond');
    expect(isSampleFinding(parsed.detail)).toBe(false);
  });

  it('get a fresh 32-hex-digit id each, leave the template untouched, and can be GuardDuty samples', () => {
    // Act
    const options = { accountId: '111122223333', region: 'us-east-1', instanceId: 'i-0123456789abcdef0' };
    const first = simulatedInstanceFindingEvent({ ...options, sample: true });
    const second = simulatedInstanceFindingEvent(options);

    // Assess
    expect(first.detail.id).toMatch(/^[0-9a-f]{32}$/);
    expect(second.detail.id).not.toBe(first.detail.id);
    expect(isSampleFinding(parseGuardDutyFindingEvent(first).detail)).toBe(true);
    expect(REAL_GUARDDUTY_FINDING_EVENT).toEqual(readFixture(REAL_EVENT));
  });

  it('about an EKS cluster: crypto-mining with no instance, for a person', () => {
    // Act
    const event = simulatedEksFindingEvent({ accountId: '111122223333', region: 'us-east-1', clusterName: 'prod' });

    // Assess
    expect(classifyFinding(parseGuardDutyFindingEvent(event).detail).kind).toBe('needs-person');
  });
});
