import { Aws } from 'aws-cdk-lib';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import { AnyPrincipal, ArnPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { FINDING_FORWARDING_BUS_NAME } from '../deploymentNames';

/** Name prefix of the forwarders' roles; a region suffix keeps them apart (IAM is global). */
export const FORWARDER_ROLE_NAME_PREFIX = 'CryptominerFindingForwarder-';

export interface FindingForwardingBusProps {
  readonly organizationId: string;
}

/**
 * The home-region bus that receives the crypto-mining findings of every other region. Its policy accepts events
 * only from the forwarders' roles, inside the organization: anyone outside the organization is denied, and so is
 * every other principal of this account.
 */
export class FindingForwardingBus extends Construct {
  readonly bus: IEventBus;

  constructor(scope: Construct, id: string, props: FindingForwardingBusProps) {
    super(scope, id);
    const bus = new EventBus(this, 'Bus', { eventBusName: FINDING_FORWARDING_BUS_NAME });
    const forwarderRoles = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${FORWARDER_ROLE_NAME_PREFIX}*`;
    bus.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AcceptFindingsFromTheForwarders',
        effect: Effect.ALLOW,
        principals: [new ArnPrincipal(`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:root`)],
        actions: ['events:PutEvents'],
        resources: [bus.eventBusArn],
        conditions: {
          StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
          ArnLike: { 'aws:PrincipalArn': forwarderRoles },
        },
      }),
    );
    bus.addToResourcePolicy(
      new PolicyStatement({
        sid: 'RefuseEventsFromOutsideTheOrganization',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [bus.eventBusArn],
        conditions: { StringNotEquals: { 'aws:PrincipalOrgID': props.organizationId } },
      }),
    );
    // Same-account principals need no resource policy to put events: only a Deny keeps them off this bus.
    bus.addToResourcePolicy(
      new PolicyStatement({
        sid: 'RefuseEventsFromAnyoneButTheForwarders',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [bus.eventBusArn],
        conditions: { ArnNotLike: { 'aws:PrincipalArn': forwarderRoles } },
      }),
    );
    this.bus = bus;
  }
}
