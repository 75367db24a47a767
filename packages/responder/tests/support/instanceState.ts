import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';

/** The instance's state as the emulator has it (`running`, `stopped`, …); undefined when it is not found. */
export async function instanceState(ec2: EC2Client, instanceId: string): Promise<string | undefined> {
  const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return described.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}
