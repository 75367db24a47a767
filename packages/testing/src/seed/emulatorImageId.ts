/**
 * An Amazon Linux AMI that moto ships in every region's default image list, so RunInstances and launch
 * templates pass moto's image validation without a DescribeImages round trip.
 */
export const EMULATOR_IMAGE_ID = 'ami-760aaa0f';
