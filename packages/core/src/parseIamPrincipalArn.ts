/** An IAM user or role, read from its ARN. */
export interface IamPrincipal {
  readonly partition: string;
  readonly accountId: string;
  readonly kind: 'user' | 'role';
  /** `/` or `/path/to/`. */
  readonly path: string;
  readonly name: string;
}

/** `arn:aws:iam::111122223333:role/path/Name` → its parts; null for anything that is not a user or role ARN. */
export function parseIamPrincipalArn(arn: string): IamPrincipal | null {
  const match = /^arn:([^:]+):iam::(\d{12}):(role|user)(\/(?:.*\/)?)([^/]+)$/.exec(arn);
  if (match === null) return null;
  const [, partition, accountId, kind, path, name] = match;
  if (partition === undefined || accountId === undefined || path === undefined || name === undefined) return null;
  return { partition, accountId, kind: kind === 'role' ? 'role' : 'user', path, name };
}
