import type { CfnCondition } from 'aws-cdk-lib';
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
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Cryptominer Auto Defense alerts',
      masterKey: props.key,
      enforceSSL: true,
    });
    const subscription = new CfnSubscription(this, 'EmailSubscription', {
      topicArn: this.topic.topicArn,
      protocol: 'email',
      endpoint: props.email,
    });
    subscription.cfnOptions.condition = props.hasEmail;
  }
}
