import { incidentReportJsonSchema } from '@cryptominer-defense/core';
import { describe, expect, it } from 'vitest';
import { INCIDENT_COLUMNS, NAMED_QUERIES } from '../src/index';
import { synthesizeCentralApp } from './helpers/synthesizeCentralApp';

const { central } = synthesizeCentralApp();

function tableInput(name: string): Record<string, unknown> {
  const table = Object.values(central.findResources('AWS::Glue::Table')).find(
    (resource) => resource.Properties.TableInput.Name === name,
  );
  if (table === undefined) throw new Error(`No Glue table ${name}`);
  return table.Properties.TableInput;
}

describe('the incident queries', () => {
  it('have a column for every top-level field of the report schema, and nothing else', () => {
    // Prepare
    const properties = Object.keys((incidentReportJsonSchema() as { properties: Record<string, unknown> }).properties);

    // Assess
    expect(INCIDENT_COLUMNS.map((column) => column.name).sort()).toEqual(
      properties.map((property) => property.toLowerCase()).sort(),
    );
  });

  it('project account, region (parameter) and day (from a parameter to today) over incidents/<account>/<region>/<yyyy>/<mm>/<dd>/', () => {
    // Prepare
    const table = tableInput('incidents_by_account');

    // Assess
    expect(table.PartitionKeys).toEqual([
      { Name: 'account_id', Type: 'string' },
      { Name: 'aws_region', Type: 'string' },
      { Name: 'day', Type: 'string' },
    ]);
    expect(table.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.account_id.type': 'injected',
      'projection.aws_region.type': 'enum',
      'projection.aws_region.values': { Ref: 'ProjectionRegions' },
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy/MM/dd',
      'projection.day.range': { 'Fn::Join': ['', [{ Ref: 'ProjectionStartDay' }, ',NOW']] },
    });
    // By default, the home region and every forwarding region of the app; from the first day of the tool.
    const parameters = central.toJSON().Parameters as Record<string, { Default?: string }>;
    expect(parameters.ProjectionRegions?.Default).toBe('us-east-1,eu-west-1,ap-southeast-2');
    expect(parameters.ProjectionStartDay?.Default).toBe('2025/01/01');
    const placeholder = (key: string) => `\${${key}}`;
    expect((table.Parameters as Record<string, unknown>)['storage.location.template']).toEqual({
      'Fn::Join': [
        '',
        [
          's3://',
          { Ref: 'IncidentReportsBucket05FD0E57' },
          `/incidents/${placeholder('account_id')}/${placeholder('aws_region')}/${placeholder('day')}/`,
        ],
      ],
    });
  });

  it('read every report across the organization from the unpartitioned table', () => {
    const table = tableInput('incidents');
    expect(table.PartitionKeys).toBeUndefined();
    expect((table.StorageDescriptor as { SerdeInfo: unknown }).SerdeInfo).toEqual({
      SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
    });
  });

  it('encrypt and enforce the workgroup results with the incident key', () => {
    central.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        ResultConfiguration: {
          EncryptionConfiguration: {
            EncryptionOption: 'SSE_KMS',
            KmsKey: { 'Fn::GetAtt': ['IncidentKey923A2DF4', 'Arn'] },
          },
        },
      },
    });
  });

  it('offer the five named queries of the security team', () => {
    // Prepare
    const named = Object.values(central.findResources('AWS::Athena::NamedQuery')).map((query) => query.Properties.Name);

    // Assess
    expect(named).toEqual([
      'incidents-last-7-days-by-account-and-type',
      'identities-frozen',
      'incidents-needing-a-person',
      'root-involved',
      'failed-steps',
    ]);
    expect(NAMED_QUERIES.every((query) => query.sql.includes('FROM incidents'))).toBe(true);
  });
});
