import type { Template } from '@cryptominer-defense/central';
import {
  type CloudFormationTemplate,
  createPolicyEvaluator,
  type PolicyEvaluator,
  type TemplatePolicies,
  templatePolicies,
} from '@cryptominer-defense/testing/iam';

/** The organization the central app's templates are deployed in, in test values. */
export interface DeployedOrganization {
  readonly organizationId: string;
  readonly managementAccountId: string;
  readonly centralAccountId: string;
  readonly memberAccountIds: readonly string[];
  readonly homeRegion: string;
  readonly reportBucket: string;
  /** The alert topic's ARN as the function is configured with it, when the test made its own topic. */
  readonly alertTopicArn?: string;
  /** The chat notification topic's ARN, likewise. */
  readonly chatAlertTopicArn?: string;
}

/** The policies of the central app, deployed as docs/deploy.md says, and the ARNs a test names. */
export interface DeployedPolicies {
  readonly evaluator: PolicyEvaluator;
  readonly centralFunctionRoleArn: string;
  memberRoleArn(accountId: string): string;
  readonly reportBucketArn: string;
  readonly incidentKeyArn: string;
  readonly findingQueueArn: string;
  readonly forwardingBusArn: string;
  readonly alertTopicArn: string;
  readonly chatAlertTopicArn: string;
  /** Every loaded set, for tests that look at the policies themselves. */
  readonly policies: readonly TemplatePolicies[];
}

const CENTRAL = 'CryptominerCentral';
const MEMBER_ROLE = 'CryptominerMemberRole';

function logicalIdOf(template: CloudFormationTemplate, type: string): string {
  const ids = Object.entries(template.Resources).flatMap(([id, resource]) => (resource.Type === type ? [id] : []));
  const [only] = ids;
  if (only === undefined || ids.length > 1)
    throw new Error(`Expected one ${type} in the template, found ${ids.length}`);
  return only;
}

/** The topic of an AlertTopic construct (`Alerts`, `ChatAlerts`): its logical id starts with `<construct>Topic`. */
function topicLogicalId(template: CloudFormationTemplate, construct: string): string {
  const [id] = Object.keys(template.Resources).filter(
    (candidate) =>
      template.Resources[candidate]?.Type === 'AWS::SNS::Topic' && candidate.startsWith(`${construct}Topic`),
  );
  if (id === undefined) throw new Error(`The central template has no ${construct} topic`);
  return id;
}

function queueLogicalId(template: CloudFormationTemplate): string {
  const [id] = Object.keys(template.Resources).filter(
    (candidate) => template.Resources[candidate]?.Type === 'AWS::SQS::Queue' && !/DeadLetter/.test(candidate),
  );
  if (id === undefined) throw new Error('The central template has no findings queue');
  return id;
}

/**
 * Loads the central stack (home region), every forwarder stack (its region) and the member-role template once per
 * member account (and the management account, where it is deployed by hand), with the parameters of a deployment,
 * into one evaluator.
 */
export function deployedPolicies(
  templates: Record<string, Template>,
  organization: DeployedOrganization,
): DeployedPolicies {
  const partition = 'aws';
  const central = templates[CENTRAL] as unknown as CloudFormationTemplate | undefined;
  const memberRole = templates[MEMBER_ROLE] as unknown as CloudFormationTemplate | undefined;
  if (central === undefined || memberRole === undefined) throw new Error('The app has no central or member-role stack');
  const alertTopic = { id: topicLogicalId(central, 'Alerts'), arn: organization.alertTopicArn };
  const chatAlertTopic = { id: topicLogicalId(central, 'ChatAlerts'), arn: organization.chatAlertTopicArn };
  // A topic the test made stands in for the stack's: its ARN is what the Ref and the TopicArn resolve to.
  const testTopics = [alertTopic, chatAlertTopic].flatMap(({ id, arn }) =>
    arn === undefined ? [] : [[id, { ref: arn, attributes: { TopicArn: arn } }] as const],
  );
  const centralWhere = {
    partition,
    region: organization.homeRegion,
    accountId: organization.centralAccountId,
    parameters: {
      OrganizationId: organization.organizationId,
      TargetOrganizationalUnitIds: 'ou-ab12-11111111',
      IncidentLogBucketName: organization.reportBucket,
    },
    resources: Object.fromEntries(testTopics),
  };
  const policies: TemplatePolicies[] = [templatePolicies(CENTRAL, central, centralWhere)];
  for (const [stackName, template] of Object.entries(templates)) {
    const region = /^CryptominerForwarder-(.+)$/.exec(stackName)?.[1];
    if (region === undefined) continue;
    policies.push(
      templatePolicies(stackName, template as unknown as CloudFormationTemplate, {
        partition,
        region,
        accountId: organization.centralAccountId,
      }),
    );
  }
  const memberAccounts = [...new Set([...organization.memberAccountIds, organization.managementAccountId])];
  for (const accountId of memberAccounts) {
    policies.push(
      templatePolicies(`${MEMBER_ROLE}@${accountId}`, memberRole, {
        partition,
        region: organization.homeRegion,
        accountId,
        parameters: { CentralAccountId: organization.centralAccountId, OrganizationId: organization.organizationId },
      }),
    );
  }
  // Organizations' resources live in the management account. AWS lets the delegated administrator of a service
  // (GuardDuty's, here) read the organization (Describe*, List*) without a delegation policy of ours: modelled as
  // the resource policy AWS applies, so that the request is still evaluated against the function's own policy.
  policies.push({
    roles: [],
    resourcePolicies: [
      {
        name: 'AWS/delegated-administrator-reads-the-organization',
        accountId: organization.managementAccountId,
        resourceArns: [],
        resourceArnPrefixes: [`arn:${partition}:organizations::${organization.managementAccountId}:`],
        policy: {
          Statement: [
            {
              Sid: 'DelegatedAdministratorReadOnly',
              Effect: 'Allow',
              Principal: { AWS: `arn:${partition}:iam::${organization.centralAccountId}:root` },
              Action: ['organizations:Describe*', 'organizations:List*'],
              Resource: '*',
            },
          ],
        },
      },
    ],
  });
  const evaluator = createPolicyEvaluator({
    policies,
    organization: {
      organizationId: organization.organizationId,
      accountIds: [organization.centralAccountId, ...memberAccounts],
    },
  });
  const [centralPolicies] = policies;
  const resourcePolicy = (name: string) => {
    const found = centralPolicies?.resourcePolicies.find((policy) => policy.name === `${CENTRAL}/${name}`);
    const [arn] = found?.resourceArns ?? [];
    if (arn === undefined) throw new Error(`No resource policy ${name} in the central template`);
    return arn;
  };
  const queueId = queueLogicalId(central);
  const topicArn = (topic: { id: string; arn?: string }) =>
    topic.arn ??
    `arn:${partition}:sns:${organization.homeRegion}:${organization.centralAccountId}:${topic.id.toLowerCase()}`;
  return {
    evaluator,
    policies,
    centralFunctionRoleArn: `arn:${partition}:iam::${organization.centralAccountId}:role/CryptominerCentralResponder`,
    memberRoleArn: (accountId) => `arn:${partition}:iam::${accountId}:role/CryptominerResponderRole`,
    reportBucketArn: `arn:${partition}:s3:::${organization.reportBucket}`,
    incidentKeyArn: resourcePolicy(logicalIdOf(central, 'AWS::KMS::Key')),
    findingQueueArn: `arn:${partition}:sqs:${organization.homeRegion}:${organization.centralAccountId}:${queueId.toLowerCase()}`,
    forwardingBusArn: `arn:${partition}:events:${organization.homeRegion}:${organization.centralAccountId}:event-bus/cryptominer-findings`,
    alertTopicArn: topicArn(alertTopic),
    chatAlertTopicArn: topicArn(chatAlertTopic),
  };
}
