import type * as z from 'zod';

/** The first problem zod found, as `<dotted path>: <message>` (`whole` names the path of the value itself). */
export function firstSchemaIssue(error: z.ZodError, whole: string): string {
  const issue = error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? whole : issue.path.join('.');
  return `${where}: ${issue?.message ?? 'invalid'}`;
}
