import {
  APPROVAL_RECORD_PREFIX,
  CONTAINMENT_QUOTA_PREFIX,
  INCIDENT_REPORT_PREFIX,
  INSTANCE_CLAIM_PREFIX,
  PAUSE_SWITCH_KEY,
  RELEASE_RECORD_PREFIX,
} from '@cryptominer-defense/core';
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
  /** The responder function's role ARN: the only principal that may write reports (and its own state). */
  readonly writerRoleArn: string;
  /**
   * The operators' role for `cli release --yes`, `cli approve` and `cli reject`: the only principal that may write
   * release and approval records, and the pause switch (`cli pause` / `cli resume`).
   */
  readonly releaseOperatorRoleArn: string;
  /** The only principal that may delete objects or change the bucket's versioning, lifecycle, policy or lock. */
  readonly breakGlassRoleArn: string;
  readonly parameters: Pick<
    CentralParameters,
    | 'incidentLogBucketName'
    | 'hasIncidentLogBucketName'
    | 'objectLockEnabled'
    | 'objectLockRetentionDays'
    | 'objectLockMode'
  >;
}

/**
 * What would let anyone destroy or rewrite the evidence, or the rules that keep it: deleting objects or versions,
 * lifting a lock, and changing versioning, lifecycle, policy, lock, encryption, replication, ownership or ACLs.
 */
export const EVIDENCE_PROTECTING_ACTIONS = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:BypassGovernanceRetention',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:PutBucketVersioning',
  's3:PutLifecycleConfiguration',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutBucketObjectLockConfiguration',
  's3:PutEncryptionConfiguration',
  's3:PutReplicationConfiguration',
  's3:PutBucketOwnershipControls',
  's3:PutBucketAcl',
  's3:PutObjectAcl',
  's3:DeleteBucket',
];

/**
 * The central incident bucket, kept as evidence: versioned (as in the original design), SSE-KMS with the incident
 * key (a write naming another key or no KMS is refused), Block Public Access, TLS only, access-logged; reports and
 * the engine's state written by the responder alone, release and approval records and the pause switch by the
 * operator role alone; deletes
 * and every change to versioning, lifecycle, policy and lock refused to all but the break-glass role; reports moved
 * to cheaper storage as they age; S3 Object Lock (governance by default, compliance as an option) unless
 * ObjectLockRetentionDays is 0.
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
        {
          // The blast-radius cap's slots count for an hour (docs/decisions/0019): hidden by a delete marker after two
          // days; their versions stay while Object Lock holds them (lifecycle never removes a locked version), then go.
          id: 'ContainmentSlotsExpire',
          prefix: CONTAINMENT_QUOTA_PREFIX,
          expiration: Duration.days(2),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
      // Evidence: deleting the stack must never delete the reports.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Only the responder writes, except release and approval records and the pause switch, which only the operator
    // role writes: every other principal is denied PutObject, whatever its IAM policies say. (The Sids keep their
    // names: alarms and people know them.) The function cannot record an approval (a person's decision is the
    // person's) nor flip the switch (docs/decisions/0018), although its role may write the rest of responder-state/.
    const operatorRecords = [
      bucket.arnForObjects(`${RELEASE_RECORD_PREFIX}*`),
      bucket.arnForObjects(`${APPROVAL_RECORD_PREFIX}*`),
    ];
    const operatorObjects = {
      OnlyTheReleaseOperatorWritesReleaseRecords: operatorRecords,
      OnlyTheReleaseOperatorFlipsThePauseSwitch: [bucket.arnForObjects(PAUSE_SWITCH_KEY)],
    };
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyTheResponderWritesReports',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:PutObject'],
        notResources: Object.values(operatorObjects).flat(),
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': props.writerRoleArn } },
      }),
    );
    for (const [sid, objects] of Object.entries(operatorObjects)) {
      bucket.addToResourcePolicy(
        new PolicyStatement({
          sid,
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions: ['s3:PutObject'],
          resources: objects,
          conditions: { ArnNotEquals: { 'aws:PrincipalArn': props.releaseOperatorRoleArn } },
        }),
      );
    }
    /** A write under `resources` that could replace an object (no If-None-Match) is refused, to everyone. */
    const writtenOnce = (sid: string, resources: string[]) =>
      bucket.addToResourcePolicy(
        new PolicyStatement({
          sid,
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions: ['s3:PutObject'],
          resources,
          conditions: { Null: { 's3:if-none-match': 'true' } },
        }),
      );
    // Reports, release and approval records are written once. For the approval decision this is what makes it one
    // per incident.
    writtenOnce('ReportsAreWrittenOnce', [bucket.arnForObjects(`${INCIDENT_REPORT_PREFIX}*`), ...operatorRecords]);
    // A slot of the blast-radius cap is claimed once: a write that could take a slot already held is refused.
    writtenOnce('ContainmentSlotsAreClaimedOnce', [bucket.arnForObjects(`${CONTAINMENT_QUOTA_PREFIX}*`)]);
    // An instance is claimed once (docs/decisions/0023): a write that could replace another finding's claim is refused.
    writtenOnce('InstanceClaimsAreWrittenOnce', [bucket.arnForObjects(`${INSTANCE_CLAIM_PREFIX}*`)]);
    // A write without a KMS header gets the default key; one naming AES256 or another key is refused.
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'WritesUseTheIncidentKey',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('*')],
        // Null false: only a write that names a key; a negated operator alone would refuse one naming none.
        conditions: {
          StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': props.key.keyArn },
          Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
        },
      }),
    );
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'WritesUseKms',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('*')],
        conditions: {
          StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
          Null: { 's3:x-amz-server-side-encryption': 'false' },
        },
      }),
    );
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyTheBreakGlassRoleDeletesOrChangesTheEvidenceRules',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: EVIDENCE_PROTECTING_ACTIONS,
        resources: [bucket.bucketArn, bucket.arnForObjects('*')],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': props.breakGlassRoleArn } },
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
          Rule: { DefaultRetention: { Mode: parameters.objectLockMode, Days: parameters.objectLockRetentionDays } },
        },
        Aws.NO_VALUE,
      ),
    );
    this.bucket = bucket;
  }
}
