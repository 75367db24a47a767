export { type ErrorFaultKind, type FaultedCall, injectedErrorCode } from './awsErrorResponse';
export type { FaultKind, FaultRule } from './faultRules';
export {
  type AwsProtocol,
  type AwsRequestIdentity,
  identifyAwsRequest,
  isReadOnlyOperation,
} from './identifyAwsRequest';
export {
  type FaultInjectingProxy,
  type FaultInjectingProxyOptions,
  type ProxiedCall,
  startFaultInjectingProxy,
} from './startFaultInjectingProxy';
