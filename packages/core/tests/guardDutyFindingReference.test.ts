import { describe, expect, it } from 'vitest';
import { CoreError, guardDutyFindingIdentifier, guardDutyFindingRegion } from '../src';

const reference = {
  findingId: 'c56ca2ef99141289dc00a0edf8081b95',
  arn: 'arn:aws:guardduty:eu-west-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/c56ca2ef99141289dc00a0edf8081b95',
  detectorId: '12abc34d567e8fa901bc2d34e56789f0',
};
const home = { accountId: '444455556666', region: 'us-east-1', partition: 'aws' };

describe('guardDutyFindingRegion', () => {
  it('is the region of the finding ARN, where its detector is', () => {
    // Act
    const region = guardDutyFindingRegion(reference);

    // Assess
    expect(region).toBe('eu-west-1');
  });

  it('refuses an ARN without a region, naming the field', () => {
    // Act
    const read = () => guardDutyFindingRegion({ ...reference, arn: 'arn:aws:guardduty::111122223333:detector/x' });

    // Assess
    expect(read).toThrow(CoreError);
    expect(read).toThrow(/guardDutyFinding/);
  });
});

describe('guardDutyFindingIdentifier', () => {
  it("names GuardDuty's product in the finding's region, not the region Security Hub is asked in", () => {
    // Act
    const identifier = guardDutyFindingIdentifier(reference, home);

    // Assess
    expect(identifier).toEqual({
      Id: reference.arn,
      ProductArn: 'arn:aws:securityhub:eu-west-1::product/aws/guardduty',
    });
  });
});
