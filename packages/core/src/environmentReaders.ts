import { ConfigurationError } from './errors';

// How configuration variables are read: each error names the variable and says what it must be.

export type Environment = Readonly<Record<string, string | undefined>>;

/** A whole number within bounds, or the fallback when unset; anything else names the variable and the range. */
export function parseWholeNumber(
  env: Environment,
  variable: string,
  bounds: { readonly min: number; readonly max: number; readonly fallback: number },
): number {
  const value = read(env, variable);
  if (value === undefined) return bounds.fallback;
  const parsed = /^\d{1,4}$/.test(value) ? Number(value) : Number.NaN;
  if (!(parsed >= bounds.min && parsed <= bounds.max)) {
    throw new ConfigurationError(
      variable,
      `is "${value}", but must be a whole number from ${bounds.min} to ${bounds.max} (for example ${bounds.fallback})`,
    );
  }
  return parsed;
}

export function parseBoolean(env: Environment, variable: string, fallback: boolean): boolean {
  const value = read(env, variable);
  if (value === undefined) return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ConfigurationError(variable, `is "${value}", but must be true or false`);
}

export function parseSwitch(env: Environment, variable: string, fallback: boolean): boolean {
  const value = read(env, variable);
  if (value === undefined) return fallback;
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new ConfigurationError(variable, `is "${value}", but must be on or off`);
}

export function read(env: Environment, variable: string): string | undefined {
  const value = env[variable]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function required(env: Environment, variable: string, example: string): string {
  const value = read(env, variable);
  if (value === undefined) throw new ConfigurationError(variable, `is required but not set (for example ${example})`);
  return value;
}

export function checked(variable: string, value: string, pattern: RegExp, expectation: string): string {
  if (!pattern.test(value)) throw new ConfigurationError(variable, `is "${value}", but must be ${expectation}`);
  return value;
}

const ARN_PATTERN = /^arn:[^\s,]+$/;

export function arnPatterns(env: Environment, variable: string, example: string): string[] {
  return (read(env, variable) ?? '')
    .split(',')
    .map((pattern) => pattern.trim())
    .filter((pattern) => pattern !== '')
    .map((pattern) =>
      checked(variable, pattern, ARN_PATTERN, `a comma-separated list of ARN patterns such as ${example}`),
    );
}
