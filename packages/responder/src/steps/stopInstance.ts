import { type EC2Client, StopInstancesCommand } from '@aws-sdk/client-ec2';
import {
  ATTEMPTS_WITH_FALLBACK,
  alreadyDone,
  isEffective,
  type StepRecord,
  succeeded,
} from '@cryptominer-defense/core';
import { runAction } from '../runAction';
import type { InstanceFacts } from './inspectInstance';

const STOPPED_STATES = new Set(['stopping', 'stopped']);

export interface StopResult {
  readonly records: readonly StepRecord[];
  /** True when the instance was hibernated: its memory is on the root volume. */
  readonly hibernated: boolean;
}

/**
 * Stops the instance (not terminate: the disk is evidence); hibernates it instead when it was launched with
 * hibernation and `hibernate` is on, so its memory (the miner, its keys, its pool addresses) stays on the
 * root volume. If hibernating fails, it is stopped anyway: containment first. The failed hibernation stays a
 * failed record, which core knows as an attempt with a fallback (ATTEMPTS_WITH_FALLBACK): the report says the
 * instance is stopped when the plain stop took effect. Runs only after the Auto Scaling and evidence steps; the
 * orchestrator enforces that.
 */
export async function stopInstance(
  ec2: EC2Client,
  instance: InstanceFacts,
  options: { readonly hibernate: boolean } = { hibernate: false },
): Promise<StopResult> {
  const target = instance.instanceId;
  if (STOPPED_STATES.has(instance.state)) {
    const { record } = await runAction(
      { step: 'stopInstance', target },
      async () => ({ result: alreadyDone(`the instance is ${instance.state}`), value: null }),
      null,
    );
    return { records: [record], hibernated: false };
  }
  if (options.hibernate && instance.hibernationConfigured) {
    const hibernated = await runAction(
      { step: 'stopInstance', action: ATTEMPTS_WITH_FALLBACK.stopInstance.action, target },
      async () => {
        await ec2.send(new StopInstancesCommand({ InstanceIds: [target], Hibernate: true }));
        return { result: succeeded, value: null };
      },
      null,
    );
    if (isEffective(hibernated.record)) return { records: [hibernated.record], hibernated: true };
    const stopped = await stop(ec2, target);
    return { records: [hibernated.record, stopped], hibernated: false };
  }
  return { records: [await stop(ec2, target)], hibernated: false };
}

async function stop(ec2: EC2Client, instanceId: string): Promise<StepRecord> {
  const { record } = await runAction(
    { step: 'stopInstance', target: instanceId },
    async () => {
      await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
      return { result: succeeded, value: null };
    },
    null,
  );
  return record;
}
