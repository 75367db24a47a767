import { AppSettingsError } from './errors';

/** Where the central app deploys: read from CDK context (cdk.json, or `-c key=value` on the command line). */
export interface AppSettings {
  /** The region of the central stack: the responder, the bucket and the StackSet run there (`homeRegion`). */
  readonly homeRegion: string;
  /** Every other region the organization uses: each gets a stack forwarding findings home (`forwardedRegions`). */
  readonly forwardedRegions: readonly string[];
  /** The delegated-admin account, when known at synth time (`account`, else CDK_DEFAULT_ACCOUNT). */
  readonly account: string | undefined;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

type ContextReader = (key: string) => unknown;

function regionList(value: unknown): string[] {
  if (value === undefined || value === '') return [];
  if (Array.isArray(value)) return value.map(String);
  return String(value)
    .split(',')
    .map((region) => region.trim())
    .filter((region) => region !== '');
}

/**
 * Reads and checks the app settings. Throws AppSettingsError naming the context key and how to set it.
 * `defaults` stands for the environment the CDK CLI provides (CDK_DEFAULT_REGION, CDK_DEFAULT_ACCOUNT).
 */
export function readAppSettings(
  context: ContextReader,
  defaults: { region?: string | undefined; account?: string | undefined } = {},
): AppSettings {
  const homeRegion = String(context('homeRegion') ?? defaults.region ?? '');
  if (!REGION.test(homeRegion)) {
    throw new AppSettingsError(
      'homeRegion',
      `is "${homeRegion}": set it to the GuardDuty delegated-admin home region, e.g. -c homeRegion=us-east-1`,
    );
  }
  const forwardedRegions = regionList(context('forwardedRegions'));
  for (const region of forwardedRegions) {
    if (!REGION.test(region)) {
      throw new AppSettingsError(
        'forwardedRegions',
        `has "${region}", not a region: pass a comma-separated list, e.g. -c forwardedRegions=eu-west-1,ap-southeast-2`,
      );
    }
  }
  if (forwardedRegions.includes(homeRegion)) {
    throw new AppSettingsError(
      'forwardedRegions',
      `includes the home region ${homeRegion}: list only the other regions`,
    );
  }
  if (new Set(forwardedRegions).size !== forwardedRegions.length) {
    throw new AppSettingsError('forwardedRegions', 'lists a region twice');
  }
  const account = context('account') ?? defaults.account;
  if (account !== undefined && !/^\d{12}$/.test(String(account))) {
    throw new AppSettingsError('account', `is "${String(account)}": pass the 12-digit delegated-admin account id`);
  }
  return { homeRegion, forwardedRegions, account: account === undefined ? undefined : String(account) };
}
