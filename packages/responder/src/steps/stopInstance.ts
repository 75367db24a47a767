import { type EC2Client, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { alreadyDone, type StepRecord, succeeded } from '@cryptominer-defense/core';
import { runAction } from '../runAction';
import type { InstanceFacts } from './inspectInstance';

const STOPPED_STATES = new Set(['stopping', 'stopped']);

/**
 * Stops the instance (not terminate: the disk is evidence). Runs only after the Auto Scaling step has taken
 * the instance out of its group; the orchestrator enforces that.
 */
export async function stopInstance(ec2: EC2Client, instance: InstanceFacts): Promise<StepRecord> {
  const { record } = await runAction(
    { step: 'stopInstance', target: instance.instanceId },
    async () => {
      if (STOPPED_STATES.has(instance.state))
        return { result: alreadyDone(`the instance is ${instance.state}`), value: null };
      await ec2.send(new StopInstancesCommand({ InstanceIds: [instance.instanceId] }));
      return { result: succeeded, value: null };
    },
    null,
  );
  return record;
}
