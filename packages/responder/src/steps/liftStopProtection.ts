import { DescribeInstanceAttributeCommand, type EC2Client, ModifyInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { alreadyDone, type StepRecord, type StopProtectionUndo, succeeded } from '@cryptominer-defense/core';
import { runAction } from '../runAction';
import type { InstanceFacts } from './inspectInstance';

export interface StopProtectionResult {
  readonly records: readonly StepRecord[];
  readonly undo: StopProtectionUndo;
}

const STEP = 'liftStopProtection';

/** The stop protection setting as read, with the record of the read (null when it failed). */
export type StopProtectionRead = Awaited<ReturnType<typeof readStopProtection>>;

/** Reads whether stop protection is on: a read only, so it may start before the evidence is kept. */
export function readStopProtection(ec2: EC2Client, instanceId: string) {
  return runAction<boolean | null>(
    { step: STEP, action: 'readStopProtection', target: instanceId },
    async () => {
      const answer = await ec2.send(
        new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'disableApiStop' }),
      );
      return { result: succeeded, value: answer.DisableApiStop?.Value ?? false };
    },
    null,
  );
}

/**
 * Turns stop protection (`DisableApiStop`) off so that the stop that follows can work: with it on, StopInstances
 * fails with OperationNotPermitted and the instance keeps mining. Runs after the evidence is kept (termination
 * protection on) and before the stop; the setting is read first (for release, which puts it back), as early as
 * containment starts when the engine hands that read in. A failed read is recorded (`readStopProtection`, with the
 * AWS error code) and the protection is lifted all the same, the earlier setting then unknown
 * (`previousDisableApiStop: null`, which release leaves to a person). When it is off, nothing is changed.
 */
export async function liftStopProtection(
  ec2: EC2Client,
  instance: InstanceFacts,
  readEarly: Promise<StopProtectionRead> = readStopProtection(ec2, instance.instanceId),
): Promise<StopProtectionResult> {
  const { instanceId } = instance;
  const read = await readEarly;
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
