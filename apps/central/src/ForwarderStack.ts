import { cryptoMiningInstanceEventPattern } from '@cryptominer-defense/core';
import { Aws, CliCredentialsStackSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { FINDING_FORWARDING_BUS_NAME, FORWARDER_ROLE_NAME_PREFIX } from './constructs/FindingForwardingBus';

export interface ForwarderStackProps extends StackProps {
  /** The region of the central stack, whose forwarding bus receives this region's findings. */
  readonly homeRegion: string;
}

/**
 * One per region other than the home region (GuardDuty is regional: the delegated admin receives each region's
 * findings on that region's default bus). Forwards the same crypto-mining findings to the home forwarding bus.
 */
export class ForwarderStack extends Stack {
  constructor(scope: Construct, id: string, props: ForwarderStackProps) {
    super(scope, id, {
      description: 'Cryptominer Auto Defense: forwards crypto-mining findings of this region to the home region',
      // No assets: deployable with the CLI's credentials, without bootstrapping every region.
      synthesizer: new CliCredentialsStackSynthesizer(),
      ...props,
    });
    const homeBusArn = `arn:${Aws.PARTITION}:events:${props.homeRegion}:${Aws.ACCOUNT_ID}:event-bus/${FINDING_FORWARDING_BUS_NAME}`;
    const role = new Role(this, 'ForwarderRole', {
      roleName: `${FORWARDER_ROLE_NAME_PREFIX}${this.region}`,
      description: 'EventBridge puts this region crypto-mining findings on the home forwarding bus',
      assumedBy: new ServicePrincipal('events.amazonaws.com'),
      inlinePolicies: {
        PutOnHomeBus: new PolicyDocument({
          statements: [new PolicyStatement({ actions: ['events:PutEvents'], resources: [homeBusArn] })],
        }),
      },
    });
    new Rule(this, 'ForwardCryptoFindings', {
      description: 'Crypto-mining findings on EC2 instances, to the home region',
      eventPattern: cryptoMiningInstanceEventPattern(),
      targets: [
        new EventBusTarget(EventBus.fromEventBusArn(this, 'HomeBus', homeBusArn), {
          role: role.withoutPolicyUpdates(),
        }),
      ],
    });
  }
}
