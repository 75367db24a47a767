import { type CfnCondition, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnSubscription, type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface AlertTopicProps {
  readonly key: IKey;
  /** Default 'Cryptominer Auto Defense alerts'. */
  readonly displayName?: string;
  /** Subscribed when the condition holds (the AlertEmail parameter is not empty). None: no e-mail subscription. */
  readonly email?: { readonly address: string; readonly condition: CfnCondition };
  /** Whether the CloudWatch alarms of this account may publish here. Default true. */
  readonly receivesAlarms?: boolean;
}

/**
 * An encrypted, TLS-only topic people are told through: the responder's summaries and the alarms, or (with
 * receivesAlarms false and no e-mail) the chat notifications a chat channel configuration subscribes to.
 */
export class AlertTopic extends Construct {
  readonly topic: ITopic;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const topic = new Topic(this, 'Topic', {
      displayName: props.displayName ?? 'Cryptominer Auto Defense alerts',
      masterKey: props.key,
      enforceSSL: true,
    });
    if (props.receivesAlarms ?? true) {
      // The alarms reach people only if CloudWatch may publish here: alarms of this account, none of another's.
      const { account, partition, region } = Stack.of(this);
      topic.addToResourcePolicy(
        new PolicyStatement({
          sid: 'AllowCloudWatchAlarmsOfThisAccountToPublish',
          principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: {
            StringEquals: { 'aws:SourceAccount': account },
            ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
          },
        }),
      );
    }
    this.topic = topic;
    if (props.email === undefined) return;
    const subscription = new CfnSubscription(this, 'EmailSubscription', {
      topicArn: this.topic.topicArn,
      protocol: 'email',
      endpoint: props.email.address,
    });
    subscription.cfnOptions.condition = props.email.condition;
  }
}
