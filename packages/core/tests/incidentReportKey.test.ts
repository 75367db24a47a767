import { describe, expect, it } from 'vitest';
import { incidentDeliveryReportKey, incidentReportKey } from '../src/incidentReportKey';

describe('incidentReportKey', () => {
  it('files the report by account, region and UTC day, named after the instance, the epoch second and the finding', () => {
    // Act
    const key = incidentReportKey({
      accountId: '111122223333',
      region: 'eu-west-1',
      instanceId: 'i-0123456789abcdef0',
      findingId: 'f1',
      timestamp: '2026-03-05T23:59:59.900+00:00',
    });

    // Assess
    expect(key).toBe('incidents/111122223333/eu-west-1/2026/03/05/i-0123456789abcdef0-1772755199-f1.json');
  });

  it('gives two findings of one instance in one second two keys, a linked incident a name in the day folder', () => {
    // Prepare
    const answer = {
      accountId: '111122223333',
      region: 'eu-west-1',
      instanceId: 'i-0123456789abcdef0',
      timestamp: '2026-03-05T23:59:59.100+00:00',
    };

    // Act
    const own = incidentReportKey({ ...answer, findingId: '92c1a1d65b221e96d6a6fae27aaaae43' });
    const linked = incidentReportKey({
      ...answer,
      findingId: '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e/linked/i-0123456789abcdef0',
    });

    // Assess
    expect(own).not.toBe(linked);
    expect(linked).toBe(
      'incidents/111122223333/eu-west-1/2026/03/05/i-0123456789abcdef0-1772755199-0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e.linked.i-0123456789abcdef0.json',
    );
  });

  it('uses the finding id when there is no instance', () => {
    // Act
    const key = incidentReportKey({
      accountId: '111122223333',
      region: 'eu-west-1',
      instanceId: null,
      findingId: '92c1a1d65b221e96d6a6fae27aaaae43',
      timestamp: '2026-11-26T10:00:00.000Z',
    });

    // Assess
    expect(key).toBe(
      'incidents/111122223333/eu-west-1/2026/11/26/finding-92c1a1d65b221e96d6a6fae27aaaae43-1795687200.json',
    );
  });

  it.each([
    ['a path traversal', '../../../i-0123456789abcdef0'],
    ['a wildcard', 'i-*'],
    ['an ARN', 'arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0'],
    ['control characters', 'i-0123456789abcdef0\u0000\u202e'],
    ['5,000 characters', `i-${'a'.repeat(4998)}`],
  ])(
    'uses the finding id when the finding names an instance id with %s (a hostile finding picks no key)',
    (_, instanceId) => {
      // Act
      const key = incidentReportKey({
        accountId: '111122223333',
        region: 'eu-west-1',
        instanceId,
        findingId: '92c1a1d65b221e96d6a6fae27aaaae43',
        timestamp: '2026-11-26T10:00:00.000Z',
      });

      // Assess
      expect(key).toBe(
        'incidents/111122223333/eu-west-1/2026/11/26/finding-92c1a1d65b221e96d6a6fae27aaaae43-1795687200.json',
      );
    },
  );
});

describe('incidentDeliveryReportKey', () => {
  it('puts a later delivery beside the first report, and replaces the attempt of a delivery key', () => {
    const first = 'incidents/111122223333/us-east-1/2026/12/02/i-0123456789abcdef0-1796227243.json';
    expect(incidentDeliveryReportKey(first, 2)).toBe(
      'incidents/111122223333/us-east-1/2026/12/02/i-0123456789abcdef0-1796227243.delivery-2.json',
    );
    expect(incidentDeliveryReportKey(incidentDeliveryReportKey(first, 2), 3)).toBe(
      'incidents/111122223333/us-east-1/2026/12/02/i-0123456789abcdef0-1796227243.delivery-3.json',
    );
  });
});
