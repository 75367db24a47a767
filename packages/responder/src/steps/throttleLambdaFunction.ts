import {
  GetFunctionConcurrencyCommand,
  type LambdaClient,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import {
  alreadyDone,
  type LambdaFunctionOfFinding,
  type LambdaFunctionUndo,
  type StepRecord,
  succeeded,
} from '@cryptominer-defense/core';
import { runAction } from '../runAction';

export interface ThrottleOutcome {
  readonly records: readonly StepRecord[];
  /** The setting before the throttle; null when it could not be read (nothing was changed then). */
  readonly undo: LambdaFunctionUndo | null;
}

/**
 * Reads the function's reserved concurrency, then sets it to 0: no invocation runs (the ones in flight end). A
 * function already at 0 is already done (and not released: 0 was its setting). Nothing is changed when the read
 * fails: without the earlier setting, release could not give it back.
 */
export async function throttleLambdaFunction(
  lambda: LambdaClient,
  target: LambdaFunctionOfFinding,
  now: () => Date = () => new Date(),
): Promise<ThrottleOutcome> {
  const where = { step: 'throttleLambdaFunction', target: target.functionArn } as const;
  const read = await runAction<{ readonly previous: number | null } | null>(
    { ...where, action: 'readConcurrency' },
    async () => {
      const answer = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: target.functionArn }));
      return { result: succeeded, value: { previous: answer.ReservedConcurrentExecutions ?? null } };
    },
    null,
    now,
  );
  if (read.value === null) return { records: [read.record], undo: null };
  const { previous } = read.value;
  const undo = (throttled: boolean): LambdaFunctionUndo => ({
    functionName: target.functionName,
    functionArn: target.functionArn,
    previousReservedConcurrency: previous,
    throttled,
  });
  const put = await runAction<boolean>(
    { ...where, action: 'setConcurrencyToZero' },
    async () => {
      if (previous === 0) return { result: alreadyDone('reserved concurrency is 0 already'), value: false };
      await lambda.send(
        new PutFunctionConcurrencyCommand({ FunctionName: target.functionArn, ReservedConcurrentExecutions: 0 }),
      );
      return { result: succeeded, value: true };
    },
    false,
    now,
  );
  return { records: [read.record, put.record], undo: undo(put.value) };
}
