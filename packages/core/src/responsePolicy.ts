import * as z from './zodMini';

/**
 * How far the response goes (issue 5):
 * - `observe`: nothing is changed; the report lists every step with what it would have done;
 * - `contain`: isolate, take out of Auto Scaling, keep the evidence; no stop, no freeze;
 * - `approval`: what `contain` does, at once; the stop and the freeze wait for a person (`cli approve`, run with
 *   that person's credentials and recorded; `cli reject` leaves the instance contained), docs/decisions/0020;
 * - `full`: everything (the default).
 * In order of intrusiveness: a tag rule may move a response only towards `full`.
 */
export const RESPONSE_MODES = ['observe', 'contain', 'approval', 'full'] as const;
export type ResponseMode = (typeof RESPONSE_MODES)[number];

const mode = z.enum(RESPONSE_MODES);

const organizationalUnitRule = z.strictObject({
  organizationalUnit: z
    .string()
    .check(z.regex(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/, 'expected an OU id such as ou-ab12-cd34ef56')),
  mode,
});
const accountRule = z.strictObject({
  account: z.string().check(z.regex(/^\d{12}$/, 'expected a 12-digit account id')),
  mode,
});
const tagRule = z.strictObject({
  /** Matches an instance tag; without `value`, any value of the key. */
  tag: z.strictObject({
    key: z.string().check(z.minLength(1), z.maxLength(128)),
    value: z.optional(z.string().check(z.maxLength(256))),
  }),
  mode,
});

export const responsePolicySchema = z.strictObject({
  default: z._default(mode, 'full'),
  rules: z._default(z.array(z.union([organizationalUnitRule, accountRule, tagRule])), []),
});

export type ResponsePolicy = z.infer<typeof responsePolicySchema>;
export type ResponsePolicyRule = ResponsePolicy['rules'][number];

export const DEFAULT_RESPONSE_POLICY: ResponsePolicy = { default: 'full', rules: [] };

/** The mode chosen for one finding, and why (the report shows both). */
export interface ResponseModeDecision {
  readonly mode: ResponseMode;
  readonly reason: string;
}

export interface ResponseModeFacts {
  readonly sample: boolean;
  readonly accountId: string;
  /** The OUs above the account, nearest first; null when they could not be read. */
  readonly organizationalUnitIds: readonly string[] | null;
  /** The instance's tags; null when the instance could not be read. */
  readonly instanceTags: Readonly<Record<string, string>> | null;
}

// Approval sits above contain (it contains as much, and may go on to the stop and the freeze) and below full.
const INTRUSIVENESS: Readonly<Record<ResponseMode, number>> = { observe: 0, contain: 1, approval: 2, full: 3 };

/** The least intrusive of the modes: when several rules of one kind match, the cautious one wins. */
export function leastIntrusive(modes: readonly ResponseMode[]): ResponseMode | null {
  return modes.reduce<ResponseMode | null>(
    (least, candidate) => (least === null || INTRUSIVENESS[candidate] < INTRUSIVENESS[least] ? candidate : least),
    null,
  );
}

/** True when the policy needs the account's OUs (so Organizations ListParents is called only then). */
export function policyNeedsOrganizationalUnits(policy: ResponsePolicy): boolean {
  return policy.rules.some((rule) => 'organizationalUnit' in rule);
}

/** True when some finding could get more than observe (so the blast-radius cap has anything to count). */
export function policyMayAct(policy: ResponsePolicy): boolean {
  return policy.default !== 'observe' || policy.rules.some((rule) => rule.mode !== 'observe');
}

function describeTag(rule: { readonly tag: { readonly key: string; readonly value?: string | undefined } }): string {
  return rule.tag.value === undefined ? `tag ${rule.tag.key}` : `tag ${rule.tag.key}=${rule.tag.value}`;
}

/**
 * Chooses the response mode. GuardDuty sample findings are always `observe`. Otherwise the account's mode comes
 * from the most specific matching rule: account, then OU (any OU above the account), then the default; among
 * matching rules of one kind, the least intrusive mode. When the OUs could not be read, OU rules cannot be ruled
 * out: the mode is then the least intrusive of what they and the fallback would choose. Instance tag rules may only
 * raise that mode, never lower it: whoever launches an instance sets its tags, so an attacker could otherwise tag
 * a miner `observe` and keep it running (among matching tag rules, the least intrusive counts).
 */
export function chooseResponseMode(policy: ResponsePolicy, facts: ResponseModeFacts): ResponseModeDecision {
  if (facts.sample) return { mode: 'observe', reason: 'GuardDuty sample finding: always observe' };
  const base = accountMode(policy, facts);
  const tags = facts.instanceTags ?? {};
  const tagMatches = policy.rules.flatMap((rule) =>
    'tag' in rule && rule.tag.key in tags && (rule.tag.value === undefined || tags[rule.tag.key] === rule.tag.value)
      ? [rule]
      : [],
  );
  const tagMode = leastIntrusive(tagMatches.map((rule) => rule.mode));
  if (tagMode === null) return base;
  const described = tagMatches.map(describeTag).join(', ');
  if (INTRUSIVENESS[tagMode] > INTRUSIVENESS[base.mode]) {
    return { mode: tagMode, reason: `instance ${described}: ${tagMode} (raised from ${base.reason})` };
  }
  if (tagMode === base.mode) return base;
  return {
    mode: base.mode,
    reason: `${base.reason}; instance ${described} asks for ${tagMode}, but a tag may only raise the response`,
  };
}

/** The mode of the account, before any instance tag: account rule, OU rule, default. */
function accountMode(policy: ResponsePolicy, facts: ResponseModeFacts): ResponseModeDecision {
  const byAccount = leastIntrusive(
    policy.rules.flatMap((rule) => ('account' in rule && rule.account === facts.accountId ? [rule.mode] : [])),
  );
  if (byAccount !== null) return { mode: byAccount, reason: `account ${facts.accountId}: ${byAccount}` };
  const ouRules = policy.rules.flatMap((rule) => ('organizationalUnit' in rule ? [rule] : []));
  if (facts.organizationalUnitIds === null && ouRules.length > 0) {
    const cautious = leastIntrusive([policy.default, ...ouRules.map((rule) => rule.mode)]) ?? policy.default;
    return {
      mode: cautious,
      reason: `the account's OUs could not be read: the least intrusive of the default and every OU rule: ${cautious}`,
    };
  }
  const ouIds = facts.organizationalUnitIds ?? [];
  const ouMatches = ouRules.filter((rule) => ouIds.includes(rule.organizationalUnit));
  const ouMode = leastIntrusive(ouMatches.map((rule) => rule.mode));
  if (ouMode !== null) {
    return {
      mode: ouMode,
      reason: `organizational unit ${ouMatches.map((rule) => rule.organizationalUnit).join(', ')}: ${ouMode}`,
    };
  }
  return { mode: policy.default, reason: `policy default: ${policy.default}` };
}
