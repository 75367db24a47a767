/**
 * What the response runs once the role is assumed (stepsLoadedOnDemand.ts): the instance read, containment,
 * attribution, the Auto Scaling group, the instance's credentials, freeze.
 */
export type StepsLoadedOnDemand = typeof import('./stepsLoadedOnDemand');

let loaded: Promise<StepsLoadedOnDemand> | undefined;

/**
 * Imports the steps that act only once the responder role is assumed: the instance read, isolation and the rest of
 * containment, attribution (CloudTrail), taking the instance out of its Auto Scaling group, freezing its launcher
 * (IAM). The Auto Scaling, CloudTrail and IAM clients already load on demand (createClientFactory.ts); the EC2
 * client, which isolation needs, is created at init. Their code is what a cold start would otherwise compile before
 * its first call. respondToFinding.ts starts the import as AssumeRole goes on the wire and awaits it with that call,
 * so it does not delay isolation unless it takes longer than that round trip; once loaded it costs nothing. A failed
 * import is not kept: the next response tries again.
 */
export function loadStepsOnDemand(): Promise<StepsLoadedOnDemand> {
  if (loaded === undefined) {
    const loading = import('./stepsLoadedOnDemand');
    loaded = loading;
    loading.catch(() => {
      if (loaded === loading) loaded = undefined;
    });
  }
  return loaded;
}
