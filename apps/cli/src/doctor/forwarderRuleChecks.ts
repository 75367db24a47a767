import { DescribeRuleCommand, type EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { FORWARDING_RULE_NAME, STACK_NAMES } from '@cryptominer-defense/central/deployment-names';
import { accessOr, type CheckResult, DeploymentGap, runCheck } from './checkResult';

/** The forwarder rule of one region: there, enabled, and forwarding to the home forwarding bus. */
async function checkForwarderRule(eventBridge: EventBridgeClient, region: string, forwardingBusArn: string) {
  const deploy = `Deploy ${STACK_NAMES.forwarder(region)} (docs/deploy.md, step 2).`;
  const rule = await eventBridge.send(new DescribeRuleCommand({ Name: FORWARDING_RULE_NAME })).catch((error) => {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') {
      throw new DeploymentGap('ResourceNotFoundException', `No rule ${FORWARDING_RULE_NAME} in ${region}. ${deploy}`);
    }
    throw error;
  });
  if (rule.State !== 'ENABLED') {
    throw new DeploymentGap('RuleDisabled', `${FORWARDING_RULE_NAME} in ${region} is ${rule.State}: enable it.`);
  }
  const { Targets = [] } = await eventBridge.send(new ListTargetsByRuleCommand({ Rule: FORWARDING_RULE_NAME }));
  if (!Targets.some((target) => target.Arn === forwardingBusArn)) {
    throw new DeploymentGap(
      'Mismatch',
      `${FORWARDING_RULE_NAME} in ${region} does not forward to ${forwardingBusArn}: redeploy ${STACK_NAMES.forwarder(region)} with this home region.`,
    );
  }
}

/** One row per forwarded region. `eventBridgeIn` gives a client of that region. */
export function checkForwarderRules(
  regions: readonly string[],
  forwardingBusArn: string,
  eventBridgeIn: (region: string) => EventBridgeClient,
): Promise<CheckResult[]> {
  return Promise.all(
    regions.map((region) =>
      runCheck(
        'forwarder rule forwards to the home bus',
        region,
        () => checkForwarderRule(eventBridgeIn(region), region, forwardingBusArn),
        (code) => accessOr(code, 'events:DescribeRule', `Deploy ${STACK_NAMES.forwarder(region)} (docs/deploy.md).`),
      ),
    ),
  );
}
