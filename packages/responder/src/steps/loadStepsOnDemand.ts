/**
 * The steps that need the Auto Scaling, CloudTrail or IAM client (attribution, the Auto Scaling group, the instance's
 * credentials, freeze).
 */
export type StepsLoadedOnDemand = typeof import('./stepsLoadedOnDemand');

let loaded: Promise<StepsLoadedOnDemand> | undefined;

/**
 * Imports the steps that act only once the responder role is assumed, apart from isolation: attribution
 * (CloudTrail), taking the instance out of its Auto Scaling group, freezing its launcher (IAM). Their clients
 * already load on demand (createClientFactory.ts); their commands and error classes are some 70 KB of the SDK
 * that a cold start would otherwise compile. respondToFinding.ts starts the import as AssumeRole goes on the
 * wire and awaits it with that call, so it does not delay isolation unless it takes longer than that round
 * trip; once loaded it costs nothing. A failed import is not kept: the next response tries again.
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
