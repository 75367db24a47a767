import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { type LaunchRequestSearch, latestChangeByPerson, succeeded } from '@cryptominer-defense/core';
import { runAction } from '../runAction';
import { lookUpChanges } from './cloudTrailChanges';
import type { LaunchTrace } from './traceAutoScalingLaunch';

const STEP = 'traceLaunchRequest';

/**
 * Follows a launch by CloudFormation, EC2 Fleet, Spot Fleet or a spot request to the person who asked for it: the
 * latest CreateStack / UpdateStack, CreateFleet, RequestSpotFleet or RequestSpotInstances call about this stack,
 * fleet or request made by a person, found with CloudTrail LookupEvents by event name in the finding's region. One
 * look-up per event name, each its own action (one failing does not lose the other's answer). The 90 days of event
 * history bound it: an older request is not found, and the report asks a person.
 */
export async function traceLaunchRequest(
  cloudTrail: CloudTrailClient,
  search: LaunchRequestSearch,
): Promise<LaunchTrace> {
  const outcomes = await Promise.all(
    search.eventNames.map((eventName) =>
      runAction(
        { step: STEP, action: `lookUp${eventName}`, target: search.resourceName },
        async () => ({
          result: succeeded,
          value: await lookUpChanges(
            cloudTrail,
            { AttributeKey: 'EventName', AttributeValue: eventName },
            search.resourceName,
            search.matches,
          ),
        }),
        [],
      ),
    ),
  );
  const person = latestChangeByPerson(outcomes.flatMap((outcome) => outcome.value));
  return { records: outcomes.map((outcome) => outcome.record), person };
}
