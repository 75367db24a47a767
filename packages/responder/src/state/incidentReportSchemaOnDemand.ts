// Imported dynamically (findingLedger.ts): the incident report's schema, which a finding's saved state is checked
// against. Only a repeated delivery has a saved state, and it is checked once S3 has answered, so a cold start does
// not build the report's schemas (and zod with them) before its first call: a module of its own, as
// steps/stepsLoadedOnDemand.ts is, so that the bundler puts the schema in a chunk loaded when it is needed.
export { incidentReportSchema } from '@cryptominer-defense/core';
