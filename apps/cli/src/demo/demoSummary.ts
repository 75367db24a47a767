import type { IncidentReport } from '@cryptominer-defense/core';
import { renderTable } from '../output/renderTable';
import type { ContainmentCheck } from './checkContainment';
import type { DemoIncident } from './demoIncidents';

export interface DemoOutcome {
  readonly incident: DemoIncident;
  readonly report: IncidentReport | undefined;
  readonly checks: readonly ContainmentCheck[];
}

function actorOf(outcome: DemoOutcome): string {
  const actor = outcome.report?.actor;
  if (actor === undefined) return '-';
  if (actor.type === 'Root') return 'root';
  const name = actor.arn?.split(':').at(-1) ?? '';
  return name === '' ? actor.type : name;
}

function doneOf(outcome: DemoOutcome): string {
  const report = outcome.report;
  if (report === undefined) {
    return outcome.incident.cryptoMining
      ? 'NOTHING (no report)'
      : 'nothing: not crypto-mining, held back by the EventBridge rule';
  }
  const { response } = report;
  const done = [
    response.networkIsolated
      ? `isolated ${report.undo.networkInterfaces.length || outcome.incident.networkInterfaceIds.length} ENI`
      : null,
    response.asgDisabled ? 'detached, group 0/0/0' : null,
    response.instanceStopped ? 'stopped' : null,
    response.actorFrozen ? `${report.actor.type === 'IAMUser' ? 'user' : 'role'} frozen` : null,
    report.evidence.snapshots.length > 0 ? `${report.evidence.snapshots.length} snapshot(s) kept` : null,
  ].filter((item) => item !== null);
  return done.length === 0 ? 'nothing' : done.join(', ');
}

function personOf(outcome: DemoOutcome): string {
  const reasons = outcome.report?.manualInterventionReasons ?? [];
  return reasons.length === 0 ? '-' : reasons.join('; ');
}

/** The table the demo ends with: one row per finding. */
export function demoSummary(outcomes: readonly DemoOutcome[]): string {
  return renderTable(outcomes, [
    { header: 'ACCOUNT', value: (o) => `${o.incident.memberName} ${o.incident.accountId}` },
    { header: 'REGION', value: (o) => o.incident.region },
    { header: 'INSTANCE', value: (o) => o.incident.instanceId },
    { header: 'FINDING TYPE', value: (o) => o.incident.findingType },
    { header: 'ACTOR', value: actorOf, maxWidth: 36 },
    { header: 'DONE', value: doneOf },
    { header: 'NEEDS A PERSON', value: personOf, maxWidth: 70 },
    { header: 'CHECKED', value: (o) => (o.checks.every((c) => c.passed) ? 'ok' : 'FAILED') },
  ]);
}
