import { DescribeInstancesCommand, type EC2Client, type Instance } from '@aws-sdk/client-ec2';
import { isAwsError } from '@cryptominer-defense/core';

/** Reads one instance as EC2 describes it; undefined when EC2's answer does not hold it. */
export type ReadInstance = (ec2: EC2Client, instanceId: string) => Promise<Instance | undefined>;

/** DescribeInstances takes up to 1,000 instance ids. */
const MAX_IDS_PER_CALL = 1_000;

async function describe(ec2: EC2Client, instanceIds: readonly string[]): Promise<Instance[]> {
  const answer = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [...instanceIds] }));
  return (answer.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
}

/** One instance alone: a call of its own. */
export const readInstanceAlone: ReadInstance = async (ec2, instanceId) =>
  (await describe(ec2, [instanceId])).find((instance) => instance.InstanceId === instanceId);

interface Waiting {
  readonly instanceId: string;
  readonly resolve: (instance: Instance | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The instance reads of a container's concurrent responses, one DescribeInstances per member account and region
 * (the shared client) for the reads asked in the same turn of the event loop: a burst of 30 findings in one account
 * reads its 30 instances in one call on the way to isolation, against EC2's request rate for describe calls, instead
 * of 30. A lone read waits one turn (no timer). When EC2 refuses the batch for an id it does not know
 * (InvalidInstanceID.NotFound / Malformed fail the whole call), each id is read alone, so one finding's bad id costs
 * the others nothing but a round trip; any other error is every reader's, as it would have been alone.
 */
export function createInstanceReads(): ReadInstance {
  const waitingByClient = new Map<EC2Client, Waiting[]>();

  async function send(ec2: EC2Client, waiting: readonly Waiting[]): Promise<void> {
    const ids = [...new Set(waiting.map((reader) => reader.instanceId))];
    try {
      const found = await describe(ec2, ids);
      for (const reader of waiting) reader.resolve(found.find((instance) => instance.InstanceId === reader.instanceId));
    } catch (error) {
      if (ids.length === 1 || !isAwsError(error, 'InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed')) {
        for (const reader of waiting) reader.reject(error);
        return;
      }
      for (const reader of waiting) readInstanceAlone(ec2, reader.instanceId).then(reader.resolve, reader.reject);
    }
  }

  return (ec2, instanceId) =>
    new Promise<Instance | undefined>((resolve, reject) => {
      const waiting = waitingByClient.get(ec2);
      if (waiting !== undefined) {
        waiting.push({ instanceId, resolve, reject });
        return;
      }
      waitingByClient.set(ec2, [{ instanceId, resolve, reject }]);
      setImmediate(() => {
        const batch = waitingByClient.get(ec2) ?? [];
        waitingByClient.delete(ec2);
        for (let start = 0; start < batch.length; start += MAX_IDS_PER_CALL) {
          void send(ec2, batch.slice(start, start + MAX_IDS_PER_CALL));
        }
      });
    });
}
