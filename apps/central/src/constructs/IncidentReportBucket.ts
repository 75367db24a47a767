import { INCIDENT_REPORT_PREFIX } from '@cryptominer-defense/core';
import { Aws, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  type IBucket,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { CentralParameters } from '../centralParameters';

export interface IncidentReportBucketProps {
  readonly key: IKey;
  /** Where S3 writes the access log of the incident bucket. */
  readonly accessLogBucket: IBucket;
  /** The responder function's role ARN: the only principal that may write reports. */
  readonly writerRoleArn: string;
  readonly parameters: Pick<
    CentralParameters,
    'incidentLogBucketName' | 'hasIncidentLogBucketName' | 'objectLockEnabled' | 'objectLockRetentionDays'
  >;
}

/**
 * The central incident bucket: versioned (as in the original design), SSE-KMS with the incident key, Block Public
 * Access, TLS only, access-logged, written by the responder alone, reports moved to cheaper storage as they age,
 * and S3 Object Lock when ObjectLockRetentionDays > 0.
 */
export class IncidentReportBucket extends Construct {
  readonly bucket: IBucket;

  constructor(scope: Construct, id: string, props: IncidentReportBucketProps) {
    super(scope, id);
    const { parameters } = props;
    const bucket = new Bucket(this, 'Bucket', {
      bucketName: Fn.conditionIf(
        parameters.hasIncidentLogBucketName.logicalId,
        parameters.incidentLogBucketName,
        Aws.NO_VALUE,
      ).toString(),
      versioned: true,
      encryption: BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: props.accessLogBucket,
      serverAccessLogsPrefix: 'incident-bucket/',
      lifecycleRules: [
        {
          id: 'OlderReportsToCheaperStorage',
          prefix: INCIDENT_REPORT_PREFIX,
          transitions: [
            { storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) },
            { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(365) },
          ],
          noncurrentVersionTransitions: [
            { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(30) },
          ],
        },
      ],
      // Evidence: deleting the stack must never delete the reports.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Only the responder writes: every other principal is denied PutObject, whatever its IAM policies say.
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyTheResponderWritesReports',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('*')],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': props.writerRoleArn } },
      }),
    );

    const cfnBucket = bucket.node.defaultChild as CfnBucket;
    const lockCondition = parameters.objectLockEnabled.logicalId;
    cfnBucket.addPropertyOverride('ObjectLockEnabled', Fn.conditionIf(lockCondition, true, Aws.NO_VALUE));
    cfnBucket.addPropertyOverride(
      'ObjectLockConfiguration',
      Fn.conditionIf(
        lockCondition,
        {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: parameters.objectLockRetentionDays } },
        },
        Aws.NO_VALUE,
      ),
    );
    this.bucket = bucket;
  }
}
