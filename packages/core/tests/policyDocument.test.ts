import { describe, expect, it } from 'vitest';
import { DENY_ALL_TRUST_POLICY, decodePolicyDocument, samePolicy } from '../src/index';

describe('decodePolicyDocument', () => {
  it('decodes the URL-encoded document IAM returns, and keeps an absent one absent', () => {
    // Assess
    expect(decodePolicyDocument(encodeURIComponent(DENY_ALL_TRUST_POLICY))).toBe(DENY_ALL_TRUST_POLICY);
    expect(decodePolicyDocument(undefined)).toBeNull();
  });
});

describe('samePolicy', () => {
  it('compares policy documents as JSON, whatever the spacing', () => {
    // Prepare
    const spaced = JSON.stringify(JSON.parse(DENY_ALL_TRUST_POLICY), null, 2);

    // Assess
    expect(samePolicy(spaced, DENY_ALL_TRUST_POLICY)).toBe(true);
    expect(samePolicy('{"Version":"2012-10-17","Statement":[]}', DENY_ALL_TRUST_POLICY)).toBe(false);
  });

  it('compares text that is not JSON exactly', () => {
    // Assess
    expect(samePolicy('{broken', '{broken')).toBe(true);
    expect(samePolicy('{broken', DENY_ALL_TRUST_POLICY)).toBe(false);
  });
});
