import type {
  FindingSummary,
  IncidentReport,
  InstanceHints,
  PauseSwitchReading,
  ResponderConfiguration,
  StepRecord,
} from '@cryptominer-defense/core';
import type { ClientFactory, MemberAccountClients } from '../clients/responderClients';
import type { MembershipAnswer } from '../organizationMembership';
import type { ReadsInFlight, RecentAnswers } from '../recentAnswers';
import type { ResponderLogger } from '../responderLogger';
import type { SecurityGroupCache } from '../securityGroupCache';
import type { InstanceClaims } from '../state/instanceClaims';
import type { ReadInstance } from '../steps/instanceReads';
import type { StepsLoadedOnDemand } from '../steps/loadStepsOnDemand';
import type { SlotOutlook } from './slotOutlook';

/** What the engine needs, handed in (tests build it against the emulator). */
export interface ResponseEngineDependencies {
  readonly clients: ClientFactory;
  readonly configuration: ResponderConfiguration;
  readonly isOrganizationMember: (accountId: string) => Promise<MembershipAnswer>;
  /** The OUs above an account, nearest first; only asked when the response policy has OU rules. */
  readonly organizationalUnitsOf?: (accountId: string) => Promise<readonly string[]>;
  /**
   * The pause switch (docs/decisions/0018), read at admission; it throws when it cannot be read (the response then
   * observes). createResponder caches it for PAUSE_SWITCH_CACHE_SECONDS; absent: never paused.
   */
  readonly pauseSwitch?: () => Promise<PauseSwitchReading>;
  /** Isolation and all-open group ids, kept across invocations. */
  readonly groupCache?: SecurityGroupCache;
  /** Reads whose answer concurrent responses share for a minute (recentAnswers.ts); absent: each asks its own. */
  readonly recentAnswers?: RecentAnswers;
  /** Reads on the way to isolation that concurrent responses share while on the wire; absent: each asks its own. */
  readonly readsInFlight?: ReadsInFlight;
  /** The instance reads of concurrent responses, one call per account and region (instanceReads.ts). */
  readonly instanceReads?: ReadInstance;
  /**
   * The instances' claims (state/instanceClaims.ts): the person's other instances are claimed for their linked
   * incidents when listed. Absent: they are listed as planned, and each linked incident claims its own.
   */
  readonly instanceClaims?: InstanceClaims;
  /** What the container last listed of the cap's slots (slotOutlook.ts); absent: every claim lists first. */
  readonly slotOutlook?: SlotOutlook;
  readonly logger: ResponderLogger;
  readonly now?: () => Date;
}

export type InstanceFinding = FindingSummary & { readonly instanceId: string };

/** The member account reached: its clients, and the steps loaded on demand that act with some of them. */
export interface MemberAccount {
  readonly clients: MemberAccountClients;
  readonly steps: StepsLoadedOnDemand;
}

/**
 * Whether this delivery may act, and what an earlier delivery of the finding did (createResponder gets it
 * from the idempotency lock, findingLedger.ts). The engine reads while the lock is asked, and acts only after.
 */
export type Admission =
  | {
      readonly admitted: true;
      readonly previous: IncidentReport | null;
      /** Another finding's response claimed the instance first (state/instanceClaims.ts): it answers the instance. */
      readonly answeredBy?: AnsweredElsewhere;
      /** The admission's records that the report's reasons read (the instance's claim: taken over, say). */
      readonly records?: readonly StepRecord[];
    }
  | { readonly admitted: false; readonly reason: string };

/** Which finding's response holds the instance's claim, since when, and where the claim is. */
export interface AnsweredElsewhere {
  readonly findingId: string;
  readonly claimedAt: string;
  readonly claimKey: string;
}

/** What the engine answers: a report, or why this delivery did nothing at all. */
export type EngineAnswer =
  | { readonly kind: 'report'; readonly report: IncidentReport }
  | { readonly kind: 'declined'; readonly reason: string };

/** What the caller knows besides the finding: the admission (default: admitted, a first delivery), the hints. */
export interface ResponseContext {
  readonly admission?: Promise<Admission>;
  /** What the finding says of the instance: reads start from it while the instance is read (core's instanceHintsOf). */
  readonly hints?: InstanceHints;
}
