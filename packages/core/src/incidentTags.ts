/**
 * The tags the responder writes, and the only ones its role may write (the member role's CreateTags condition is
 * built from these). Shared by the engine (which sets them), release (which finds its own doing by them) and the
 * member role (which allows exactly them).
 */
export const PURPOSE_TAG_KEY = 'cryptominer-defense:purpose';

/** The value of the purpose tag on the no-rule isolation group, and on the all-open group an ENI passes through. */
export const GROUP_PURPOSES = { isolation: 'isolation', connectionCut: 'connection-cut' } as const;

/** The tag that marks isolation groups this tool created or adopted. */
export const ISOLATION_GROUP_TAG = { Key: PURPOSE_TAG_KEY, Value: GROUP_PURPOSES.isolation } as const;

/** The tag that marks the all-open groups this tool created (not a group anyone should attach anything to). */
export const CONNECTION_CUT_GROUP_TAG = { Key: PURPOSE_TAG_KEY, Value: GROUP_PURPOSES.connectionCut } as const;

export const INCIDENT_TAG_KEY = 'cryptominer-defense:incident';
export const INCIDENT_TIME_TAG_KEY = 'cryptominer-defense:incident-time';
export const INSTANCE_ID_TAG_KEY = 'cryptominer-defense:instance-id';
export const DEVICE_NAME_TAG_KEY = 'cryptominer-defense:device-name';

/** The tags that tie an instance, its volumes and snapshots to a finding: evidence, not configuration. */
export const INCIDENT_TAG_KEYS = [
  INCIDENT_TAG_KEY,
  INCIDENT_TIME_TAG_KEY,
  INSTANCE_ID_TAG_KEY,
  DEVICE_NAME_TAG_KEY,
] as const;
