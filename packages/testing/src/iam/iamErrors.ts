import { TestingError } from '../errors';

/** A template value the policy loader cannot resolve to a concrete one (an unknown intrinsic, a missing value). */
export class TemplateResolutionError extends TestingError {
  override readonly name: string = 'TemplateResolutionError';
}

/** The evaluator was asked about a request it cannot evaluate (no policies for the principal, an invalid input). */
export class PolicyEvaluationError extends TestingError {
  override readonly name: string = 'PolicyEvaluationError';
}
