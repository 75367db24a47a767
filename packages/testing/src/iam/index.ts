export { PolicyEvaluationError, TemplateResolutionError } from './iamErrors';
export {
  AWS_OWN_REFUSAL,
  createPolicyEvaluator,
  type OrganizationValues,
  type PolicyDecision,
  type PolicyEvaluation,
  type PolicyEvaluator,
  type PolicyEvaluatorOptions,
  type PolicyRequest,
  type RequestContext,
} from './policyEvaluator';
export { type CloudFormationTemplate, type DeploymentValues, NO_VALUE, TemplateResolver } from './resolveTemplate';
export {
  type NamedPolicy,
  type PolicyDocument,
  type TemplatePolicies,
  type TemplateResourcePolicy,
  type TemplateRole,
  templatePolicies,
} from './templatePolicies';
