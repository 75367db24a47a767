import { describe, expect, it } from 'vitest';
import { foreignPartitionReason, partitionOfRegion } from '../src/partitions';

describe('partitionOfRegion', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['eu-west-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
  ])('%s is in %s', (region, partition) => {
    expect(partitionOfRegion(region)).toBe(partition);
  });
});

describe('foreignPartitionReason', () => {
  it('accepts a finding of the partition the function runs in', () => {
    expect(foreignPartitionReason({ partition: 'aws', region: 'ap-southeast-2' }, 'us-east-1')).toBeNull();
    expect(foreignPartitionReason({ partition: 'aws-us-gov', region: 'us-gov-east-1' }, 'us-gov-west-1')).toBeNull();
  });

  it("refuses a finding whose partition, or whose region's partition, is another", () => {
    expect(foreignPartitionReason({ partition: 'aws-cn', region: 'us-east-1' }, 'us-east-1')).toMatch(
      /partition aws-cn, but this function runs in aws/,
    );
    expect(foreignPartitionReason({ partition: 'aws', region: 'cn-north-1' }, 'us-east-1')).toMatch(
      /region cn-north-1 is in partition aws-cn/,
    );
  });
});
