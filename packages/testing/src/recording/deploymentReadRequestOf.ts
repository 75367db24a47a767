/** Where a request is made, and the organization whose resources Organizations names in its ARNs. */
export interface ReadRequestWhere {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly organizationId: string;
  readonly managementAccountId: string;
}

/** The queue a call names, as its ARN: from `QueueUrl` (`…/<account>/<name>`) or `QueueName` (and its owner). */
function queueArnOf(input: Readonly<Record<string, unknown>>, where: ReadRequestWhere): string {
  if (typeof input.QueueUrl === 'string') {
    const [name = '', owner = where.account] = input.QueueUrl.split('/').reverse();
    return `arn:${where.partition}:sqs:${where.region}:${owner}:${name}`;
  }
  const owner = typeof input.QueueOwnerAWSAccountId === 'string' ? input.QueueOwnerAWSAccountId : where.account;
  return `arn:${where.partition}:sqs:${where.region}:${owner}:${String(input.QueueName)}`;
}

/**
 * The requests IAM authorizes for the read-only calls `cli doctor` makes to check a deployment: the resource each
 * names (a stack, a queue, a function, a rule of a bus, an organizational unit or root), or `*` where the action has
 * no resource-level permissions (`cloudwatch:DescribeAlarmsForMetric`, `events:ListRuleNamesByTarget`: iam-simulate
 * refuses any other resource for them). A stack's id is not in the input: a
 * placeholder stands for it. Undefined for any other action.
 */
export function deploymentReadRequestsOf(
  action: string,
  input: Readonly<Record<string, unknown>>,
  where: ReadRequestWhere,
): { readonly resource: string; readonly context: Record<string, string> }[] | undefined {
  const resource = deploymentReadResourceOf(action, input, where);
  return resource === undefined ? undefined : [{ resource, context: {} }];
}

/** The resource ARN of one of those calls. */
function deploymentReadResourceOf(
  action: string,
  input: Readonly<Record<string, unknown>>,
  where: ReadRequestWhere,
): string | undefined {
  const { partition, region, account } = where;
  const ruleArn = (name: unknown) => {
    const bus =
      typeof input.EventBusName === 'string' && input.EventBusName !== 'default' ? `${input.EventBusName}/` : '';
    return `arn:${partition}:events:${region}:${account}:rule/${bus}${String(name)}`;
  };
  switch (action) {
    case 'cloudformation:DescribeStacks':
      return `arn:${partition}:cloudformation:${region}:${account}:stack/${String(input.StackName)}/00000000-0000-0000-0000-000000000000`;
    case 'cloudwatch:DescribeAlarmsForMetric':
    case 'events:ListRuleNamesByTarget':
      return '*';
    case 'events:DescribeRule':
      return ruleArn(input.Name);
    case 'events:ListTargetsByRule':
      return ruleArn(input.Rule);
    case 'lambda:GetFunctionConfiguration': {
      const name = String(input.FunctionName);
      return name.startsWith('arn:') ? name : `arn:${partition}:lambda:${region}:${account}:function:${name}`;
    }
    case 'organizations:ListAccountsForParent':
    case 'organizations:ListOrganizationalUnitsForParent': {
      const parent = String(input.ParentId);
      const type = parent.startsWith('r-') ? 'root' : 'ou';
      return `arn:${partition}:organizations::${where.managementAccountId}:${type}/${where.organizationId}/${parent}`;
    }
    case 'sqs:GetQueueAttributes':
    case 'sqs:GetQueueUrl':
      return queueArnOf(input, where);
    default:
      return undefined;
  }
}
