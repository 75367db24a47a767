/** Who a trust policy lets in, in a few words: a person approving the plan must see what they restore. */
export function describeTrustPolicy(policy: string): string {
  try {
    const statements = (JSON.parse(policy) as { Statement?: unknown }).Statement;
    const list = Array.isArray(statements) ? statements : [statements];
    const principals = list.flatMap((statement) => {
      if (typeof statement !== 'object' || statement === null) return [];
      const { Effect, Principal } = statement as { Effect?: unknown; Principal?: unknown };
      if (Effect !== 'Allow') return [];
      if (typeof Principal === 'string') return [Principal];
      if (typeof Principal !== 'object' || Principal === null) return [];
      return Object.values(Principal)
        .flatMap((value) => (Array.isArray(value) ? value : [value]))
        .map(String);
    });
    return principals.length === 0 ? 'allows no principal' : `allows ${principals.join(', ')}`;
  } catch {
    return 'not JSON: check it in the report';
  }
}
