import { DELIVERY_OUTCOMES, type Delivery, type DeliveryOutcome } from './incidentReport';

/**
 * Where the responder keeps what it knows about a finding, in the report bucket: outside `incidents/`, so
 * Athena's incidents table never reads it. The finding id is already checked by the event schema
 * (`[A-Za-z0-9_.:-]`), so it cannot climb out of its prefix.
 */
export const FINDING_STATE_PREFIX = 'responder-state/';

/**
 * A finding id the state can be kept under: GuardDuty's (as the event schema checks it), an attack sequence's
 * instance, `<findingId>/instance/<instanceId>` (docs/decisions/0016), or a linked incident,
 * `<findingId>/linked/<instanceId>` (the instance whose credentials launched the finding's, docs/decisions/0021),
 * whose state sits under its finding's prefix.
 */
export function isFindingStateId(findingId: string): boolean {
  return /^[A-Za-z0-9_.:-]{1,300}(\/(instance|linked)\/i-[0-9a-f]{8,17})?$/.test(findingId);
}

export function findingStatePrefix(findingId: string): string {
  return `${FINDING_STATE_PREFIX}${findingId}/`;
}

/** The lock of the n-th acting delivery (1 = the first), created with If-None-Match: * (only one wins). */
export function findingClaimKey(findingId: string, attempt: number): string {
  return `${findingStatePrefix(findingId)}claim-${String(attempt).padStart(6, '0')}.json`;
}

/** What the last acting delivery left: the report key, the attempt number, the report. */
export function findingStateKey(findingId: string): string {
  return `${findingStatePrefix(findingId)}state.json`;
}

/**
 * What telling Security Hub of one answer did (the report is written once, before: its steps cannot go into it):
 * `<finding's state>/security-hub/<epoch ms>-<attempt>.json`, one object per answer, never overwritten.
 */
export function findingSecurityHubRecordKey(findingId: string, attempt: number, at: Date): string {
  return `${findingStatePrefix(findingId)}security-hub/${String(at.getTime()).padStart(15, '0')}-${attempt}.json`;
}

export function findingDeliveriesPrefix(findingId: string): string {
  return `${findingStatePrefix(findingId)}deliveries/`;
}

const EVENT_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * One object per delivery, its facts in its name so one listing reads them all:
 * `<receivedAt epoch ms>.<outcome>.<serviceCount or x>.<eventId or x>.json`. An event id that is not a plain
 * UUID-like token (the envelope is untrusted) is left out.
 */
export function findingDeliveryKey(findingId: string, delivery: Delivery): string {
  const time = String(new Date(delivery.receivedAt).getTime()).padStart(15, '0');
  const count = delivery.serviceCount === null ? 'x' : String(delivery.serviceCount);
  const eventId = delivery.eventId !== null && EVENT_ID.test(delivery.eventId) ? delivery.eventId : 'x';
  return `${findingDeliveriesPrefix(findingId)}${time}.${delivery.outcome}.${count}.${eventId}.json`;
}

/** Reads a delivery back from its key; null for a key this tool did not write. */
export function deliveryOfKey(key: string): Delivery | null {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const match = /^(\d{1,15})\.([a-z]+)\.(\d+|x)\.([A-Za-z0-9-]+)\.json$/.exec(name);
  if (match === null) return null;
  const [, time, outcome, count, eventId] = match;
  if (!isOutcome(outcome)) return null;
  return {
    receivedAt: new Date(Number(time)).toISOString(),
    outcome,
    serviceCount: count === undefined || count === 'x' ? null : Number(count),
    eventId: eventId === undefined || eventId === 'x' ? null : eventId,
  };
}

function isOutcome(value: string | undefined): value is DeliveryOutcome {
  return DELIVERY_OUTCOMES.some((outcome) => outcome === value);
}
