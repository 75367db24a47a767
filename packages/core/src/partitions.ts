/** Region name prefixes of the partitions other than `aws` (AWS General Reference, "AWS partitions"). */
const PARTITION_PREFIXES: readonly (readonly [string, string])[] = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-isob-', 'aws-iso-b'],
  ['us-iso-', 'aws-iso'],
  ['eu-isoe-', 'aws-iso-e'],
  ['us-isof-', 'aws-iso-f'],
];

/** The partition a region belongs to: `cn-north-1` → `aws-cn`, `eu-west-1` → `aws`. */
export function partitionOfRegion(region: string): string {
  return PARTITION_PREFIXES.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}

/**
 * Why a finding cannot be about this deployment, or null: its partition, or its region's, is not the one the
 * function runs in. GuardDuty never reports across partitions, and credentials of one partition are worthless in
 * another, so such a finding is forged or misrouted: it is refused before any role is assumed.
 */
export function foreignPartitionReason(
  finding: { readonly partition: string; readonly region: string },
  ownRegion: string,
): string | null {
  const own = partitionOfRegion(ownRegion);
  if (finding.partition !== own) {
    return `Refused: the finding is of partition ${finding.partition}, but this function runs in ${own} (${ownRegion}); nothing was done`;
  }
  const regionPartition = partitionOfRegion(finding.region);
  if (regionPartition !== own) {
    return `Refused: the finding's region ${finding.region} is in partition ${regionPartition}, but this function runs in ${own} (${ownRegion}); nothing was done`;
  }
  return null;
}
