import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeRuleCommand, type EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { FORWARDING_RULE_NAME, STACK_NAMES } from '@cryptominer-defense/central/deployment-names';
import { UNDELIVERED_FINDINGS_METRIC } from '@cryptominer-defense/central/responder-alarm-metrics';
import { checkAlarm } from './checkAlarm';
import { accessOr, type CheckResult, DeploymentGap, needs, runCheck } from './checkResult';

export interface ForwarderRegionClients {
  readonly eventBridge: EventBridgeClient;
  readonly cloudWatch: CloudWatchClient;
}

const deployForwarder = (region: string) => `Deploy ${STACK_NAMES.forwarder(region)} (docs/deploy.md, step 2).`;

/**
 * The forwarder rule of one region: there, enabled, forwarding to the home forwarding bus. Resolves to the name of
 * the dead-letter queue of that target.
 */
async function checkForwarderRule(eventBridge: EventBridgeClient, region: string, forwardingBusArn: string) {
  const rule = await eventBridge.send(new DescribeRuleCommand({ Name: FORWARDING_RULE_NAME })).catch((error) => {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') {
      throw new DeploymentGap(
        'ResourceNotFoundException',
        `No rule ${FORWARDING_RULE_NAME} in ${region}. ${deployForwarder(region)}`,
      );
    }
    throw error;
  });
  if (rule.State !== 'ENABLED') {
    throw new DeploymentGap('RuleDisabled', `${FORWARDING_RULE_NAME} in ${region} is ${rule.State}: enable it.`);
  }
  const { Targets = [] } = await eventBridge.send(new ListTargetsByRuleCommand({ Rule: FORWARDING_RULE_NAME }));
  const homeBus = Targets.find((target) => target.Arn === forwardingBusArn);
  if (homeBus === undefined) {
    throw new DeploymentGap(
      'Mismatch',
      `${FORWARDING_RULE_NAME} in ${region} does not forward to ${forwardingBusArn}: redeploy ${STACK_NAMES.forwarder(region)} with this home region.`,
    );
  }
  return homeBus.DeadLetterConfig?.Arn?.split(':').at(-1);
}

/** Two rows per forwarded region: its rule, and the alarm on the findings that rule could not deliver. */
export async function checkForwarders(
  regions: readonly string[],
  forwardingBusArn: string,
  clientsIn: (region: string) => ForwarderRegionClients,
): Promise<CheckResult[]> {
  const perRegion = await Promise.all(
    regions.map((region) => {
      const { eventBridge, cloudWatch } = clientsIn(region);
      const deadLetterQueueName = checkForwarderRule(eventBridge, region, forwardingBusArn);
      deadLetterQueueName.catch(() => undefined); // the rule's row reports it
      const ruleRow = 'forwarder rule forwards to the home bus';
      return Promise.all([
        runCheck(
          ruleRow,
          region,
          () => deadLetterQueueName,
          (code) => accessOr(code, 'events:DescribeRule', deployForwarder(region)),
        ),
        runCheck(
          'forwarder alarm: undelivered findings',
          region,
          async () => {
            const queueName = await needs(deadLetterQueueName, ruleRow);
            if (queueName === undefined) {
              throw new DeploymentGap(
                'NoDeadLetterQueue',
                `The rule's target has no dead-letter queue. ${deployForwarder(region)}`,
              );
            }
            await checkAlarm(cloudWatch, UNDELIVERED_FINDINGS_METRIC, queueName, deployForwarder(region));
          },
          (code) => accessOr(code, 'cloudwatch:DescribeAlarmsForMetric', deployForwarder(region)),
        ),
      ]);
    }),
  );
  return perRegion.flat();
}
