import type { IncidentReport } from '@cryptominer-defense/core';

/**
 * The AWS CLI command a person runs to turn termination protection off
 * (`modify-instance-attribute --no-disable-api-termination`, in the incident's account and region).
 */
function terminationProtectionOffCommand(region: string, instanceId: string): string {
  return `aws ec2 modify-instance-attribute --region ${region} --instance-id ${instanceId} --no-disable-api-termination`;
}

/** The evidence the response kept: release leaves it, by design, until the case is closed. */
function evidenceKept(report: IncidentReport): string[] {
  const kept: string[] = [];
  const snapshots = report.evidence.snapshots.map((snapshot) => snapshot.snapshotId);
  if (snapshots.length > 0)
    kept.push(`Snapshots ${snapshots.join(', ')} are kept: delete them once the case is closed.`);
  const evidence = report.undo.evidence;
  if (evidence === null) return kept;
  if (evidence.terminationProtectionEnabled && evidence.previousTerminationProtection === false) {
    kept.push(`Termination protection stays on for ${evidence.instanceId} (it was off before the incident).`);
  }
  if (evidence.terminationProtectionEnabled && evidence.previousTerminationProtection === null) {
    // The read failed (a failed readPreviousTerminationProtection in the report): release cannot know whether
    // protection was off, so it changes nothing and gives the person the command.
    kept.push(
      `Termination protection stays on for ${evidence.instanceId}: its setting before the incident is unknown (reading it failed during the response). If it was off before, turn it off with: ${terminationProtectionOffCommand(report.region, evidence.instanceId)}`,
    );
  }
  if (evidence.volumesKeptOnTermination.length > 0) {
    const volumes = evidence.volumesKeptOnTermination.map((volume) => volume.volumeId).join(', ');
    kept.push(`DeleteOnTermination stays off for ${volumes} (it was on before the incident).`);
  }
  if (evidence.taggedResourceIds.length > 0) {
    kept.push(
      `The incident tags (${evidence.incidentTagKeys.join(', ')}) stay on ${evidence.taggedResourceIds.join(', ')}.`,
    );
  }
  return kept;
}

/** What release deliberately does not undo, in words a person acts on. */
export function leftForPerson(report: IncidentReport): string[] {
  const left: string[] = [];
  const group = report.undo.autoScalingGroup;
  if (group?.detachedInstanceId != null) {
    left.push(
      `${group.detachedInstanceId} stays out of ${group.autoScalingGroupName}: it ran a miner (the group launches fresh instances instead).`,
    );
  }
  if (report.response.instanceStopped && report.instanceId !== null) {
    left.push(`${report.instanceId} stays stopped: start it by hand only once it is known to be clean.`);
  }
  if (report.undo.user?.loginProfileDeleted === true) {
    left.push(
      `The console password of ${report.undo.user.userArn} was deleted and cannot be restored: set a new one if needed.`,
    );
  }
  if (report.undo.role?.trustPolicyReplaced === true && report.undo.role.originalTrustPolicy === null) {
    left.push(`The original trust policy of ${report.undo.role.roleArn} was not recorded: restore it from its source.`);
  }
  const stopProtection = report.undo.stopProtection;
  if (stopProtection?.stopProtectionLifted === true && stopProtection.previousDisableApiStop === null) {
    left.push(
      `Stop protection stays off for ${stopProtection.instanceId}: its setting before the incident is unknown (reading it failed during the response). If it was on, turn it on with: aws ec2 modify-instance-attribute --region ${report.region} --instance-id ${stopProtection.instanceId} --disable-api-stop`,
    );
  }
  const credentials = report.undo.instanceCredentials;
  if (credentials?.metadataDisabled === true && credentials.previousMetadataOptions === null) {
    left.push(
      `The metadata service of ${credentials.instanceId} stays off: its options before the incident were not read. Turn it on with: aws ec2 modify-instance-metadata-options --region ${report.region} --instance-id ${credentials.instanceId} --http-endpoint enabled`,
    );
  }
  left.push(...evidenceKept(report));
  return left;
}
