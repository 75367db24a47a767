import {
  CreateSnapshotCommand,
  CreateTagsCommand,
  DescribeInstanceAttributeCommand,
  DescribeSnapshotsCommand,
  type EC2Client,
  ModifyInstanceAttributeCommand,
} from '@aws-sdk/client-ec2';
import {
  alreadyDone,
  DEVICE_NAME_TAG_KEY,
  type EvidenceUndo,
  INCIDENT_TAG_KEY,
  INCIDENT_TIME_TAG_KEY,
  INSTANCE_ID_TAG_KEY,
  type SnapshotEvidence,
  type StepRecord,
  skipped,
  succeeded,
} from '@cryptominer-defense/core';
import { decidedRecord, runAction } from '../runAction';
import type { InstanceFacts } from './inspectInstance';

export interface EvidenceResult {
  readonly records: readonly StepRecord[];
  readonly undo: EvidenceUndo;
  /** Every volume's snapshot, this run's or an earlier run's (found by the incident tag). */
  readonly snapshots: readonly SnapshotEvidence[];
}

const STEP = 'preserveEvidence';

/**
 * Keeps the evidence before the instance is stopped: termination protection on, every attached EBS volume
 * kept when the instance is terminated (DeleteOnTermination false), the instance and its volumes tagged with
 * the finding id and time, and a snapshot of every volume (tagged likewise; one that an earlier run took is
 * found by its tag and not taken again). The actions are independent: one failing does not stop the others.
 */
export async function preserveEvidence(
  ec2: EC2Client,
  instance: InstanceFacts,
  incident: { readonly findingId: string; readonly at: Date },
): Promise<EvidenceResult> {
  const { instanceId } = instance;
  const incidentTags = [
    { Key: INCIDENT_TAG_KEY, Value: incident.findingId },
    { Key: INCIDENT_TIME_TAG_KEY, Value: incident.at.toISOString() },
  ];

  const protection = protectFromTermination(ec2, instanceId);

  const volumesKept = Promise.all(
    instance.volumes.map((volume) =>
      runAction(
        { step: STEP, action: 'keepVolumeOnTermination', target: volume.volumeId },
        async () => {
          if (!volume.deleteOnTermination)
            return { result: alreadyDone('DeleteOnTermination is already off'), value: false };
          await ec2.send(
            new ModifyInstanceAttributeCommand({
              InstanceId: instanceId,
              BlockDeviceMappings: [{ DeviceName: volume.deviceName, Ebs: { DeleteOnTermination: false } }],
            }),
          );
          return { result: succeeded, value: true };
        },
        false,
      ),
    ),
  );

  const taggedResourceIds = [instanceId, ...instance.volumes.map((volume) => volume.volumeId)];
  const tagged = runAction(
    { step: STEP, action: 'tagIncident', target: instanceId },
    async () => {
      if (instance.tags[INCIDENT_TAG_KEY] === incident.findingId) {
        return { result: alreadyDone('the instance already carries the incident tag'), value: false };
      }
      await ec2.send(new CreateTagsCommand({ Resources: taggedResourceIds, Tags: incidentTags }));
      return { result: succeeded, value: true };
    },
    false,
  );

  const snapshots = snapshotVolumes(ec2, instance, incident.findingId, incidentTags);
  const [protectedOutcome, keptOutcomes, taggedOutcome, snapshotted] = await Promise.all([
    protection,
    volumesKept,
    tagged,
    snapshots,
  ]);
  return {
    records: [
      ...protectedOutcome.records,
      ...keptOutcomes.map((outcome) => outcome.record),
      taggedOutcome.record,
      ...snapshotted.records,
    ],
    undo: {
      instanceId,
      previousTerminationProtection: protectedOutcome.value.previous,
      terminationProtectionEnabled: protectedOutcome.value.enabled,
      volumesKeptOnTermination: instance.volumes
        .filter((_volume, index) => keptOutcomes[index]?.value === true)
        .map((volume) => ({ volumeId: volume.volumeId, deviceName: volume.deviceName })),
      taggedResourceIds: taggedOutcome.value ? taggedResourceIds : [],
      incidentTagKeys: taggedOutcome.value ? incidentTags.map((tag) => tag.Key) : [],
    },
    snapshots: snapshotted.snapshots,
  };
}

/**
 * Turns termination protection on, after reading whether it was on (for undo). A failed read does not stop the
 * protection: it is recorded (`readPreviousTerminationProtection`, with the AWS error code), and undo says the
 * earlier setting is unknown (`previousTerminationProtection: null`).
 */
async function protectFromTermination(
  ec2: EC2Client,
  instanceId: string,
): Promise<{ readonly records: StepRecord[]; readonly value: { previous: boolean | null; enabled: boolean } }> {
  const read = await runAction<boolean | null>(
    { step: STEP, action: 'readPreviousTerminationProtection', target: instanceId },
    async () => {
      const answer = await ec2.send(
        new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'disableApiTermination' }),
      );
      return { result: succeeded, value: answer.DisableApiTermination?.Value ?? null };
    },
    null,
  );
  const previous = read.value;
  const enabled = await runAction<{ previous: boolean | null; enabled: boolean }>(
    { step: STEP, action: 'enableTerminationProtection', target: instanceId },
    async () => {
      if (previous === true)
        return { result: alreadyDone('termination protection is already on'), value: { previous, enabled: false } };
      await ec2.send(
        new ModifyInstanceAttributeCommand({ InstanceId: instanceId, DisableApiTermination: { Value: true } }),
      );
      return { result: succeeded, value: { previous, enabled: true } };
    },
    { previous, enabled: false },
  );
  // A read that worked is part of enabling; only its failure is worth a record of its own.
  return {
    records: [...(read.record.status === 'failed' ? [read.record] : []), enabled.record],
    value: enabled.value,
  };
}

async function snapshotVolumes(
  ec2: EC2Client,
  instance: InstanceFacts,
  findingId: string,
  incidentTags: readonly { readonly Key: string; readonly Value: string }[],
): Promise<{ readonly records: StepRecord[]; readonly snapshots: SnapshotEvidence[] }> {
  if (instance.volumes.length === 0) {
    const reason = 'the instance has no EBS volume (instance store only): nothing to snapshot';
    return {
      records: [decidedRecord({ step: STEP, action: 'snapshotVolume', target: instance.instanceId }, skipped(reason))],
      snapshots: [],
    };
  }
  const existing = await runAction(
    { step: STEP, action: 'findEarlierSnapshots', target: instance.instanceId },
    async () => {
      const answer = await ec2.send(
        new DescribeSnapshotsCommand({
          OwnerIds: ['self'],
          Filters: [
            { Name: `tag:${INCIDENT_TAG_KEY}`, Values: [findingId] },
            { Name: 'volume-id', Values: instance.volumes.map((volume) => volume.volumeId) },
          ],
        }),
      );
      const found = new Map<string, string>();
      for (const snapshot of answer.Snapshots ?? []) {
        if (snapshot.VolumeId !== undefined && snapshot.SnapshotId !== undefined && snapshot.State !== 'error') {
          found.set(snapshot.VolumeId, snapshot.SnapshotId);
        }
      }
      return { result: succeeded, value: found };
    },
    // Unknown: take the snapshots (a duplicate snapshot costs little; a missing one loses evidence).
    new Map<string, string>(),
  );
  const outcomes = await Promise.all(
    instance.volumes.map((volume) =>
      runAction<string | null>(
        { step: STEP, action: 'snapshotVolume', target: volume.volumeId },
        async () => {
          const earlier = existing.value.get(volume.volumeId);
          if (earlier !== undefined)
            return { result: alreadyDone(`snapshot ${earlier} already taken`), value: earlier };
          const created = await ec2.send(
            new CreateSnapshotCommand({
              VolumeId: volume.volumeId,
              Description: `Cryptominer Auto Defense evidence: ${volume.volumeId} of ${instance.instanceId}, finding ${findingId}`,
              TagSpecifications: [
                {
                  ResourceType: 'snapshot',
                  Tags: [
                    ...incidentTags,
                    { Key: INSTANCE_ID_TAG_KEY, Value: instance.instanceId },
                    { Key: DEVICE_NAME_TAG_KEY, Value: volume.deviceName },
                  ],
                },
              ],
            }),
          );
          return { result: succeeded, value: created.SnapshotId ?? null };
        },
        null,
      ),
    ),
  );
  return {
    records: [
      ...(existing.record.status === 'failed' ? [existing.record] : []),
      ...outcomes.map((outcome) => outcome.record),
    ],
    snapshots: instance.volumes.flatMap((volume, index) => {
      const snapshotId = outcomes[index]?.value;
      return snapshotId === null || snapshotId === undefined ? [] : [{ volumeId: volume.volumeId, snapshotId }];
    }),
  };
}
