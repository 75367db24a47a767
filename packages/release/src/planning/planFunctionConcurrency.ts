import { GetFunctionConcurrencyCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { LambdaFunctionUndo } from '@cryptominer-defense/core';
import type { PlannedReleaseStep } from '../releasePlan';
import { currentStateUnreadable } from './currentStateUnreadable';

/**
 * The throttled function's reserved concurrency back as it was (a number, or none): applied while it is still 0, as
 * the response left it; already done when it is the earlier setting again; skipped when someone set another value
 * since (release does not overwrite a person's decision). Nothing to plan when the response did not throttle it.
 */
export async function planFunctionConcurrency(
  lambda: LambdaClient,
  undo: LambdaFunctionUndo,
): Promise<PlannedReleaseStep[]> {
  if (!undo.throttled) return [];
  const previous = undo.previousReservedConcurrency;
  const base = {
    change: { action: 'restoreFunctionConcurrency', functionArn: undo.functionArn, reservedConcurrency: previous },
    target: undo.functionArn,
    summary: `${undo.functionName}: reserved concurrency 0 -> ${previous === null ? 'none (unreserved)' : previous}`,
  } as const;
  try {
    const answer = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: undo.functionArn }));
    const current = answer.ReservedConcurrentExecutions ?? null;
    if (current === previous) return [{ ...base, decision: 'already-done', reason: 'the earlier setting is back' }];
    if (current !== 0) {
      return [
        {
          ...base,
          decision: 'skip',
          reason: `reserved concurrency is ${current === null ? 'none' : current} now, not the 0 the response set: changed since`,
        },
      ];
    }
    return [{ ...base, decision: 'apply' }];
  } catch (error) {
    return [{ ...base, decision: 'skip', reason: currentStateUnreadable(error) }];
  }
}
