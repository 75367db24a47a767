import { type CloudWatchClient, DescribeAlarmsForMetricCommand } from '@aws-sdk/client-cloudwatch';
import type { AlarmedMetric } from '@cryptominer-defense/central/responder-alarm-metrics';
import { DeploymentGap } from './checkResult';

/**
 * An alarm on the metric (and, when it has one, the dimension's value) that notifies someone. Found by its metric,
 * whatever name CloudFormation gave it; `redeploy` is the fix when there is none.
 */
export async function checkAlarm(
  cloudWatch: CloudWatchClient,
  metric: AlarmedMetric,
  dimensionValue: string | undefined,
  redeploy: string,
): Promise<void> {
  const { MetricAlarms = [] } = await cloudWatch.send(
    new DescribeAlarmsForMetricCommand({
      Namespace: metric.namespace,
      MetricName: metric.metricName,
      ...(metric.dimension === undefined
        ? {}
        : { Dimensions: [{ Name: metric.dimension.name, Value: dimensionValue }] }),
    }),
  );
  const dimensionMatches = (dimensions: readonly { Name?: string; Value?: string }[] = []) =>
    metric.dimension === undefined ||
    dimensions.some((each) => each.Name === metric.dimension?.name && each.Value === dimensionValue);
  const alarms = MetricAlarms.filter((alarm) => dimensionMatches(alarm.Dimensions));
  if (alarms.length === 0) {
    throw new DeploymentGap('NotFound', `No alarm on ${metric.namespace} ${metric.metricName}. ${redeploy}`);
  }
  if (!alarms.some((alarm) => (alarm.AlarmActions ?? []).length > 0)) {
    throw new DeploymentGap('NoAlarmAction', `The alarm on ${metric.metricName} notifies no one. ${redeploy}`);
  }
}
