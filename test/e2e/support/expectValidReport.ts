import { incidentReportSchema } from '@cryptominer-defense/core';
import { expect } from 'vitest';

/**
 * Fails the test unless the report matches core's report schema (the zod schema the published JSON Schema is
 * generated from; ajv is not a dependency of the e2e project).
 */
export function expectValidReport(report: unknown): void {
  const result = incidentReportSchema.safeParse(report);
  expect(result.success ? [] : result.error.issues, 'report must match the published schema').toEqual([]);
}
