// The tags the responder puts on member-account resources. The member role's tag conditions
// (stacksets/member-role) must name the same keys and values; apps/central's agreesWithEngine test checks it.

/** The tag that marks isolation groups this tool created or adopted. */
export const ISOLATION_GROUP_TAG = { Key: 'cryptominer-defense:purpose', Value: 'isolation' } as const;

/** The tag that marks the all-open groups this tool created (not a group anyone should attach anything to). */
export const CONNECTION_CUT_GROUP_TAG = { Key: 'cryptominer-defense:purpose', Value: 'connection-cut' } as const;

/** The tags that tie an instance, its volumes and the snapshots to the finding. */
export const INCIDENT_TAG_KEY = 'cryptominer-defense:incident';
export const INCIDENT_TIME_TAG_KEY = 'cryptominer-defense:incident-time';
