import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** A resource pattern with a wildcard, and why the wildcard is as narrow as IAM allows. */
export interface WildcardResource {
  readonly resource: string;
  readonly reason: string;
}

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for each wildcard resource, with its reason.
 * cdk-nag names a finding after the resource as it renders it (`Ref`s as `<Name>`), so the id is computed from
 * the synthesized form: renaming a resource cannot leave a stale acknowledgement behind.
 */
export function acknowledgeWildcardResources(construct: IConstruct, resources: readonly WildcardResource[]): void {
  const stack = Stack.of(construct);
  const seen = new Set<string>();
  for (const { resource, reason } of resources) {
    const label = nagResourceLabel(stack.resolve(resource));
    if (!label.includes('*') || seen.has(label)) continue;
    seen.add(label);
    Validations.of(construct).acknowledge({ id: `AwsSolutions-IAM5[Resource::${label}]`, reason });
  }
}

function nagResourceLabel(resolved: unknown): string {
  if (typeof resolved === 'string') return resolved;
  if (isRecord(resolved)) {
    const ref = resolved.Ref;
    if (typeof ref === 'string') return `<${ref}>`;
    const getAtt = resolved['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${getAtt.join('.')}>`;
    const join = resolved['Fn::Join'];
    if (Array.isArray(join) && Array.isArray(join[1])) {
      const [separator, parts] = join as [string, unknown[]];
      return parts.map(nagResourceLabel).join(separator);
    }
  }
  return JSON.stringify(resolved);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
