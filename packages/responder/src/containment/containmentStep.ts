import type { IncidentEvidence, IncidentUndo, StepRecord } from '@cryptominer-defense/core';
import type { CallClass } from '../clients/callClass';
import type { MemberAccountClients } from '../clients/responderClients';
import type { InstanceFacts } from '../steps/inspectInstance';
import type { ContainmentPlan } from './containInstance';

/** What a containment step acts with: the member account's clients, the instance as read, the plan. */
export interface ContainmentContext {
  readonly clients: MemberAccountClients;
  readonly instance: InstanceFacts;
  readonly plan: ContainmentPlan;
}

/**
 * What a step tells the steps that wait for it (their registry `after`), once it is far enough along: go on, or
 * do not, and why (the instance is still in its Auto Scaling group: stopped, it would be terminated).
 */
export interface Gate {
  readonly blocks: string | null;
}

export const OPEN: Gate = { blocks: null };

/** The undo data containment records (all but the freeze's): each field is written by one step. */
export type ContainmentUndo = Omit<IncidentUndo, 'user' | 'role'>;

/** What one containment step did: its records, and its part of the undo data and of the evidence section. */
export interface ContainmentOutcome {
  readonly records: readonly StepRecord[];
  readonly undo?: Partial<ContainmentUndo>;
  readonly evidence?: Partial<IncidentEvidence>;
}

/** A containment step under way: when its dependents may go, and when it is done. */
export interface StartedStep {
  readonly ready: Promise<Gate>;
  readonly done: Promise<ContainmentOutcome>;
}

/**
 * How the engine runs one containment step of the registry. The engine calls `start` once every step it waits for
 * (its `after` in the registry) opened or closed its gate, and hands it those gates: the step decides whether a
 * closed one stops it. `readEarly`, when given, starts with containment, before any gate: reads only, never a
 * change (a read does not need the evidence kept), and `start` receives what it found.
 */
export interface ContainmentStep<Early = unknown> {
  /** Whether its calls are on the isolation path or wait for it under load (decision 0026). */
  readonly calls: CallClass;
  readonly readEarly?: (context: ContainmentContext) => Promise<Early>;
  start(context: ContainmentContext, gates: readonly Gate[], early: Promise<Early> | undefined): StartedStep;
  /** Records that replace the held-back record when the step has nothing to do for this instance anyway. */
  readonly nothingToDo?: (context: ContainmentContext) => readonly StepRecord[] | null;
  /** What its dependents see when it does not run now (held back); an earlier delivery's completion opens it. */
  readonly gateWhenNotRun?: (context: ContainmentContext) => Gate;
}
