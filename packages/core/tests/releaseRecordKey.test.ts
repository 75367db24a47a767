import { describe, expect, it } from 'vitest';
import { RELEASE_RECORD_PREFIX, releaseRecordKey, releaseRecordsPrefixOf } from '../src/index';

const REPORT_KEY = 'incidents/111122223333/us-east-1/2026/12/02/i-0123456789abcdef0-1764680000.json';

describe('releaseRecordKey', () => {
  it('files a release under releases/, by the report key without incidents/ and .json', () => {
    // Act
    const key = releaseRecordKey(REPORT_KEY, new Date(1_764_680_123_456));

    // Assess
    expect(RELEASE_RECORD_PREFIX).toBe('releases/');
    expect(key).toMatch(
      /^releases\/111122223333\/us-east-1\/2026\/12\/02\/i-0123456789abcdef0-1764680000\/1764680123456-[0-9a-f]{4}\.json$/,
    );
    expect(key.startsWith(releaseRecordsPrefixOf(REPORT_KEY))).toBe(true);
  });

  it('gives two releases in the same millisecond two keys (almost always: 4 random hex digits)', () => {
    // Act
    const keys = new Set(Array.from({ length: 20 }, () => releaseRecordKey(REPORT_KEY, new Date(0))));

    // Assess
    expect(keys.size).toBeGreaterThan(15);
  });
});
