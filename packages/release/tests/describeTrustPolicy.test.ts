import { describe, expect, it } from 'vitest';
import { describeTrustPolicy } from '../src/planning/describeTrustPolicy';

describe('describeTrustPolicy (what the plan says a restored trust policy lets in)', () => {
  it('names every principal its Allow statements trust, of every kind', () => {
    // Prepare
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        {
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::444455556666:role/Deploy'] },
          Action: 'sts:AssumeRole',
        },
      ],
    });

    // Act
    const described = describeTrustPolicy(policy);

    // Assess
    expect(described).toBe(
      'allows ec2.amazonaws.com, arn:aws:iam::111122223333:root, arn:aws:iam::444455556666:role/Deploy',
    );
  });

  it('leaves out Deny statements, and says when nothing is allowed', () => {
    // Act
    const described = describeTrustPolicy(
      JSON.stringify({ Statement: { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' } }),
    );

    // Assess
    expect(described).toBe('allows no principal');
  });

  it('sends the person to the report when the policy is not JSON', () => {
    // Assess
    expect(describeTrustPolicy('{not json')).toBe('not JSON: check it in the report');
  });
});
