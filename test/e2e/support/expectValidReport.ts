import { incidentReportSchema } from '@cryptominer-defense/core';
import { expect } from 'vitest';

/**
 * Fails the test unless the report matches core's report schema (the zod schema the published JSON Schema is
 * generated from; ajv is not a dependency of the e2e project), naming each field at fault.
 */
export function expectValidReport(report: unknown): void {
  const result = incidentReportSchema.safeParse(report);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  expect(problems, 'report must match the published schema').toEqual([]);
}
