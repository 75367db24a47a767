import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { incidentReportJsonSchema } from '../src/incidentReportJsonSchema';
import { expectValidReport } from './expectValidReport';

describe('the published incident report JSON Schema', () => {
  it('is the file schema/incident-report.schema.json, up to date (regenerate: pnpm --filter core schema)', () => {
    // Prepare
    const published: unknown = JSON.parse(
      readFileSync(new URL('../schema/incident-report.schema.json', import.meta.url), 'utf8'),
    );

    // Act / Assess
    expect(published).toEqual(incidentReportJsonSchema());
  });

  it('refuses a report of the original design that lacks the fields a person needs to undo the response', () => {
    // Prepare
    const originalDesignReport = {
      timestamp: '2025-04-20T10:37:15.123Z',
      guarddutyFindingType: 'CryptoCurrency:EC2/BitcoinTool',
      instanceId: 'i-0a1b2c3d4e5f6g7h',
      region: 'us-east-1',
      actor: {
        type: 'IAMUser',
        arn: 'arn:aws:iam::123456789012:user/attacker',
        sourceIp: '198.51.100.42',
        userAgent: 'aws-cli/2.15.0',
      },
      response: {
        asgDisabled: true,
        networkIsolated: true,
        instanceStopped: true,
        actorFrozen: true,
        rootInvolved: false,
        manualInterventionRequired: false,
      },
    };

    // Act
    const act = () => expectValidReport(originalDesignReport);

    // Assess
    expect(act).toThrow();
  });
});
