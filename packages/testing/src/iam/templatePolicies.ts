import { type CloudFormationTemplate, type DeploymentValues, TemplateResolver } from './resolveTemplate';

/** An IAM policy document, as the evaluator takes it. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Record<string, unknown>[] | Record<string, unknown>;
}

/** A policy with the name a failure message uses for it (`<stack>/<logical id>` or `<role>/<policy name>`). */
export interface NamedPolicy {
  readonly name: string;
  readonly policy: PolicyDocument;
}

/** A role of a template: its ARN, its trust policy and the identity policies that apply to its sessions. */
export interface TemplateRole {
  readonly arn: string;
  readonly accountId: string;
  readonly trustPolicy: NamedPolicy;
  readonly identityPolicies: readonly NamedPolicy[];
}

/** A resource-based policy (bucket, key, queue, topic, event bus) and the resources it governs. */
export interface TemplateResourcePolicy extends NamedPolicy {
  /** ARNs of the resources; an S3 bucket's policy also governs `<bucket ARN>/<key>`. */
  readonly resourceArns: readonly string[];
  /** ARN prefixes it governs besides (a policy AWS applies to a whole service's resources of an account). */
  readonly resourceArnPrefixes?: readonly string[];
  readonly accountId: string;
}

/** Every policy that applies in AWS once a template is deployed where `DeploymentValues` say. */
export interface TemplatePolicies {
  readonly roles: readonly TemplateRole[];
  readonly resourcePolicies: readonly TemplateResourcePolicy[];
}

interface Resource {
  readonly Type: string;
  readonly Properties?: unknown;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function document(value: unknown): PolicyDocument {
  const statement = record(value).Statement;
  return { Version: '2012-10-17', Statement: list(statement).map(record) };
}

/**
 * Loads the policies of a synthesized template with every intrinsic resolved to the test values given: the
 * roles (trust policy, inline `Policies`, `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` attached to them) and
 * the resource policies of S3 buckets, KMS keys, SQS queues, SNS topics and EventBridge buses. What the template
 * grants through a resource type not listed here is not seen: add the type when a stack starts using it.
 */
export function templatePolicies(
  stackName: string,
  template: CloudFormationTemplate,
  where: DeploymentValues,
): TemplatePolicies {
  const resolver = new TemplateResolver(template, where);
  const resources = Object.entries(template.Resources) as [string, Resource][];
  const propertiesOf = (resource: Resource) => record(resolver.resolve(resource.Properties ?? {}));
  const arnOf = (logicalId: string, attribute = 'Arn') =>
    String(resolver.resolve({ 'Fn::GetAtt': [logicalId, attribute] }));

  const roleNames = new Map<string, string>();
  const roles = new Map<string, { arn: string; trust: NamedPolicy; policies: NamedPolicy[] }>();
  for (const [logicalId, resource] of resources) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    const properties = propertiesOf(resource);
    const arn = arnOf(logicalId);
    roleNames.set(String(resolver.ref(logicalId)), logicalId);
    roles.set(logicalId, {
      arn,
      trust: { name: `${stackName}/${logicalId}/trust`, policy: document(properties.AssumeRolePolicyDocument) },
      policies: list(properties.Policies).map((policy) => ({
        name: `${stackName}/${logicalId}/${String(record(policy).PolicyName)}`,
        policy: document(record(policy).PolicyDocument),
      })),
    });
  }
  for (const [logicalId, resource] of resources) {
    if (resource.Type !== 'AWS::IAM::Policy' && resource.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const properties = propertiesOf(resource);
    for (const roleName of list(properties.Roles).map(String)) {
      const role = roles.get(roleNames.get(roleName) ?? '');
      role?.policies.push({ name: `${stackName}/${logicalId}`, policy: document(properties.PolicyDocument) });
    }
  }

  const resourcePolicies: TemplateResourcePolicy[] = [];
  const add = (logicalId: string, resourceArns: string[], policy: unknown) =>
    resourcePolicies.push({
      name: `${stackName}/${logicalId}`,
      resourceArns,
      accountId: where.accountId,
      policy: document(policy),
    });
  const queueArnsByUrl = new Map<string, string>();
  for (const [logicalId, resource] of resources) {
    if (resource.Type === 'AWS::SQS::Queue') queueArnsByUrl.set(String(resolver.ref(logicalId)), arnOf(logicalId));
  }
  const busStatements = new Map<string, Record<string, unknown>[]>();
  for (const [logicalId, resource] of resources) {
    switch (resource.Type) {
      case 'AWS::S3::BucketPolicy': {
        const properties = propertiesOf(resource);
        add(logicalId, [`arn:${where.partition}:s3:::${String(properties.Bucket)}`], properties.PolicyDocument);
        break;
      }
      case 'AWS::KMS::Key':
        add(logicalId, [arnOf(logicalId)], propertiesOf(resource).KeyPolicy);
        break;
      case 'AWS::SQS::QueuePolicy': {
        const properties = propertiesOf(resource);
        const arns = list(properties.Queues).map((url) => queueArnsByUrl.get(String(url)) ?? String(url));
        add(logicalId, arns, properties.PolicyDocument);
        break;
      }
      case 'AWS::SNS::TopicPolicy': {
        const properties = propertiesOf(resource);
        add(logicalId, list(properties.Topics).map(String), properties.PolicyDocument);
        break;
      }
      case 'AWS::Events::EventBusPolicy': {
        // EventBridge keeps one policy per bus; each AWS::Events::EventBusPolicy adds one statement to it.
        const properties = propertiesOf(resource);
        const busName = String(properties.EventBusName ?? 'default');
        const statements = busStatements.get(busName) ?? [];
        statements.push(...list(properties.Statement).map(record));
        busStatements.set(busName, statements);
        break;
      }
    }
  }
  for (const [busName, statements] of busStatements) {
    const arn = `arn:${where.partition}:events:${where.region}:${where.accountId}:event-bus/${busName}`;
    add(`event-bus/${busName}`, [arn], { Statement: statements });
  }

  return {
    roles: [...roles.values()].map((role) => ({
      arn: role.arn,
      accountId: where.accountId,
      trustPolicy: role.trust,
      identityPolicies: role.policies,
    })),
    resourcePolicies,
  };
}
