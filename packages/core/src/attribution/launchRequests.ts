import type { LaunchOrigin } from './launchOrigin';

/**
 * How to find the person behind a service's launch in CloudTrail: the calls that asked the service for the
 * instance, looked up by event name (one LookupEvents attribute per request), and which of those records are about
 * this stack, fleet or request. Looked up by event name, not resource name: CloudTrail's event history does not
 * index every one of these calls under the fleet or request id.
 */
export interface LaunchRequestSearch {
  /** The event names, each looked up on its own. */
  readonly eventNames: readonly string[];
  /** What the lookups are about, for the report (the stack ARN, the fleet or request id). */
  readonly resourceName: string;
  /** True when the record asked for this stack, fleet or request. */
  matches(eventName: string, record: unknown): boolean;
}

/** True when some string anywhere in the value equals one of the wanted ones (ids sit at different depths per event). */
function mentions(value: unknown, wanted: ReadonlySet<string>, depth = 0): boolean {
  if (depth > 8) return false;
  if (typeof value === 'string') return wanted.has(value);
  if (Array.isArray(value)) return value.some((item) => mentions(item, wanted, depth + 1));
  if (typeof value === 'object' && value !== null) {
    return Object.values(value).some((item) => mentions(item, wanted, depth + 1));
  }
  return false;
}

function field(record: unknown, name: 'requestParameters' | 'responseElements'): unknown {
  return typeof record === 'object' && record !== null ? (record as Record<string, unknown>)[name] : undefined;
}

/** `arn:aws:cloudformation:us-east-1:111122223333:stack/web/guid` → `web`; null for anything else. */
export function stackNameOf(stackId: string): string | null {
  return /^arn:[^:]+:cloudformation:[^:]*:\d{12}:stack\/([^/]+)\/.+$/.exec(stackId)?.[1] ?? null;
}

/** An id named in the request or the response (CreateFleet, RequestSpotFleet, RequestSpotInstances answer with it). */
function searchById(eventName: string, id: string): LaunchRequestSearch {
  const wanted = new Set([id]);
  return {
    eventNames: [eventName],
    resourceName: id,
    matches: (name, record) =>
      name === eventName &&
      (mentions(field(record, 'responseElements'), wanted) || mentions(field(record, 'requestParameters'), wanted)),
  };
}

/**
 * The search for an origin behind a service, or null for a direct launch and for Auto Scaling (followed through the
 * group and its launch template, traceAutoScalingLaunch). CreateStack must have answered with this stack's id (a
 * stack deleted and created again under the same name is another stack); UpdateStack names the stack by name or id.
 */
export function launchRequestSearchOf(origin: LaunchOrigin): LaunchRequestSearch | null {
  switch (origin.kind) {
    case 'cloudFormation': {
      const stackId = new Set([origin.stackId]);
      const name = stackNameOf(origin.stackId);
      const named = new Set(name === null ? [origin.stackId] : [origin.stackId, name]);
      return {
        eventNames: ['CreateStack', 'UpdateStack'],
        resourceName: origin.stackId,
        matches: (eventName, record) =>
          eventName === 'CreateStack'
            ? mentions(field(record, 'responseElements'), stackId)
            : eventName === 'UpdateStack' && mentions(field(record, 'requestParameters'), named),
      };
    }
    case 'ec2Fleet':
      return searchById('CreateFleet', origin.fleetId);
    case 'spotFleet':
      return searchById('RequestSpotFleet', origin.spotFleetRequestId);
    case 'spotInstances':
      return searchById('RequestSpotInstances', origin.spotInstanceRequestId);
    case 'autoScaling':
    case 'direct':
      return null;
  }
}
