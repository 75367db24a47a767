/**
 * The GuardDuty finding types that mean crypto-mining (domain.md §1), in one place: the
 * EventBridge rule, the finding classifier and the docs all derive from this list.
 *
 * There is no type spelled `CryptoCurrency:EC2/BitcoinTool`: EventBridge matches strings
 * exactly, so the original design's rule on that literal matched nothing. The known types are
 * listed exactly, and the families are also matched by prefix so that a new variant
 * (say `…BitcoinTool.C`) is not missed.
 */
export const CRYPTO_MINING_FINDING_TYPES = [
  'CryptoCurrency:EC2/BitcoinTool.B',
  'CryptoCurrency:EC2/BitcoinTool.B!DNS',
  'Impact:EC2/BitcoinDomainRequest.Reputation',
  'CryptoCurrency:Runtime/BitcoinTool.B',
  'CryptoCurrency:Runtime/BitcoinTool.B!DNS',
  'Impact:Runtime/BitcoinDomainRequest.Reputation',
  'Impact:Runtime/CryptoMinerExecuted',
  'CryptoCurrency:Lambda/BitcoinTool.B',
] as const;

export type KnownCryptoMiningFindingType = (typeof CRYPTO_MINING_FINDING_TYPES)[number];

/** Families matched by prefix; every exact type above starts with one of these. */
export const CRYPTO_MINING_FINDING_TYPE_PREFIXES = [
  'CryptoCurrency:',
  'Impact:EC2/BitcoinDomainRequest',
  'Impact:Runtime/BitcoinDomainRequest',
  'Impact:Runtime/CryptoMiner',
] as const;

/**
 * Type names GuardDuty never emits although they look like a family member: the original design's
 * `CryptoCurrency:EC2/BitcoinTool`. An event carrying one was not written by GuardDuty, so it is not acted on.
 */
export const NONEXISTENT_FINDING_TYPES = ['CryptoCurrency:EC2/BitcoinTool'] as const;

export function isNonexistentFindingType(type: string): boolean {
  return (NONEXISTENT_FINDING_TYPES as readonly string[]).includes(type);
}

export function isCryptoMiningFindingType(type: string): boolean {
  if (isNonexistentFindingType(type)) return false;
  return (
    (CRYPTO_MINING_FINDING_TYPES as readonly string[]).includes(type) ||
    CRYPTO_MINING_FINDING_TYPE_PREFIXES.some((prefix) => type.startsWith(prefix))
  );
}

/**
 * Attack sequences delivered beside the crypto-mining types: the engine acts on one only when its signals show
 * crypto-mining (attackSequenceInstances.ts).
 */
export const DELIVERED_ATTACK_SEQUENCE_TYPES = ['AttackSequence:EC2/CompromisedInstanceGroup'] as const;

/**
 * The EventBridge pattern for crypto-mining findings, of every resource type, in any member account. Findings on
 * EKS, ECS, containers and Lambda have no instance to contain, but are delivered all the same: the engine writes a
 * report for a person (disposition needs-person), so the central bucket holds every crypto-mining incident of the
 * organization. A type that only looks like one (domain.md §1) is matched here and refused by the engine.
 * `AttackSequence:EC2/CompromisedInstanceGroup` is matched exactly: the engine contains its instances only when the
 * sequence shows crypto-mining, else writes a report for a person.
 */
export function cryptoMiningEventPattern(): {
  source: string[];
  'detail-type': string[];
  detail: { type: ({ prefix: string } | string)[] };
} {
  return {
    source: ['aws.guardduty'],
    'detail-type': ['GuardDuty Finding'],
    detail: {
      type: [
        ...CRYPTO_MINING_FINDING_TYPE_PREFIXES.map((prefix) => ({ prefix })),
        // Exact: the other attack sequences (IAM, S3, EKS, ECS) have no instance group to contain (decision 0016).
        ...DELIVERED_ATTACK_SEQUENCE_TYPES,
      ],
    },
  };
}
