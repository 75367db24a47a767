import {
  chooseResponseMode,
  completedSteps,
  type FindingSummary,
  heldBack,
  type LambdaFunctionOfFinding,
  type StepRecord,
  stepRunsIn,
  succeeded,
  wouldDo,
} from '@cryptominer-defense/core';
import { responderRoleArn } from '../clients/createAssumedRoleCredentials';
import type { MemberAccountClients } from '../clients/responderClients';
import { decidedRecord, runAction } from '../runAction';
import { throttleLambdaFunction } from '../steps/throttleLambdaFunction';
import { assembleReport } from './assembleReport';
import { refusalReason, startGuardReads } from './guardReads';
import { pausedMode, pauseSwitchRecords } from './pauseSwitchGuard';
import type { Admission, EngineAnswer, ResponseEngineDependencies } from './responseTypes';

const ADMITTED_FIRST: Admission = { admitted: true, previous: null };

/** What the throttle would do, for a mode that holds it back (and for a GuardDuty sample finding): the registry's words. */
function wouldThrottle(finding: FindingSummary, target: LambdaFunctionOfFinding): string {
  const subject = {
    instanceId: '',
    findingId: finding.findingId,
    accountId: finding.accountId,
    instance: null,
    isolationGroupName: '',
    connectionCutGroupName: '',
    launcherArn: null,
    lambdaFunctionArn: target.functionArn,
  };
  return wouldDo('throttleLambdaFunction', subject) ?? 'throttle the Lambda function';
}

/**
 * Responds to a crypto-mining finding in a Lambda function (CryptoCurrency:Lambda/BitcoinTool.B): the membership
 * check, the admission and AssumeRole at once (none changes anything); then, in contain and full mode, the function
 * throttled to reserved concurrency 0 (throttleLambdaFunction). Observe mode and GuardDuty samples record what it
 * would do. A later delivery whose first one throttled the function keeps that one's records and undo data.
 */
export async function respondToLambdaFinding(
  dependencies: ResponseEngineDependencies,
  finding: FindingSummary,
  target: LambdaFunctionOfFinding,
  admission: Promise<Admission> = Promise.resolve(ADMITTED_FIRST),
): Promise<EngineAnswer> {
  const now = dependencies.now ?? (() => new Date());
  const startedAt = now();
  const { configuration, logger } = dependencies;
  const policy = configuration.responsePolicy;
  const where = { step: 'throttleLambdaFunction', target: target.functionArn } as const;
  if (finding.sample) {
    const admitted = await admission;
    if (!admitted.admitted) return { kind: 'declined', reason: admitted.reason };
    const mode = chooseResponseMode(policy, {
      sample: true,
      accountId: finding.accountId,
      organizationalUnitIds: [],
      instanceTags: null,
    });
    const record = decidedRecord(where, heldBack('observe', wouldThrottle(finding, target)), now);
    const timestamp = admitted.previous === null ? startedAt : new Date(admitted.previous.timestamp);
    const parts = { disposition: 'responded', dispositionReason: null, steps: [record], mode } as const;
    return { kind: 'report', report: assembleReport(finding, timestamp, parts, admitted.previous) };
  }

  const { membership, organizationalUnits, pauseSwitch } = startGuardReads(dependencies, finding, now);
  const roleArn = responderRoleArn(finding.partition, finding.accountId, configuration.responderRoleName);
  const assumed = runAction<MemberAccountClients | null>(
    { step: 'assumeResponderRole', target: roleArn },
    async () => ({ result: succeeded, value: await dependencies.clients.memberAccount(finding) }),
    null,
    now,
  );
  // Every call started is waited for on every way out.
  const [member, admitted, ous, reached, paused] = await Promise.all([
    membership,
    admission,
    organizationalUnits,
    assumed,
    pausedMode(pauseSwitch),
  ]);
  if (!admitted.admitted) return { kind: 'declined', reason: admitted.reason };
  const { previous } = admitted;
  const timestamp = previous === null ? startedAt : new Date(previous.timestamp);
  const mode =
    paused ??
    chooseResponseMode(policy, {
      sample: false,
      accountId: finding.accountId,
      organizationalUnitIds: ous?.value ?? [],
      instanceTags: null,
    });
  const guards: StepRecord[] = [
    member.record,
    ...(ous === null ? [] : [ous.record]),
    ...(await pauseSwitchRecords(pauseSwitch)),
  ];

  const reason = refusalReason(member.value, finding.accountId);
  if (reason !== null) {
    logger.warn('Finding refused', { findingId: finding.findingId, accountId: finding.accountId, reason });
    const parts = { disposition: 'refused', dispositionReason: reason, steps: guards, mode } as const;
    return { kind: 'report', report: assembleReport(finding, timestamp, parts, previous) };
  }
  const steps: StepRecord[] = [...guards, reached.record];
  let undo = null;
  if (reached.value === null) {
    logger.error('Could not assume the responder role', { roleArn, record: reached.record });
  } else if (completedSteps(previous).has('throttleLambdaFunction')) {
    // The first delivery's records and undo data stay (assembleReport merges them).
  } else if (!stepRunsIn('throttleLambdaFunction', mode.mode)) {
    steps.push(decidedRecord(where, heldBack(mode.mode, wouldThrottle(finding, target)), now));
  } else {
    const throttled = await throttleLambdaFunction(reached.value.lambda, target, now);
    steps.push(...throttled.records);
    undo = throttled.undo;
  }
  for (const record of steps.filter((candidate) => candidate.status === 'failed')) {
    logger.warn('Response step failed', { findingId: finding.findingId, ...record });
  }
  const parts = { disposition: 'responded', dispositionReason: null, steps, mode, lambdaFunction: undo } as const;
  return { kind: 'report', report: assembleReport(finding, timestamp, parts, previous) };
}
