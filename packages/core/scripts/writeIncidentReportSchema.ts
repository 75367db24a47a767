// Writes schema/incident-report.schema.json from the zod model; a test fails when the file is out of date.
import { writeFileSync } from 'node:fs';
import { incidentReportJsonSchema } from '../src/incidentReportJsonSchema';

const target = new URL('../schema/incident-report.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(incidentReportJsonSchema(), null, 2)}\n`);
process.stdout.write(`${target.pathname}\n`);
