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

/** One finding's line of the summary, every value in full (the table wraps them, --output json has them as is). */
export interface DemoSummaryRow {
  readonly member: string;
  readonly accountId: string;
  readonly region: string;
  readonly instanceId: string;
  readonly findingType: string;
  readonly actor: string;
  readonly done: string;
  readonly needsAPerson: readonly string[];
  readonly checked: 'ok' | 'FAILED';
  readonly checks: readonly ContainmentCheck[];
}

export function demoSummaryRows(outcomes: readonly DemoOutcome[]): DemoSummaryRow[] {
  return outcomes.map((outcome) => ({
    member: outcome.incident.memberName,
    accountId: outcome.incident.accountId,
    region: outcome.incident.region,
    instanceId: outcome.incident.instanceId,
    findingType: outcome.incident.findingType,
    actor: actorOf(outcome),
    done: doneOf(outcome),
    needsAPerson: outcome.report?.manualInterventionReasons ?? [],
    checked: outcome.checks.every((check) => check.passed) ? 'ok' : 'FAILED',
    checks: outcome.checks,
  }));
}

/**
 * The table the demo ends with: one row per finding, in 120 columns. The ids (account, region, instance) stay on
 * one line; the free text wraps onto more lines (--output json has every value on one).
 */
export function demoSummary(rows: readonly DemoSummaryRow[]): string {
  return renderTable(rows, [
    // Wrapped at its space: the member's name over its account id, both whole.
    { header: 'ACCOUNT', value: (row) => `${row.member} ${row.accountId}`, wrap: true },
    { header: 'REGION', value: (row) => row.region },
    { header: 'INSTANCE', value: (row) => row.instanceId },
    { header: 'FINDING TYPE', value: (row) => row.findingType, wrap: true },
    { header: 'ACTOR', value: (row) => row.actor, wrap: true },
    { header: 'DONE', value: (row) => row.done, wrap: true },
    {
      header: 'NEEDS A PERSON',
      value: (row) => (row.needsAPerson.length === 0 ? '-' : row.needsAPerson.join('; ')),
      wrap: true,
    },
    { header: 'CHECKED', value: (row) => row.checked },
  ]);
}
