import { ConflictingActionScopeError } from '../errors';
import type { ResponseMode } from '../responsePolicy';
import { MEMBER_ACCOUNT_STEPS } from '../responseSteps';
import { CENTRAL_ACCOUNT_STEPS, type CentralStepDefinition } from './centralAccountSteps';
import type { ActionScope } from './memberActionScopes';
import { RELEASE_STEPS } from './releaseSteps';
import type { MemberStepDefinition, StepDefinition, StepPhase, StepSubject } from './stepDefinition';

export type MemberAccountStepName = keyof typeof MEMBER_ACCOUNT_STEPS;
export type CentralAccountStepName = keyof typeof CENTRAL_ACCOUNT_STEPS;
export type StepName = MemberAccountStepName | CentralAccountStepName;

/** The member-account steps a later delivery does not repeat once they took effect (`doneOnce: true`). */
export type StepDoneOnce = {
  [K in MemberAccountStepName]: (typeof MEMBER_ACCOUNT_STEPS)[K]['doneOnce'] extends true ? K : never;
}[MemberAccountStepName];

/** The member-account steps of one phase, as a type (e.g. every containment step must have an implementation). */
export type StepOfPhase<P extends StepPhase> = {
  [K in MemberAccountStepName]: (typeof MEMBER_ACCOUNT_STEPS)[K]['phase'] extends P ? K : never;
}[MemberAccountStepName];

const MEMBER_STEPS: Readonly<Record<MemberAccountStepName, MemberStepDefinition>> = MEMBER_ACCOUNT_STEPS;
const CENTRAL_STEPS: Readonly<Record<CentralAccountStepName, CentralStepDefinition>> = CENTRAL_ACCOUNT_STEPS;
const MEMBER_STEP_NAMES = Object.keys(MEMBER_ACCOUNT_STEPS) as MemberAccountStepName[];

/** Every step's name, in the registry's order: member-account steps, then the central function's. */
export const STEP_NAMES = [...MEMBER_STEP_NAMES, ...(Object.keys(CENTRAL_ACCOUNT_STEPS) as CentralAccountStepName[])];

export const STEPS_DONE_ONCE: readonly StepDoneOnce[] = MEMBER_STEP_NAMES.filter(
  (step): step is StepDoneOnce => MEMBER_STEPS[step].doneOnce,
);

/** A member-account step's registry entry. */
export function stepDefinition(step: MemberAccountStepName): MemberStepDefinition {
  return MEMBER_STEPS[step];
}

/** The mode gate: whether a response in `mode` runs the step (else it is recorded as held back). */
export function stepRunsIn(step: MemberAccountStepName, mode: ResponseMode): boolean {
  return MEMBER_STEPS[step].modes.includes(mode);
}

/** A step full mode runs and approval mode leaves to a person. */
export type StepAwaitingApproval = MemberAccountStepName;

/**
 * The steps full mode runs and approval mode leaves to a person (`cli approve`, with that person's credentials):
 * the stop, with the lift of stop protection before it, and the freeze. Derived from the registry's modes.
 */
export const STEPS_AWAITING_APPROVAL: readonly StepAwaitingApproval[] = MEMBER_STEP_NAMES.filter(
  (step) => MEMBER_STEPS[step].modes.includes('full') && !MEMBER_STEPS[step].modes.includes('approval'),
);

/** The member-account steps of one phase, in the registry's order. */
export function stepsInPhase<P extends StepPhase>(phase: P): StepOfPhase<P>[] {
  return MEMBER_STEP_NAMES.filter((step): step is StepOfPhase<P> => MEMBER_STEPS[step].phase === phase);
}

/** What a step would do for this subject (the record of a mode that holds it back); null: it would not run. */
export function wouldDo(step: StepName, subject: StepSubject): string | null {
  const definition: CentralStepDefinition =
    step in MEMBER_ACCOUNT_STEPS
      ? MEMBER_STEPS[step as MemberAccountStepName]
      : CENTRAL_STEPS[step as CentralAccountStepName];
  return definition.wouldDo?.(subject) ?? null;
}

/**
 * What a whole response would do for the subject, step by step: the central function's steps first (they guard the
 * rest), then the member account's, each in the registry's order; a step that would not run for it is left out.
 * The sample report (a GuardDuty sample finding: no AWS call at all) is this list, every step held back.
 */
export function wouldDoAll(subject: StepSubject): { readonly step: StepName; readonly wouldDo: string }[] {
  const order: StepName[] = [...(Object.keys(CENTRAL_ACCOUNT_STEPS) as CentralAccountStepName[]), ...MEMBER_STEP_NAMES];
  return order.flatMap((step) => {
    const would = wouldDo(step, subject);
    return would === null ? [] : [{ step, wouldDo: would }];
  });
}

/** Every step the given one waits for, directly or through another (its `after`, followed). */
export function stepDependencies(step: MemberAccountStepName): MemberAccountStepName[] {
  const found = new Set<MemberAccountStepName>();
  const visit = (current: MemberAccountStepName) => {
    for (const before of MEMBER_STEPS[current].after as readonly MemberAccountStepName[]) {
      if (found.has(before)) continue;
      found.add(before);
      visit(before);
    }
  };
  visit(step);
  return MEMBER_STEP_NAMES.filter((candidate) => found.has(candidate));
}

/** Where each member-account action may act, from the steps that call it; the member role's policy is built from it. */
export function memberActionScopes(
  steps: Readonly<Record<string, Pick<MemberStepDefinition, 'actions'>>> = MEMBER_STEPS,
): ReadonlyMap<string, ActionScope> {
  const scopes = new Map<string, { scope: ActionScope; step: string }>();
  for (const [step, definition] of Object.entries(steps)) {
    for (const [action, scope] of Object.entries(definition.actions)) {
      const earlier = scopes.get(action);
      if (earlier !== undefined && earlier.scope !== scope) {
        throw new ConflictingActionScopeError(action, [earlier.step, step]);
      }
      scopes.set(action, { scope, step });
    }
  }
  return new Map([...scopes].sort(([a], [b]) => (a < b ? -1 : 1)).map(([action, { scope }]) => [action, scope]));
}

function uniqueSorted(actions: Iterable<string>): string[] {
  return [...new Set(actions)].sort();
}

/** Every action the responder calls in a member account: exactly what the member role grants. */
export function memberAccountActions(): string[] {
  return uniqueSorted(Object.values(MEMBER_STEPS).flatMap((step) => step.iamActions));
}

/** Every action the central function calls in its own account. */
export function centralAccountActions(): string[] {
  return uniqueSorted(Object.values(CENTRAL_ACCOUNT_STEPS).flatMap((step) => step.iamActions));
}

/** Every action `cli release` calls in the incident's account (granted to operators, not to the responder). */
export function releaseActions(): string[] {
  return uniqueSorted(
    Object.values(RELEASE_STEPS).flatMap((step: StepDefinition) => [
      ...step.iamActions,
      ...(step.impliedActions ?? []),
    ]),
  );
}

/** Every action `cli approve` calls in the incident's account (the operator's): the instance read, then its steps. */
export function approvalActions(): string[] {
  return uniqueSorted(
    ['inspectInstance' as const, ...STEPS_AWAITING_APPROVAL].flatMap((step) => MEMBER_STEPS[step].iamActions),
  );
}

/** The release actions IAM checks without a call of their own (iam:PassRole): never seen on the wire. */
export function releaseImpliedActions(): string[] {
  return uniqueSorted(Object.values(RELEASE_STEPS).flatMap((step: StepDefinition) => step.impliedActions ?? []));
}
