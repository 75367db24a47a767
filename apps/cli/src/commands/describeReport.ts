import type { IncidentReport } from '@cryptominer-defense/core';
import { renderTable } from '../output/renderTable';
import { wrapLines } from '../output/wrapLines';
import { whatReleaseUndoes } from '../reports/render/whatReleaseUndoes';

function flag(value: boolean): string {
  return value ? 'yes' : 'no';
}

/**
 * One report, readable in 120 columns: the incident, what was done, the steps, what needs a person, the undo
 * data, releases (a long line continues indented; --output json has the report as it is stored).
 */
export function describeReport(
  bucket: string,
  key: string,
  report: IncidentReport,
  releases: readonly { readonly key: string }[],
): string {
  const { response, actor } = report;
  const undoes = whatReleaseUndoes(report.undo);
  const lines = [
    `Report      s3://${bucket}/${key}`,
    `Finding     ${report.findingId} (${report.guarddutyFindingType}, severity ${report.severity}${report.sample ? ', GuardDuty sample' : ''})`,
    `Where       account ${report.accountId}, ${report.region}, ${report.instanceId ?? report.resourceType}`,
    `When        ${report.timestamp}`,
    `Disposition ${report.disposition}${report.dispositionReason === null ? '' : `: ${report.dispositionReason}`}`,
    `Actor       ${actor.type}${actor.arn === null ? '' : ` ${actor.arn}`}${actor.sourceIp === null ? '' : ` from ${actor.sourceIp}`}`,
    '',
    `Isolated ${flag(response.networkIsolated)} · Auto Scaling disabled ${flag(response.asgDisabled)} · stopped ${flag(response.instanceStopped)} · actor frozen ${flag(response.actorFrozen)} · root involved ${flag(response.rootInvolved)}`,
    '',
  ];
  if (report.steps.length > 0) {
    lines.push(
      'Steps:',
      renderTable(report.steps, [
        { header: 'STEP', value: (step) => (step.action === undefined ? step.step : `${step.step}.${step.action}`) },
        { header: 'TARGET', value: (step) => step.target ?? '', wrap: true },
        { header: 'STATUS', value: (step) => step.status },
        {
          header: 'DETAIL',
          value: (step) =>
            step.status === 'failed' ? step.errorCode : step.status === 'succeeded' ? '' : (step.reason ?? ''),
          wrap: true,
        },
      ]),
      '',
    );
  }
  lines.push(
    response.manualInterventionRequired
      ? `Needs a person:\n${report.manualInterventionReasons.map((reason) => `  - ${reason}`).join('\n')}`
      : 'Needs a person: no',
    '',
    'Undo data (what "cli release" restores):',
    ...(undoes.length === 0
      ? ['  (nothing: the response changed nothing release can undo)']
      : undoes.map((line) => `  - ${line}`)),
  );
  lines.push(
    '',
    releases.length === 0
      ? 'Releases: none'
      : `Releases:\n${releases.map((release) => `  - s3://${bucket}/${release.key}`).join('\n')}`,
  );
  return wrapLines(lines.join('\n'));
}
