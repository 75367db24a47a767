import { CloudTrailApiError } from './cloudTrailApiError';

/** The lookup attributes CloudTrail supports. */
export const LOOKUP_ATTRIBUTE_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;
export type LookupAttributeKey = (typeof LOOKUP_ATTRIBUTE_KEYS)[number];

/** A validated LookupEvents request. */
export interface LookupQuery {
  readonly attribute?: { readonly key: LookupAttributeKey; readonly value: string };
  /** Epoch seconds, inclusive. */
  readonly startTime?: number;
  /** Epoch seconds, inclusive. */
  readonly endTime?: number;
  readonly maxResults: number;
  readonly nextToken?: string;
}

const MAX_RESULTS = 50;

function isLookupAttributeKey(key: unknown): key is LookupAttributeKey {
  return typeof key === 'string' && (LOOKUP_ATTRIBUTE_KEYS as readonly string[]).includes(key);
}

function timestamp(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new CloudTrailApiError('SerializationException', `${field} must be a timestamp in epoch seconds.`);
}

/** Validates the request body the way CloudTrail does, with CloudTrail's error codes. */
export function parseLookupQuery(body: unknown): LookupQuery {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CloudTrailApiError('SerializationException', 'The request body must be a JSON object.');
  }
  const request = body as Record<string, unknown>;
  const attributes = request.LookupAttributes ?? [];
  if (!Array.isArray(attributes) || attributes.length > 1) {
    throw new CloudTrailApiError('InvalidLookupAttributesException', 'You can specify at most one lookup attribute.');
  }
  let attribute: LookupQuery['attribute'];
  const [first] = attributes as unknown[];
  if (first !== undefined) {
    const { AttributeKey: key, AttributeValue: value } = first as Record<string, unknown>;
    if (!isLookupAttributeKey(key)) {
      throw new CloudTrailApiError(
        'InvalidLookupAttributesException',
        `AttributeKey must be one of ${LOOKUP_ATTRIBUTE_KEYS.join(', ')}; got ${String(key)}.`,
      );
    }
    if (typeof value !== 'string' || value.length === 0) {
      throw new CloudTrailApiError('InvalidLookupAttributesException', 'AttributeValue must be a non-empty string.');
    }
    attribute = { key, value };
  }
  const startTime = timestamp(request.StartTime, 'StartTime');
  const endTime = timestamp(request.EndTime, 'EndTime');
  if (startTime !== undefined && endTime !== undefined && startTime > endTime) {
    throw new CloudTrailApiError('InvalidTimeRangeException', 'StartTime must be earlier than EndTime.');
  }
  const maxResults = request.MaxResults ?? MAX_RESULTS;
  if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) {
    throw new CloudTrailApiError(
      'InvalidMaxResultsException',
      `MaxResults must be an integer from 1 to ${MAX_RESULTS}.`,
    );
  }
  const nextToken = request.NextToken;
  if (nextToken !== undefined && typeof nextToken !== 'string') {
    throw new CloudTrailApiError('InvalidNextTokenException', 'NextToken must be a string.');
  }
  return {
    ...(attribute !== undefined && { attribute }),
    ...(startTime !== undefined && { startTime }),
    ...(endTime !== undefined && { endTime }),
    maxResults,
    ...(nextToken !== undefined && { nextToken }),
  };
}
