import { type CfnCondition, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnSubscription, type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface AlertTopicProps {
  readonly key: IKey;
  /** Subscribed when the condition holds (the AlertEmail parameter is not empty). */
  readonly email: string;
  readonly hasEmail: CfnCondition;
}

/** Where the responder publishes a short summary of each incident, and where the alarms go. */
export class AlertTopic extends Construct {
  readonly topic: ITopic;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const topic = new Topic(this, 'Topic', {
      displayName: 'Cryptominer Auto Defense alerts',
      masterKey: props.key,
      enforceSSL: true,
    });
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
    this.topic = topic;
    const subscription = new CfnSubscription(this, 'EmailSubscription', {
      topicArn: this.topic.topicArn,
      protocol: 'email',
      endpoint: props.email,
    });
    subscription.cfnOptions.condition = props.hasEmail;
  }
}
