import {
  DEFAULT_CONTAINMENT_CAP,
  DEFAULT_ISOLATION_SECURITY_GROUP_NAME,
  DEFAULT_LAUNCH_AGE_THRESHOLD_HOURS,
  DEFAULT_MAX_FOLLOWED_INSTANCES,
  DEFAULT_RESPONDER_ROLE_NAME,
  MAX_CONTAINMENT_CAP,
  type ResponsePolicy,
} from '@cryptominer-defense/core';
import { CfnCondition, CfnParameter, Fn, type Stack } from 'aws-cdk-lib';
import { CENTRAL_PARAMETER_NAMES } from './deploymentNames';

/** Reports are locked for a year unless the deployment says otherwise (issue 13: Object Lock on by default). */
export const DEFAULT_OBJECT_LOCK_RETENTION_DAYS = 365;
export const DEFAULT_EVIDENCE_BREAK_GLASS_ROLE_NAME = 'CryptominerEvidenceBreakGlass';
export const DEFAULT_RELEASE_OPERATOR_ROLE_NAME = 'CryptominerReleaseOperator';
/**
 * Observe first (issue 16): a new deployment changes nothing anywhere until the team has read its reports and
 * widened the policy by OU, account or tag with a parameter update (docs/deploy.md).
 */
export const OBSERVE_FIRST_RESPONSE_POLICY: ResponsePolicy = { default: 'observe', rules: [] };

/** The central stack's CloudFormation parameters: everything that differs per organization. */
export interface CentralParameters {
  readonly organizationId: string;
  readonly targetOrganizationalUnitIds: string[];
  readonly memberRoleRegion: string;
  /** Empty: CloudFormation names the bucket. */
  readonly incidentLogBucketName: string;
  readonly isolationSecurityGroupName: string;
  readonly responderRoleName: string;
  readonly protectedPrincipals: string;
  /** CI/CD identities never frozen (core's DEPLOYMENT_PRINCIPALS). */
  readonly deploymentPrincipals: string;
  /** Older launches are workloads exploited later (core's LAUNCH_AGE_THRESHOLD_HOURS), as text for the environment. */
  readonly launchAgeThresholdHours: string;
  /** The attributed person's other running instances contained at most (core's MAX_FOLLOWED_INSTANCES), as text. */
  readonly maxFollowedInstances: string;
  readonly alertEmail: string;
  readonly objectLockRetentionDays: number;
  /** The regions `incidents_by_account` projects, comma-separated (Athena's enum projection values). */
  readonly projectionRegions: string;
  /** The first day (yyyy/MM/dd, UTC) `incidents_by_account` projects; it projects every day from it to today. */
  readonly projectionStartDay: string;
  /** `GOVERNANCE` (the default: the break-glass role may lift a lock) or `COMPLIANCE` (no one may). */
  readonly objectLockMode: string;
  /** The role that alone may delete reports or change the bucket's versioning, lifecycle, policy or lock. */
  readonly evidenceBreakGlassRoleName: string;
  /** The role operators use for `cli release --yes`, `cli approve`, `cli reject`: the only writer of releases/ and approvals/. */
  readonly releaseOperatorRoleName: string;
  /** The function's RESPONSE_POLICY (JSON), checked by the function when it starts; default observe everywhere. */
  readonly responsePolicy: string;
  /** The blast-radius cap (docs/decisions/0019): instances contained at most per hour, per account and in all. */
  readonly containmentCapPerAccountPerHour: string;
  readonly containmentCapPerOrganizationPerHour: string;
  /** The function's SECURITY_HUB_UPDATES (`on` by default, `off`): tell Security Hub of each incident. */
  readonly securityHubUpdates: string;
  readonly hasIncidentLogBucketName: CfnCondition;
  readonly hasAlertEmail: CfnCondition;
  readonly objectLockEnabled: CfnCondition;
}

/** The day projection starts by default: no report of this tool is older. */
export const DEFAULT_PROJECTION_START_DAY = '2025/01/01';

const REGION_PATTERN = '[a-z]{2}(-[a-z]+)+-\\d+';
/** An e-mail address, or nothing (no subscription). */
export const ALERT_EMAIL_PATTERN = '^$|^[^\\s@]+@[^\\s@]+$';

/**
 * Declares the parameters on the central stack. `memberRoleRegion` defaults to the stack's own region,
 * `projectionRegions` to the regions the app was synthesized for (`reportRegions`: home and forwarded).
 */
export function declareCentralParameters(
  stack: Stack,
  homeRegion: string,
  reportRegions: readonly string[],
): CentralParameters {
  const organizationId = new CfnParameter(stack, 'OrganizationId', {
    type: 'String',
    allowedPattern: '^o-[a-z0-9]{10,32}$',
    constraintDescription: 'an organization id such as o-a1b2c3d4e5',
    description: 'The organization: member roles trust only its principals, the forwarding bus accepts only them.',
  });
  const targetOrganizationalUnitIds = new CfnParameter(stack, CENTRAL_PARAMETER_NAMES.targetOrganizationalUnitIds, {
    type: 'CommaDelimitedList',
    description: 'OUs (ou-… or the root r-…) whose accounts, present and future, get the responder role.',
  });
  const memberRoleRegion = new CfnParameter(stack, 'MemberRoleRegion', {
    type: 'String',
    default: homeRegion,
    allowedPattern: '^[a-z]{2}(-[a-z]+)+-\\d+$',
    description: 'The one region the StackSet deploys the (global, IAM-only) responder role in.',
  });
  const incidentLogBucketName = new CfnParameter(stack, 'IncidentLogBucketName', {
    type: 'String',
    default: '',
    allowedPattern: '^$|^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
    description: 'Name of the central incident bucket (as in the original design); empty lets CloudFormation name it.',
  });
  const isolationSecurityGroupName = new CfnParameter(stack, 'IsolationSecurityGroupName', {
    type: 'String',
    default: DEFAULT_ISOLATION_SECURITY_GROUP_NAME,
    allowedPattern: '^(?!sg-).{1,255}$',
    description: 'Name of the isolation security group, found or created in each VPC of an affected instance.',
  });
  const responderRoleName = new CfnParameter(stack, CENTRAL_PARAMETER_NAMES.responderRoleName, {
    type: 'String',
    default: DEFAULT_RESPONDER_ROLE_NAME,
    allowedPattern: '^[\\w+=,.@-]{1,64}$',
    description: 'Name of the responder role in member accounts (the StackSet creates it with this name).',
  });
  const protectedPrincipals = new CfnParameter(stack, 'ProtectedPrincipals', {
    type: 'String',
    default: '',
    description:
      'Comma-separated ARN patterns never to freeze (break-glass roles), e.g. arn:aws:iam::*:role/BreakGlass*',
  });
  const deploymentPrincipals = new CfnParameter(stack, 'DeploymentPrincipals', {
    type: 'String',
    default: '',
    description:
      'Comma-separated ARN patterns of CI/CD identities that launch for everyone, never frozen (the report asks a person to check the pipeline), e.g. arn:aws:iam::*:role/GitHubActions*',
  });
  const launchAgeThresholdHours = new CfnParameter(stack, 'LaunchAgeThresholdHours', {
    type: 'Number',
    default: DEFAULT_LAUNCH_AGE_THRESHOLD_HOURS,
    minValue: 1,
    maxValue: 2160,
    description:
      'An instance launched this many hours before GuardDuty first saw the mining is a workload exploited later: contained, but nobody is frozen (docs/decisions/0021).',
  });
  const maxFollowedInstances = new CfnParameter(stack, 'MaxFollowedInstances', {
    type: 'Number',
    default: DEFAULT_MAX_FOLLOWED_INSTANCES,
    minValue: 0,
    maxValue: 1000,
    description:
      "Of the attributed person's other running instances, in every enabled region, at most this many are contained as linked incidents; the rest are listed for a person; 0 lists them only (docs/decisions/0023).",
  });
  const alertEmail = new CfnParameter(stack, 'AlertEmail', {
    type: 'String',
    default: '',
    allowedPattern: ALERT_EMAIL_PATTERN,
    description: 'Optional e-mail address subscribed to incident summaries and alarms (confirm the subscription).',
  });
  const objectLockRetentionDays = new CfnParameter(stack, 'ObjectLockRetentionDays', {
    type: 'Number',
    default: DEFAULT_OBJECT_LOCK_RETENTION_DAYS,
    minValue: 0,
    maxValue: 36500,
    description:
      'Days each report is locked (S3 Object Lock, in ObjectLockMode); 0 leaves Object Lock off. Switching it on or off replaces the bucket: choose at the first deployment.',
  });
  const objectLockMode = new CfnParameter(stack, 'ObjectLockMode', {
    type: 'String',
    default: 'GOVERNANCE',
    allowedValues: ['GOVERNANCE', 'COMPLIANCE'],
    description:
      'GOVERNANCE: the break-glass role may still shorten or lift a lock; COMPLIANCE: no one can until the retention ends.',
  });
  const evidenceBreakGlassRoleName = new CfnParameter(stack, 'EvidenceBreakGlassRoleName', {
    type: 'String',
    default: DEFAULT_EVIDENCE_BREAK_GLASS_ROLE_NAME,
    allowedPattern: '^[\\w+=,.@-]{1,64}$',
    description:
      'The role of this account that alone may delete reports or change the incident bucket (versioning, lifecycle, policy, Object Lock); stack updates that change them deploy with --role-arn of this role.',
  });
  const releaseOperatorRoleName = new CfnParameter(stack, 'ReleaseOperatorRoleName', {
    type: 'String',
    default: DEFAULT_RELEASE_OPERATOR_ROLE_NAME,
    allowedPattern: '^[\\w+=,.@-]{1,64}$',
    description:
      'The role of this account operators use for cli release --yes, cli approve / cli reject and cli pause / cli resume: the only writer of releases/, approvals/ and the pause switch.',
  });
  const responsePolicy = new CfnParameter(stack, 'ResponsePolicy', {
    type: 'String',
    default: JSON.stringify(OBSERVE_FIRST_RESPONSE_POLICY),
    // JSON cannot be checked here: the function refuses to start on a policy that does not parse (cli doctor names it).
    allowedPattern: '^\\{.*\\}$',
    constraintDescription: 'a JSON object such as {"default":"observe","rules":[]}',
    description:
      'How far responses go (observe, contain, full) by default and by OU, account or instance tag, as JSON; the default observes everywhere. Widen it by OU once a week of reports looks right (docs/deploy.md).',
  });
  const cap = (id: string, fallback: number, scope: string) =>
    new CfnParameter(stack, id, {
      type: 'Number',
      default: fallback,
      minValue: 1,
      maxValue: MAX_CONTAINMENT_CAP,
      description: `Instances contained at most per hour ${scope} (the blast-radius cap); a finding beyond it is answered in observe mode and marked for a person.`,
    });
  const containmentCapPerAccountPerHour = cap(
    'ContainmentCapPerAccountPerHour',
    DEFAULT_CONTAINMENT_CAP.perAccountPerHour,
    'in one account',
  );
  const containmentCapPerOrganizationPerHour = cap(
    'ContainmentCapPerOrganizationPerHour',
    DEFAULT_CONTAINMENT_CAP.perOrganizationPerHour,
    'in the whole organization',
  );
  const securityHubUpdates = new CfnParameter(stack, 'SecurityHubUpdates', {
    type: 'String',
    default: 'on',
    allowedValues: ['on', 'off'],
    description:
      "on: after each report, the GuardDuty finding's Security Hub workflow becomes NOTIFIED (a note names the report) and the response is imported as a finding of its own, in this account and region; off: Security Hub is not told (docs/decisions/0024).",
  });
  const projectionRegions = new CfnParameter(stack, CENTRAL_PARAMETER_NAMES.projectionRegions, {
    type: 'String',
    default: reportRegions.join(','),
    allowedPattern: `^${REGION_PATTERN}(,${REGION_PATTERN})*$`,
    constraintDescription: 'comma-separated regions without spaces, such as us-east-1,eu-west-1',
    description:
      'Regions whose reports the Athena table incidents_by_account finds (its region projection): the home region ' +
      'and every region forwarding findings to it. The table incidents reads every report whatever this says.',
  });
  const projectionStartDay = new CfnParameter(stack, 'ProjectionStartDay', {
    type: 'String',
    default: DEFAULT_PROJECTION_START_DAY,
    allowedPattern: '^\\d{4}/(0[1-9]|1[0-2])/(0[1-9]|[12]\\d|3[01])$',
    constraintDescription: 'a day as yyyy/MM/dd, such as 2025/01/01',
    description:
      'First day (UTC, yyyy/MM/dd) of the reports incidents_by_account finds (its day projection runs from it to ' +
      'today); reports of earlier days stay in the table incidents.',
  });

  return {
    organizationId: organizationId.valueAsString,
    targetOrganizationalUnitIds: targetOrganizationalUnitIds.valueAsList,
    memberRoleRegion: memberRoleRegion.valueAsString,
    incidentLogBucketName: incidentLogBucketName.valueAsString,
    isolationSecurityGroupName: isolationSecurityGroupName.valueAsString,
    responderRoleName: responderRoleName.valueAsString,
    protectedPrincipals: protectedPrincipals.valueAsString,
    deploymentPrincipals: deploymentPrincipals.valueAsString,
    launchAgeThresholdHours: launchAgeThresholdHours.valueAsString,
    maxFollowedInstances: maxFollowedInstances.valueAsString,
    alertEmail: alertEmail.valueAsString,
    objectLockRetentionDays: objectLockRetentionDays.valueAsNumber,
    projectionRegions: projectionRegions.valueAsString,
    projectionStartDay: projectionStartDay.valueAsString,
    objectLockMode: objectLockMode.valueAsString,
    evidenceBreakGlassRoleName: evidenceBreakGlassRoleName.valueAsString,
    releaseOperatorRoleName: releaseOperatorRoleName.valueAsString,
    responsePolicy: responsePolicy.valueAsString,
    containmentCapPerAccountPerHour: containmentCapPerAccountPerHour.valueAsString,
    containmentCapPerOrganizationPerHour: containmentCapPerOrganizationPerHour.valueAsString,
    securityHubUpdates: securityHubUpdates.valueAsString,
    hasIncidentLogBucketName: new CfnCondition(stack, 'HasIncidentLogBucketName', {
      expression: Fn.conditionNot(Fn.conditionEquals(incidentLogBucketName.valueAsString, '')),
    }),
    hasAlertEmail: new CfnCondition(stack, 'HasAlertEmail', {
      expression: Fn.conditionNot(Fn.conditionEquals(alertEmail.valueAsString, '')),
    }),
    objectLockEnabled: new CfnCondition(stack, 'ObjectLockEnabled', {
      expression: Fn.conditionNot(Fn.conditionEquals(objectLockRetentionDays.valueAsString, '0')),
    }),
  };
}
