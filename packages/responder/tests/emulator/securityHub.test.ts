import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { findingStatePrefix, type StepRecord } from '@cryptominer-defense/core';
import {
  applyEnvironment,
  EMULATOR_CREDENTIALS,
  EMULATOR_DEFAULT_ACCOUNT_ID,
  emulatorClientConfig,
  guardDutyFindingEvent,
  launchInstance,
  RestJsonApiError,
  type SecurityHubFake,
  startSecurityHubFake,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reported } from '../support/reported';
import { REPORT_BUCKET, type ResponderWorld, startResponderWorld } from '../support/responderWorld';

const region = 'us-east-1';
let world: ResponderWorld;
let securityHub: SecurityHubFake;
let restore: () => void;

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), { regions: [region] });
  securityHub = await startSecurityHubFake({ emulatorEndpoint: emulatorEndpoint() });
  // The SDK reads the service's endpoint from the process environment, as in the Lambda.
  restore = applyEnvironment({ AWS_ENDPOINT_URL_SECURITYHUB: securityHub.endpoint });
}, 120_000);

afterAll(async () => {
  restore?.();
  await securityHub?.stop();
  await world?.close();
});

beforeEach(() => {
  securityHub.failWith(undefined);
});

async function respondToNewInstance() {
  const member = world.organization.member('workload-b');
  const clients = await world.clientsOf(member.accountId, region);
  const network = member.inRegion(region).primaryNetwork;
  const { instanceId } = await launchInstance(clients.ec2, {
    subnetId: network.subnetIds[0] ?? '',
    securityGroupIds: [network.securityGroupId],
    name: 'miner',
  });
  const event = guardDutyFindingEvent({ accountId: member.accountId, region, instanceId });
  const handled = reported(await world.createResponder({ SECURITY_HUB_UPDATES: 'on' }).handle(event));
  return { handled, instanceId, accountId: member.accountId, findingId: String(event.detail.id) };
}

/** What the record beside the finding's state says Security Hub was told. */
async function storedSecurityHubSteps(findingId: string): Promise<StepRecord[]> {
  const s3 = new S3Client(emulatorClientConfig(emulatorEndpoint(), { credentials: EMULATOR_CREDENTIALS }));
  try {
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: REPORT_BUCKET, Prefix: `${findingStatePrefix(findingId)}security-hub/` }),
    );
    const [key] = (listed.Contents ?? []).map((object) => object.Key ?? '');
    const object = await s3.send(new GetObjectCommand({ Bucket: REPORT_BUCKET, Key: key }));
    return (JSON.parse((await object.Body?.transformToString()) ?? '{}') as { steps: StepRecord[] }).steps;
  } finally {
    s3.destroy();
  }
}

describe('Security Hub after a response (SECURITY_HUB_UPDATES=on)', () => {
  it('marks the GuardDuty finding NOTIFIED with a note naming the report, and imports the response related to it', async () => {
    // Act
    const { handled, instanceId, accountId, findingId } = await respondToNewInstance();

    // Assess: the GuardDuty finding, as the fake's BatchUpdateFindings left it.
    const report = await world.readReport(handled.key);
    const uri = `s3://${REPORT_BUCKET}/${handled.key}`;
    const reference = report.guardDutyFinding;
    expect(reference).toEqual({
      findingId,
      arn: `arn:aws:guardduty:${region}:${accountId}:detector/${reference?.detectorId}/finding/${findingId}`,
      detectorId: expect.stringMatching(/^[a-z0-9]+$/),
    });
    const updated = securityHub.updated(reference?.arn ?? '');
    expect(updated).toMatchObject({
      productArn: `arn:aws:securityhub:${region}::product/aws/guardduty`,
      workflowStatus: 'NOTIFIED',
      note: { UpdatedBy: 'cryptominer-auto-defense' },
      userDefinedFields: { cryptominerReportBucket: REPORT_BUCKET, cryptominerReportKey: handled.key },
    });
    expect(updated?.note?.Text).toContain(`(full mode): responded`);
    expect(updated?.note?.Text).toContain(`Report: ${uri}`);

    // The response's own finding, as moto holds it.
    const client = new SecurityHubClient(
      emulatorClientConfig(emulatorEndpoint(), { credentials: EMULATOR_CREDENTIALS }),
    );
    const productArn = `arn:aws:securityhub:${region}:${EMULATOR_DEFAULT_ACCOUNT_ID}:product/${EMULATOR_DEFAULT_ACCOUNT_ID}/default`;
    const { Findings = [] } = await client.send(new GetFindingsCommand({}));
    client.destroy();
    const imported = Findings.find((finding) => finding.Id === `${productArn}/${handled.key}`);
    expect(imported).toMatchObject({
      ProductArn: productArn,
      GeneratorId: 'cryptominer-auto-defense/response',
      AwsAccountId: EMULATOR_DEFAULT_ACCOUNT_ID,
      Types: ['Effects/Resource Consumption/Cryptominer Response'],
      Severity: { Label: 'HIGH' },
      Resources: [{ Type: 'AwsEc2Instance', Id: `arn:aws:ec2:${region}:${accountId}:instance/${instanceId}` }],
      RelatedFindings: [{ Id: reference?.arn, ProductArn: `arn:aws:securityhub:${region}::product/aws/guardduty` }],
      UserDefinedFields: { cryptominerReportKey: handled.key },
    });
    expect(handled.securityHub?.steps.map((step) => [step.step, step.status])).toEqual([
      ['updateSecurityHubFinding', 'succeeded'],
      ['importSecurityHubFinding', 'succeeded'],
    ]);
    expect(await storedSecurityHubSteps(findingId)).toEqual(handled.securityHub?.steps);
  });

  it('records a refused update as a failed step with its AWS error code; the report is stored and the instance contained', async () => {
    // Prepare: Security Hub not enabled in the central account, as AWS answers it.
    securityHub.failWith(
      new RestJsonApiError('InvalidAccessException', 'Account 123456789012 is not subscribed to AWS Security Hub', 401),
    );

    // Act
    const { handled, findingId } = await respondToNewInstance();

    // Assess
    const report = await world.readReport(handled.key);
    expect(report.response).toMatchObject({ networkIsolated: true, instanceStopped: true });
    const [update] = await storedSecurityHubSteps(findingId);
    expect(update).toMatchObject({
      step: 'updateSecurityHubFinding',
      status: 'failed',
      errorCode: 'InvalidAccessException',
      errorMessage: expect.stringContaining('not subscribed'),
    });
    expect(securityHub.calls.at(-1)).toMatchObject({
      operation: 'BatchUpdateFindings',
      outcome: 'InvalidAccessException',
    });
  });
});
