import { TemplateResolutionError } from './iamErrors';

/** A synthesized CloudFormation template, as far as policy loading reads it. */
export interface CloudFormationTemplate {
  readonly Parameters?: Readonly<Record<string, { readonly Default?: unknown }>>;
  readonly Conditions?: Readonly<Record<string, unknown>>;
  readonly Resources: Readonly<Record<string, { readonly Type: string; readonly Properties?: unknown }>>;
}

/** Where a template is deployed, in concrete test values. */
export interface DeploymentValues {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** Values of the template's parameters; a parameter not given takes its `Default`. */
  readonly parameters?: Readonly<Record<string, string>>;
  /**
   * What `Ref` and `Fn::GetAtt` give for a resource, by logical id, where the default (derived from the
   * resource type, its name property or its logical id: `resourceValuesOf`) is not what the test needs.
   */
  readonly resources?: Readonly<
    Record<string, { readonly ref?: string; readonly attributes?: Record<string, string> }>
  >;
}

interface ResourceValue {
  readonly ref: string;
  readonly attributes: Readonly<Record<string, string>>;
}

type Json = unknown;

/** What `Ref: AWS::NoValue` resolves to: the property or list item is dropped. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The name CloudFormation would give a resource that names none: lower-cased logical id is close enough. */
function physicalName(logicalId: string, explicit: Json): string {
  return typeof explicit === 'string' ? explicit : logicalId.toLowerCase();
}

/**
 * `Ref` and the attributes policies use, for the resource types the stacks hold (CloudFormation's return values
 * of each type). Names given in the template win; otherwise the logical id stands for the generated name.
 */
function defaultResourceValue(
  logicalId: string,
  type: string,
  properties: Record<string, Json>,
  where: DeploymentValues,
): ResourceValue {
  const { partition, region, accountId } = where;
  switch (type) {
    case 'AWS::S3::Bucket': {
      const name = physicalName(logicalId, properties.BucketName);
      return { ref: name, attributes: { Arn: `arn:${partition}:s3:::${name}` } };
    }
    case 'AWS::SQS::Queue': {
      const name = physicalName(logicalId, properties.QueueName);
      return {
        ref: `https://sqs.${region}.amazonaws.com/${accountId}/${name}`,
        attributes: { Arn: `arn:${partition}:sqs:${region}:${accountId}:${name}`, QueueName: name },
      };
    }
    case 'AWS::SNS::Topic': {
      const name = physicalName(logicalId, properties.TopicName);
      const arn = `arn:${partition}:sns:${region}:${accountId}:${name}`;
      return { ref: arn, attributes: { TopicArn: arn, TopicName: name } };
    }
    case 'AWS::KMS::Key': {
      const keyId = `${logicalId.toLowerCase()}-0000-0000-0000-000000000000`.slice(0, 36);
      return {
        ref: keyId,
        attributes: { Arn: `arn:${partition}:kms:${region}:${accountId}:key/${keyId}`, KeyId: keyId },
      };
    }
    case 'AWS::IAM::Role': {
      const name = physicalName(logicalId, properties.RoleName);
      return { ref: name, attributes: { Arn: `arn:${partition}:iam::${accountId}:role/${name}` } };
    }
    case 'AWS::Events::EventBus': {
      const name = physicalName(logicalId, properties.Name);
      const arn = `arn:${partition}:events:${region}:${accountId}:event-bus/${name}`;
      return { ref: name, attributes: { Arn: arn, Name: name } };
    }
    case 'AWS::Events::Rule': {
      const name = physicalName(logicalId, properties.Name);
      const bus = typeof properties.EventBusName === 'string' ? `${properties.EventBusName}/` : '';
      return { ref: name, attributes: { Arn: `arn:${partition}:events:${region}:${accountId}:rule/${bus}${name}` } };
    }
    case 'AWS::Lambda::Function': {
      const name = physicalName(logicalId, properties.FunctionName);
      return { ref: name, attributes: { Arn: `arn:${partition}:lambda:${region}:${accountId}:function:${name}` } };
    }
    case 'AWS::Logs::LogGroup': {
      const name = physicalName(logicalId, properties.LogGroupName);
      return { ref: name, attributes: { Arn: `arn:${partition}:logs:${region}:${accountId}:log-group:${name}:*` } };
    }
    case 'AWS::CloudWatch::Alarm': {
      const name = physicalName(logicalId, properties.AlarmName);
      return { ref: name, attributes: { Arn: `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${name}` } };
    }
    default:
      return { ref: logicalId, attributes: {} };
  }
}

/**
 * Resolves the intrinsic functions of a synthesized template to concrete values: `Ref` (parameters, pseudo
 * parameters, resources), `Fn::GetAtt`, `Fn::Join`, `Fn::Sub`, `Fn::If` (with the template's conditions),
 * `Fn::Select`, `Fn::Split`. An intrinsic it cannot resolve throws TemplateResolutionError naming it, rather
 * than leaving an object where a policy expects a string.
 */
export class TemplateResolver {
  private readonly resourceValues = new Map<string, ResourceValue>();

  constructor(
    private readonly template: CloudFormationTemplate,
    private readonly where: DeploymentValues,
  ) {}

  /** The value `Ref` gives for a parameter, a pseudo parameter or a resource. */
  ref(name: string): string | typeof NO_VALUE {
    const { partition, region, accountId } = this.where;
    switch (name) {
      case 'AWS::Partition':
        return partition;
      case 'AWS::Region':
        return region;
      case 'AWS::AccountId':
        return accountId;
      case 'AWS::URLSuffix':
        return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
      case 'AWS::StackName':
        return 'TestStack';
      case 'AWS::NoValue':
        return NO_VALUE;
    }
    const parameter = this.template.Parameters?.[name];
    if (parameter !== undefined) {
      const value = this.where.parameters?.[name] ?? parameter.Default;
      if (value === undefined) throw new TemplateResolutionError(`Parameter ${name} has no value and no default`);
      return String(value);
    }
    return this.resourceValue(name).ref;
  }

  /** Whether a condition of the template holds with these parameter values. */
  condition(name: string): boolean {
    const expression = this.template.Conditions?.[name];
    if (expression === undefined) throw new TemplateResolutionError(`Unknown condition ${name}`);
    return this.truth(expression);
  }

  /** The template value with every intrinsic function replaced by what it stands for. */
  resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item)).filter((item) => item !== NO_VALUE);
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    const [only] = keys;
    if (keys.length === 1 && only !== undefined && (only === 'Ref' || only.startsWith('Fn::'))) {
      return this.intrinsic(only, value[only]);
    }
    const resolved: Record<string, Json> = {};
    for (const [key, item] of Object.entries(value)) {
      const result = this.resolve(item);
      if (result !== NO_VALUE) resolved[key] = result;
    }
    return resolved;
  }

  private resourceValue(logicalId: string): ResourceValue {
    const known = this.resourceValues.get(logicalId);
    if (known !== undefined) return known;
    const resource = this.template.Resources[logicalId];
    if (resource === undefined) throw new TemplateResolutionError(`Ref to unknown resource or parameter ${logicalId}`);
    const properties = this.resolve(resource.Properties ?? {});
    const derived = defaultResourceValue(logicalId, resource.Type, isObject(properties) ? properties : {}, this.where);
    const override = this.where.resources?.[logicalId];
    const value: ResourceValue = {
      ref: override?.ref ?? derived.ref,
      attributes: { ...derived.attributes, ...override?.attributes },
    };
    this.resourceValues.set(logicalId, value);
    return value;
  }

  private text(value: Json, where: string): string {
    const resolved = this.resolve(value);
    if (typeof resolved === 'string') return resolved;
    if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
    throw new TemplateResolutionError(`${where} did not resolve to a string: ${JSON.stringify(resolved)}`);
  }

  private truth(expression: Json): boolean {
    if (!isObject(expression)) throw new TemplateResolutionError(`Not a condition: ${JSON.stringify(expression)}`);
    if ('Condition' in expression) return this.condition(String(expression.Condition));
    const [name, argument] = Object.entries(expression)[0] ?? [];
    const items = Array.isArray(argument) ? argument : [];
    switch (name) {
      case 'Fn::Equals':
        return this.text(items[0], 'Fn::Equals') === this.text(items[1], 'Fn::Equals');
      case 'Fn::Not':
        return !this.truth(items[0]);
      case 'Fn::And':
        return items.every((item) => this.truth(item));
      case 'Fn::Or':
        return items.some((item) => this.truth(item));
      default:
        throw new TemplateResolutionError(`Unsupported condition function ${String(name)}`);
    }
  }

  private intrinsic(name: string, argument: Json): Json {
    switch (name) {
      case 'Ref':
        return this.ref(String(argument));
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(argument) ? argument.map(String) : String(argument).split('.');
        if (logicalId === undefined || attribute === undefined)
          throw new TemplateResolutionError('Malformed Fn::GetAtt');
        const value = this.resourceValue(logicalId).attributes[attribute];
        if (value === undefined) {
          throw new TemplateResolutionError(`No test value for ${logicalId}.${attribute}: give it in DeploymentValues`);
        }
        return value;
      }
      case 'Fn::Join': {
        const [separator, items] = Array.isArray(argument) ? argument : [];
        const resolved = this.resolve(items);
        if (!Array.isArray(resolved)) throw new TemplateResolutionError('Fn::Join of something that is not a list');
        return resolved.map((item) => this.text(item, 'Fn::Join')).join(String(separator));
      }
      case 'Fn::Sub': {
        const [text, variables] =
          typeof argument === 'string' ? [argument, {}] : Array.isArray(argument) ? argument : [];
        const own = isObject(variables) ? variables : {};
        return String(text).replace(/\$\{([^}!][^}]*)\}/g, (_match, variable: string) => {
          if (variable in own) return this.text(own[variable], `Fn::Sub variable ${variable}`);
          const [logicalId, attribute] = variable.split('.');
          if (attribute !== undefined && logicalId !== undefined) {
            return this.text({ 'Fn::GetAtt': [logicalId, attribute] }, `Fn::Sub ${variable}`);
          }
          const value = this.ref(variable);
          if (value === NO_VALUE) throw new TemplateResolutionError(`Fn::Sub of AWS::NoValue`);
          return value;
        });
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = Array.isArray(argument) ? argument : [];
        return this.resolve(this.condition(String(condition)) ? whenTrue : whenFalse);
      }
      case 'Fn::Select': {
        const [index, items] = Array.isArray(argument) ? argument : [];
        const resolved = this.resolve(items);
        if (!Array.isArray(resolved)) throw new TemplateResolutionError('Fn::Select of something that is not a list');
        return resolved[Number(this.resolve(index))];
      }
      case 'Fn::Split': {
        const [separator, text] = Array.isArray(argument) ? argument : [];
        return this.text(text, 'Fn::Split').split(String(separator));
      }
      default:
        throw new TemplateResolutionError(`Unsupported intrinsic function ${name}`);
    }
  }
}
