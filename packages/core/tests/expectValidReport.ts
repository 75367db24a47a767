import { Ajv2020 } from 'ajv/dist/2020';
import { expect } from 'vitest';
import { incidentReportJsonSchema } from '../src/incidentReportJsonSchema';

// Formats (date-time) are also enforced by the schema's own patterns, so ajv-formats is not needed.
const validate = new Ajv2020({ allErrors: true, strict: true, validateFormats: false }).compile(
  incidentReportJsonSchema(),
);

/** Fails the test unless the report validates against the published JSON Schema. */
export function expectValidReport(report: unknown): void {
  const valid = validate(report);
  expect(validate.errors ?? [], 'report must match the published JSON Schema').toEqual([]);
  expect(valid).toBe(true);
}
