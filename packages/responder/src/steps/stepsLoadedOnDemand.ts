// Imported dynamically (loadStepsOnDemand.ts): everything the response runs once the responder role is assumed —
// the instance read, containment (isolation included: its EC2 commands are not needed before AssumeRole answers),
// the early reads, attribution, the freeze and following the actor — and the steps that act with the Auto Scaling,
// CloudTrail and IAM clients. A module of its own, like clients/clientsLoadedOnDemand.ts, so that the bundler puts
// these steps, the commands they send and the error classes they test for in a chunk a cold start does not load.
export { containInstance } from '../containment/containInstance';
export { attributeInstance } from '../response/attributeInstance';
export { attributionOfReport } from '../response/attributionOfReport';
export { followAttributedPerson } from '../response/followAttributedPerson';
export { freezeIfAllowed } from '../response/freezeIfAllowed';
export { startReadsFromHints } from '../response/startReadsFromHints';
export { attributeLaunch } from './attributeLaunch';
export { describeAutoScalingGroupEarly, disableAutoScalingGroup } from './disableAutoScalingGroup';
export { followActor } from './followActor';
export { freezeActor, freezeTargetOf } from './freezeActor';
export { inspectInstance } from './inspectInstance';
export { revokeInstanceCredentials } from './revokeInstanceCredentials';
export { traceAutoScalingLaunch } from './traceAutoScalingLaunch';
export { traceLaunchRequest } from './traceLaunchRequest';
