import type { $ZodError } from 'zod/v4/core';

/**
 * The first problem zod found, as `<dotted path>: <message>` (`whole` names the path of the value itself); of a
 * classic schema or a zod/mini one (zodMini.ts), whose errors share zod's core class.
 */
export function firstSchemaIssue(error: $ZodError, whole: string): string {
  const issue = error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? whole : issue.path.join('.');
  return `${where}: ${issue?.message ?? 'invalid'}`;
}
