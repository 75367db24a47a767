import { FINDING_STATE_PREFIX } from './findingStateKeys';

/**
 * Where the one claim of an instance is kept (docs/decisions/0023): whichever response reaches an instance first, its
 * own finding's, an attack sequence's or a linked incident's, writes it with If-None-Match: *, and the others answer
 * that the instance is that finding's. A GuardDuty finding id is hexadecimal: none is `instances`.
 */
export const INSTANCE_CLAIM_PREFIX = `${FINDING_STATE_PREFIX}instances/`;

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

/** An instance as its claim names it. */
export interface ClaimedInstance {
  readonly accountId: string;
  readonly region: string;
  readonly instanceId: string;
}

/**
 * `responder-state/instances/<accountId>/<region>/<instanceId>.json`; null when a part is not well formed (the event is
 * untrusted input: a hostile instance id must not choose a key), and such an instance is answered without a claim.
 */
export function instanceClaimKey(instance: ClaimedInstance): string | null {
  if (!ACCOUNT_ID.test(instance.accountId) || !REGION.test(instance.region)) return null;
  if (!INSTANCE_ID.test(instance.instanceId)) return null;
  return `${INSTANCE_CLAIM_PREFIX}${instance.accountId}/${instance.region}/${instance.instanceId}.json`;
}
