import { INCIDENT_REPORT_PREFIX } from '@cryptominer-defense/core';
import { Aws } from 'aws-cdk-lib';
import { CfnNamedQuery, CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { INCIDENT_COLUMNS } from '../queries/incidentColumns';
import { NAMED_QUERIES } from '../queries/namedQueries';

export interface IncidentQueriesProps {
  readonly reportBucket: IBucket;
  readonly resultsBucket: IBucket;
  readonly key: IKey;
  /** The regions reports can come from, comma-separated: the projection's region values. */
  readonly regions: string;
  /** The first day (yyyy/MM/dd) the projection covers; it runs to today (NOW). */
  readonly startDay: string;
}

export const INCIDENT_DATABASE_NAME = 'cryptominer_incidents';
export const INCIDENT_WORKGROUP_NAME = 'cryptominer-incidents';

const JSON_STORAGE = {
  inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
  serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
};

/**
 * Athena over the reports. Two tables over the same `incidents/` prefix:
 * - `incidents_by_account`, partitioned by projection on account, region and day, for one account's history
 *   (account ids are unbounded, so that key is `injected`: a query must name the account);
 * - `incidents`, the same columns without partitions, for questions across the organization (reports are a few
 *   kilobytes each, so reading them all is cheap).
 * A workgroup with KMS-encrypted, enforced results, and the named queries.
 */
export class IncidentQueries extends Construct {
  readonly workGroup: CfnWorkGroup;

  constructor(scope: Construct, id: string, props: IncidentQueriesProps) {
    super(scope, id);
    const database = new CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: INCIDENT_DATABASE_NAME, description: 'Cryptominer Auto Defense incident reports' },
    });
    const location = `s3://${props.reportBucket.bucketName}/${INCIDENT_REPORT_PREFIX}`;

    const allIncidents = new CfnTable(this, 'AllIncidents', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: INCIDENT_DATABASE_NAME,
      tableInput: {
        name: 'incidents',
        description: 'Every incident report of the organization',
        tableType: 'EXTERNAL_TABLE',
        parameters: { classification: 'json' },
        storageDescriptor: { columns: [...INCIDENT_COLUMNS], location, ...JSON_STORAGE },
      },
    });
    allIncidents.addResourceDependency(database);

    const byAccount = new CfnTable(this, 'IncidentsByAccount', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: INCIDENT_DATABASE_NAME,
      tableInput: {
        name: 'incidents_by_account',
        description: "One account's incident reports, partitioned by account, region and day (name the account)",
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [
          { name: 'account_id', type: 'string' },
          { name: 'aws_region', type: 'string' },
          { name: 'day', type: 'string' },
        ],
        parameters: {
          classification: 'json',
          'projection.enabled': 'true',
          'projection.account_id.type': 'injected',
          'projection.aws_region.type': 'enum',
          'projection.aws_region.values': props.regions,
          'projection.day.type': 'date',
          'projection.day.format': 'yyyy/MM/dd',
          'projection.day.range': `${props.startDay},NOW`,
          'projection.day.interval': '1',
          'projection.day.interval.unit': 'DAYS',
          'storage.location.template': `${location}\${account_id}/\${aws_region}/\${day}/`,
        },
        storageDescriptor: { columns: [...INCIDENT_COLUMNS], location, ...JSON_STORAGE },
      },
    });
    byAccount.addResourceDependency(database);

    this.workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: INCIDENT_WORKGROUP_NAME,
      description: 'Queries over Cryptominer Auto Defense incident reports',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${props.resultsBucket.bucketName}/results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.key.keyArn },
        },
      },
    });

    for (const query of NAMED_QUERIES) {
      const named = new CfnNamedQuery(this, `Query-${query.name}`, {
        name: query.name,
        description: query.description,
        database: INCIDENT_DATABASE_NAME,
        workGroup: INCIDENT_WORKGROUP_NAME,
        queryString: query.sql,
      });
      named.addResourceDependency(this.workGroup);
      named.addResourceDependency(database);
    }
  }
}
