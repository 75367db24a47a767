import { incidentReportJsonSchema } from '@cryptominer-defense/core';
import { type HiveColumn, hiveColumnsOfJsonSchema, type JsonSchemaNode } from './hiveTypeOfJsonSchema';

/**
 * The Glue columns of an incident report, generated from core's JSON Schema (schema/incident-report.schema.json)
 * at every depth, so they cannot drift from what the engine writes. The OpenX JSON SerDe matches JSON keys to
 * columns without regard to case, so `guarddutyFindingType` lands in `guarddutyfindingtype`.
 */
export const INCIDENT_COLUMNS: readonly HiveColumn[] = hiveColumnsOfJsonSchema(
  incidentReportJsonSchema() as JsonSchemaNode,
);
