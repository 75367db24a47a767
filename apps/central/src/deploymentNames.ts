// The names by which a deployment is found: stack names, the central stack's parameters and outputs, the fixed
// resource names. No CDK import, so that the CLI (`cli doctor`) reads a deployment by the names the stacks use.

/** Stack names, as `cdk deploy <name>` takes them. */
export const STACK_NAMES = {
  central: 'CryptominerCentral',
  memberRole: 'CryptominerMemberRole',
  forwarder: (region: string) => `CryptominerForwarder-${region}`,
} as const;

/** The central stack's CloudFormation parameters that say where things are (their logical ids). */
export const CENTRAL_PARAMETER_NAMES = {
  targetOrganizationalUnitIds: 'TargetOrganizationalUnitIds',
  projectionRegions: 'ProjectionRegions',
  responderRoleName: 'ResponderRoleName',
} as const;

/** The central stack's outputs (their keys). */
export const CENTRAL_OUTPUT_NAMES = {
  incidentBucketName: 'IncidentBucketName',
  findingsQueueUrl: 'FindingsQueueUrl',
  responderFunctionName: 'ResponderFunctionName',
  alertTopicArn: 'AlertTopicArn',
  chatAlertTopicArn: 'ChatAlertTopicArn',
  forwardingBusArn: 'ForwardingBusArn',
} as const;

/** The name of the home-region bus the other regions forward findings to. */
export const FINDING_FORWARDING_BUS_NAME = 'cryptominer-findings';

/** The forwarding rule's name: fixed, so that the role's trust can name the rule without a reference (a cycle). */
export const FORWARDING_RULE_NAME = 'CryptominerForwardFindings';

export const MEMBER_ROLE_STACK_SET_NAME = 'CryptominerResponderRole';
