import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The customer-managed key of the incident data: reports, Athena results and the alert topic.
 * (The original design left the bucket unencrypted.) Rotated yearly; kept when the stack is deleted, because
 * reports encrypted with it must stay readable.
 */
export class IncidentKey extends Construct {
  readonly key: IKey;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const key = new Key(this, 'Key', {
      description: 'Cryptominer Auto Defense: incident reports, Athena results and alert topic',
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
      alias: 'alias/cryptominer-incidents',
    });
    // CloudWatch alarms publish to the encrypted alert topic: SNS then needs this key on their behalf.
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToTheEncryptedTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.key = key;
  }
}
