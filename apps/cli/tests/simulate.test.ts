import { classifyFinding, isSampleFinding, parseGuardDutyFindingEventJson } from '@cryptominer-defense/core';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/runCli';

const BASE = ['simulate', '--account', '111122223333', '--region', 'eu-west-1', '--instance', 'i-0123456789abcdef0'];

describe('cli simulate', () => {
  it('prints one well-formed GuardDuty finding event that the responder would act on', async () => {
    // Act
    const run = await runCli([...BASE, '--type', 'CryptoCurrency:EC2/BitcoinTool.B'], {});

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const event = parseGuardDutyFindingEventJson(run.stdout);
    expect(event).toMatchObject({
      source: 'aws.guardduty',
      'detail-type': 'GuardDuty Finding',
      region: 'eu-west-1',
      detail: {
        type: 'CryptoCurrency:EC2/BitcoinTool.B',
        accountId: '111122223333',
        region: 'eu-west-1',
        resource: { resourceType: 'Instance', instanceDetails: { instanceId: 'i-0123456789abcdef0' } },
      },
    });
    expect(classifyFinding(event.detail).kind).toBe('respond');
    expect(isSampleFinding(event.detail)).toBe(false);
  });

  it('takes the ENIs, the finding id, the admin account and the sample mark', async () => {
    // Act
    const run = await runCli(
      [
        ...BASE,
        '--type',
        'Impact:EC2/BitcoinDomainRequest.Reputation',
        '--eni',
        'eni-0a1b2c3d:vpc-0a1b2c3d',
        '--eni=eni-0e0f0a0b:vpc-0a1b2c3d',
        '--finding-id',
        'a1b2c3',
        '--admin-account',
        '999988887777',
        '--sample',
      ],
      {},
    );

    // Assess
    expect(run.code).toBe(0);
    const event = parseGuardDutyFindingEventJson(run.stdout);
    expect(event.account).toBe('999988887777');
    expect(event.detail.id).toBe('a1b2c3');
    expect(isSampleFinding(event.detail)).toBe(true);
    const interfaces = (event.detail.resource.instanceDetails?.networkInterfaces ?? []).map(
      (eni) => eni.networkInterfaceId,
    );
    expect(interfaces).toEqual(['eni-0a1b2c3d', 'eni-0e0f0a0b']);
  });

  it('still prints a finding that is not crypto-mining, with a note on stderr', async () => {
    // Act
    const run = await runCli([...BASE, '--type', 'Recon:EC2/PortProbeUnprotectedPort'], {});

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'Note: Recon:EC2/PortProbeUnprotectedPort is not a crypto-mining finding type: the responder will ignore this event.\n',
    );
    expect(classifyFinding(parseGuardDutyFindingEventJson(run.stdout).detail).kind).toBe('ignore');
  });

  it.each([
    [['simulate', '--account', '111122223333'], /simulate needs --type/],
    [[...BASE.slice(0, 2), '12', ...BASE.slice(3), '--type', 'x'], /--account "12" is not an AWS account id/],
    [[...BASE.slice(0, 4), 'mars', ...BASE.slice(5), '--type', 'x'], /--region "mars" is not a region/],
    [[...BASE.slice(0, 6), '../etc', '--type', 'x'], /--instance "\.\.\/etc" is not an instance id/],
    [[...BASE, '--type', 'x', '--eni', 'eni-1'], /--eni "eni-1" is not <eni-id>:<vpc-id>/],
    [[...BASE, '--type', 'x', '--finding-id', 'a/b'], /--finding-id "a\/b" may hold only/],
    [[...BASE, '--type', 'x', '--count', '3'], /Unknown option '--count'/],
  ])('%j exits 2 with one line and prints nothing', async (args, message) => {
    // Act
    const run = await runCli(args, {});

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
  });

  it('has --help', async () => {
    // Act
    const run = await runCli(['simulate', '--help'], {});

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Usage: cli simulate --type <finding type> --account <id> --region <r> --instance <id>/,
    );
  });
});
