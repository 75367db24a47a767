import { DescribeInstanceAttributeCommand, type EC2Client, ModifyInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { alreadyDone, type StepRecord, type StopProtectionUndo, succeeded } from '@cryptominer-defense/core';
import { runAction } from '../runAction';
import type { InstanceFacts } from './inspectInstance';

export interface StopProtectionResult {
  readonly records: readonly StepRecord[];
  readonly undo: StopProtectionUndo;
}

const STEP = 'liftStopProtection';

/**
 * Turns stop protection (`DisableApiStop`) off so that the stop that follows can work: with it on, StopInstances
 * fails with OperationNotPermitted and the instance keeps mining. Runs after the evidence is kept (termination
 * protection on) and before the stop. Reads the setting first (for release, which puts it back); a failed read is
 * recorded (`readStopProtection`, with the AWS error code) and the protection is lifted all the same, the earlier
 * setting then unknown (`previousDisableApiStop: null`, which release leaves to a person).
 */
export async function liftStopProtection(ec2: EC2Client, instance: InstanceFacts): Promise<StopProtectionResult> {
  const { instanceId } = instance;
  const read = await runAction<boolean | null>(
    { step: STEP, action: 'readStopProtection', target: instanceId },
    async () => {
      const answer = await ec2.send(
        new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'disableApiStop' }),
      );
      return { result: succeeded, value: answer.DisableApiStop?.Value ?? false };
    },
    null,
  );
  const previous = read.value;
  const lifted = await runAction<boolean>(
    { step: STEP, action: 'disableStopProtection', target: instanceId },
    async () => {
      if (previous === false) return { result: alreadyDone('stop protection is off'), value: false };
      await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: instanceId, DisableApiStop: { Value: false } }));
      return { result: succeeded, value: true };
    },
    false,
  );
  return {
    // A read that worked is part of lifting; only its failure is worth a record of its own.
    records: [...(read.record.status === 'failed' ? [read.record] : []), lifted.record],
    undo: { instanceId, previousDisableApiStop: previous, stopProtectionLifted: lifted.value },
  };
}
