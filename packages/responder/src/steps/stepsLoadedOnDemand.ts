// Imported dynamically (loadStepsOnDemand.ts): the steps that act with the Auto Scaling, CloudTrail and IAM
// clients. A module of its own, like clients/clientsLoadedOnDemand.ts, so that the bundler puts these steps, the
// commands they send and the error classes they test for in a chunk a cold start does not load.
export { attributeLaunch } from './attributeLaunch';
export { describeAutoScalingGroupEarly, disableAutoScalingGroup } from './disableAutoScalingGroup';
export { followActor } from './followActor';
export { freezeActor, freezeTargetOf } from './freezeActor';
export { revokeInstanceCredentials } from './revokeInstanceCredentials';
export { traceAutoScalingLaunch } from './traceAutoScalingLaunch';
export { traceLaunchRequest } from './traceLaunchRequest';
