import { describe, expect, it } from 'vitest';
import { AppSettingsError, readAppSettings } from '../src/index';

const context =
  (values: Record<string, unknown>) =>
  (key: string): unknown =>
    values[key];

describe('readAppSettings', () => {
  it('reads the home region and the forwarded regions, as a list or comma-separated', () => {
    // Act
    const fromList = readAppSettings(context({ homeRegion: 'us-east-1', forwardedRegions: ['eu-west-1'] }));
    const fromText = readAppSettings(context({ homeRegion: 'us-east-1', forwardedRegions: 'eu-west-1, ap-south-1' }));

    // Assess
    expect(fromList).toEqual({ homeRegion: 'us-east-1', forwardedRegions: ['eu-west-1'], account: undefined });
    expect(fromText.forwardedRegions).toEqual(['eu-west-1', 'ap-south-1']);
  });

  it('falls back to the region and account the CDK CLI provides', () => {
    // Act
    const settings = readAppSettings(context({}), { region: 'eu-central-1', account: '123456789012' });

    // Assess
    expect(settings).toEqual({ homeRegion: 'eu-central-1', forwardedRegions: [], account: '123456789012' });
  });

  it.each([
    [{}, /homeRegion.*-c homeRegion=us-east-1/],
    [{ homeRegion: 'useast1' }, /homeRegion" is "useast1"/],
    [{ homeRegion: 'us-east-1', forwardedRegions: 'eu-west-1,mars' }, /forwardedRegions" has "mars"/],
    [{ homeRegion: 'us-east-1', forwardedRegions: ['us-east-1'] }, /includes the home region us-east-1/],
    [{ homeRegion: 'us-east-1', forwardedRegions: ['eu-west-1', 'eu-west-1'] }, /lists a region twice/],
    [{ homeRegion: 'us-east-1', account: '12345' }, /account" is "12345"/],
  ])('refuses %j, naming the context key and the fix', (values, message) => {
    // Act
    const read = () => readAppSettings(context(values));

    // Assess
    expect(read).toThrow(AppSettingsError);
    expect(read).toThrow(message);
  });
});
