import { failed, type ResponseModeDecision } from '@cryptominer-defense/core/cold-start';
import { decidedRecord } from '../runAction';
import { loadStepsOnDemand } from '../steps/loadStepsOnDemand';
import type { ContainmentQuota, QuotaFacts } from './containmentQuota';
import type { InstanceFinding, ResponseEngineDependencies } from './responseTypes';

/**
 * The blast-radius cap (containmentQuota.ts), loaded with the steps loaded on demand (loadStepsOnDemand.ts): it
 * imports the core's whole index, which a cold start need not load before its first call. The import is the one
 * AssumeRole's step started; the slot listings go on the wire once it is loaded (warm: at once) and are needed only
 * once the role is assumed, so nothing waits for them longer than for the import. A failed import leaves the response
 * in observe (fail safe, as a slot that could not be claimed), with a failed claimContainmentSlot record.
 */
export function startContainmentQuotaOnDemand(
  dependencies: ResponseEngineDependencies,
  finding: InstanceFinding,
  facts: QuotaFacts,
  now: () => Date,
): ContainmentQuota {
  const started = loadStepsOnDemand().then((steps) => steps.startContainmentQuota(dependencies, finding, facts, now));
  // Read by the ways out that never ask for the mode: a failed import is not theirs to report.
  started.catch(() => undefined);
  return {
    async bound(policyMode: ResponseModeDecision) {
      try {
        return await (await started).bound(policyMode);
      } catch (error) {
        if (policyMode.mode === 'observe') return { mode: policyMode, records: [] };
        const message = error instanceof Error ? error.message : String(error);
        const name = error instanceof Error ? error.name : 'Error';
        return {
          mode: {
            mode: 'observe',
            reason: `the blast-radius cap could not be loaded (${name}: ${message}); the response policy chose ${policyMode.mode} (${policyMode.reason})`,
          },
          records: [decidedRecord({ step: 'claimContainmentSlot' }, failed(name, message), now)],
        };
      }
    },
    async settled() {
      await started.then(
        (quota) => quota.settled(),
        () => undefined,
      );
    },
  };
}
