import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The customer-managed key of the incident data: reports, Athena results, the alert topic and the responder's logs.
 * (The original design left the bucket unencrypted.) Rotated yearly; kept when the stack is deleted, because
 * reports encrypted with it must stay readable.
 */
export interface IncidentKeyProps {
  /** The name of the log group the key encrypts (the responder's). */
  readonly logGroupName: string;
}

/**
 * CloudWatch alarms publish to an encrypted topic: SNS then needs the topic's key on their behalf. Only alarms of
 * this account and region (the confused-deputy conditions): CloudWatch acts for every account of AWS.
 */
export function allowCloudWatchAlarmsToUse(key: Key): void {
  const { account, partition, region } = Stack.of(key);
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublishToTheEncryptedTopic',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': account },
        ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
      },
    }),
  );
}

export class IncidentKey extends Construct {
  readonly key: IKey;

  constructor(scope: Construct, id: string, props: IncidentKeyProps) {
    super(scope, id);
    const key = new Key(this, 'Key', {
      description: 'Cryptominer Auto Defense: incident reports, Athena results and alert topic',
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
      alias: 'alias/cryptominer-incidents',
    });
    const { account, partition, region } = Stack.of(this);
    allowCloudWatchAlarmsToUse(key);
    // The responder's log group is encrypted with this key (its lines can carry a whole report): CloudWatch Logs
    // uses it for that one log group only (the encryption context names the group).
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowTheResponderLogGroupToEncrypt',
        principals: [new ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnEquals: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:${props.logGroupName}`,
          },
        },
      }),
    );
    this.key = key;
  }
}
