import * as z from 'zod';
import { incidentReportSchema } from './incidentReportSchema';

/** The report's JSON Schema (draft 2020-12), for readers in other languages and for Athena/Glue. */
const buildJsonSchema = () => z.toJSONSchema(incidentReportSchema, { target: 'draft-2020-12' });
let jsonSchema: ReturnType<typeof buildJsonSchema> | undefined;

/**
 * The report's published JSON Schema (schema/incident-report.schema.json), built on first use: the responder
 * never needs it, and building it when core loads cost every cold start a few milliseconds.
 */
export function incidentReportJsonSchema(): ReturnType<typeof buildJsonSchema> {
  jsonSchema ??= buildJsonSchema();
  return jsonSchema;
}
