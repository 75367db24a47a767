/** The base of every error the core package throws: catch this to catch them all. */
export class CoreError extends Error {
  override readonly name: string = 'CoreError';
}

/** The input is not a GuardDuty finding event this tool can read; nothing was touched. */
export class InvalidFindingEventError extends CoreError {
  override readonly name: string = 'InvalidFindingEventError';

  constructor(
    /** Where in the event the problem is, as a dotted path (`detail.accountId`), or `(event)` for the whole. */
    readonly field: string,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(
      `Invalid GuardDuty finding event: ${field}: ${problem}. ` +
        'Pass an EventBridge event with source "aws.guardduty" and detail-type "GuardDuty Finding".',
      options,
    );
  }
}

/** A configuration variable is missing or malformed; the process must not start. */
export class ConfigurationError extends CoreError {
  override readonly name: string = 'ConfigurationError';

  constructor(
    /** The environment variable at fault, e.g. `REPORT_BUCKET`. */
    readonly variable: string,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`Configuration error: ${variable} ${problem}`, options);
  }
}

/** Two steps of the registry give one action two scopes: the member role could not say which applies. */
export class ConflictingActionScopeError extends CoreError {
  override readonly name: string = 'ConflictingActionScopeError';

  constructor(
    readonly action: string,
    readonly steps: readonly string[],
  ) {
    super(
      `The action ${action} has different scopes in the steps ${steps.join(' and ')} of core's registry ` +
        '(packages/core/src/responseSteps.ts): give it the same scope in every step that calls it.',
    );
  }
}
