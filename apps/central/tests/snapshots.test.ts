import { describe, expect, it } from 'vitest';
import { synthesizeCentralApp, withoutAssetHashes } from './helpers/synthesizeCentralApp';

describe('template snapshots (asset hashes neutralised)', () => {
  const synthesized = synthesizeCentralApp();

  it('central stack', () => {
    expect(withoutAssetHashes(synthesized.central.toJSON())).toMatchSnapshot();
  });

  it('forwarder stack', () => {
    expect(withoutAssetHashes(synthesized.forwarders[0]?.toJSON())).toMatchSnapshot();
  });

  it('plain member-role stack', () => {
    expect(withoutAssetHashes(synthesized.memberRole.toJSON())).toMatchSnapshot();
  });
});
