import {
  buildIncidentReport,
  completedSteps,
  EMPTY_UNDO,
  type FindingSummary,
  type IncidentReport,
  type IncidentUndo,
  type LambdaFunctionUndo,
  type LinkedInstance,
  mergeEvidence,
  mergeSteps,
  mergeUndo,
  NO_EVIDENCE,
  type ResponseModeDecision,
  type StepRecord,
} from '@cryptominer-defense/core/cold-start';
import type { Containment } from '../containment/containInstance';
import type { FreezeResult } from '../steps/freezeActor';
import type { Attribution } from './attributeInstance';

/** What one response produced, before it becomes a report. */
export interface ResponseParts {
  readonly disposition: 'responded' | 'refused' | 'answered-elsewhere';
  readonly dispositionReason: string | null;
  readonly steps: readonly StepRecord[];
  readonly mode: ResponseModeDecision;
  readonly attribution?: Attribution;
  readonly containment?: Containment;
  readonly freeze?: FreezeResult;
  /** A Lambda finding: the function throttled (its earlier reserved concurrency). */
  readonly lambdaFunction?: LambdaFunctionUndo | null;
  /** The attributed person's other running instances (followAttributedPerson.ts); absent when nobody was followed. */
  readonly linkedInstances?: readonly LinkedInstance[];
}

function undoOf(parts: ResponseParts): IncidentUndo {
  return {
    ...EMPTY_UNDO,
    ...parts.containment?.undo,
    user: parts.freeze?.user ?? null,
    role: parts.freeze?.role ?? null,
    lambdaFunction: parts.lambdaFunction ?? null,
  };
}

/**
 * The report of this delivery; for a later delivery, merged with the earlier report: the steps it completed
 * keep their records, the undo data stays the first one's, the report keeps its first timestamp (and key).
 */
export function assembleReport(
  finding: FindingSummary,
  timestamp: Date,
  parts: ResponseParts,
  previous: IncidentReport | null,
): IncidentReport {
  const completed = completedSteps(previous);
  const undo = undoOf(parts);
  const evidence = parts.containment?.evidence ?? NO_EVIDENCE;
  const attribution = parts.attribution;
  return buildIncidentReport({
    finding,
    disposition: parts.disposition,
    dispositionReason: parts.dispositionReason,
    actor: parts.attribution?.actor ?? null,
    attributionChain: parts.attribution?.chain ?? [],
    ...(attribution === undefined
      ? {}
      : {
          freezeDecision: {
            kind: attribution.decision.kind,
            reason: attribution.decision.reason,
            launchedBy: attribution.launchedBy,
            linkedInstanceId:
              attribution.decision.kind === 'contain-launching-instance' ? attribution.decision.instanceId : null,
          },
        }),
    ...(parts.linkedInstances === undefined ? {} : { linkedInstances: parts.linkedInstances }),
    steps: previous === null ? parts.steps : mergeSteps(previous, completed, parts.steps),
    undo: previous === null ? undo : mergeUndo(previous.undo, undo),
    evidence: previous === null ? evidence : mergeEvidence(previous.evidence, evidence),
    responseMode: parts.mode,
    deliveries: previous?.deliveries ?? [],
    timestamp,
  });
}
