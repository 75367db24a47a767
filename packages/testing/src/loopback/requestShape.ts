import { RestJsonApiError } from './startRestJsonFake';

/** Checks of a request's members as an API reference documents them; each failure is the service's 400. */
export function requestShape(operation: string, code = 'InvalidInputException') {
  const refuse = (message: string): never => {
    throw new RestJsonApiError(code, `${operation}: ${message}`);
  };
  const text = (value: unknown, member: string, bounds: { min?: number; max?: number } = {}): string => {
    if (typeof value !== 'string') return refuse(`${member} must be a string`);
    if (value.length < (bounds.min ?? 0) || value.length > (bounds.max ?? Number.MAX_SAFE_INTEGER)) {
      return refuse(`${member} must be ${bounds.min ?? 0}-${bounds.max ?? 'any'} characters long`);
    }
    return value;
  };
  return {
    refuse,
    text,
    oneOf<T extends string>(value: unknown, member: string, allowed: readonly T[]): T {
      if (typeof value !== 'string' || !allowed.includes(value as T)) {
        return refuse(`${member} must be one of ${allowed.join(' | ')}`);
      }
      return value as T;
    },
    list(value: unknown, member: string, bounds: { min: number; max: number }): unknown[] {
      if (!Array.isArray(value)) return refuse(`${member} is required and must be a list`);
      if (value.length < bounds.min || value.length > bounds.max) {
        return refuse(`${member} must have ${bounds.min}-${bounds.max} members`);
      }
      return value;
    },
    object(value: unknown, member: string): Record<string, unknown> {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return refuse(`${member} must be an object`);
      return value as Record<string, unknown>;
    },
    known(body: Record<string, unknown>, members: readonly string[]): void {
      const unknown = Object.keys(body).filter((member) => !members.includes(member));
      if (unknown.length > 0) refuse(`unknown members ${unknown.join(', ')}`);
    },
  };
}
