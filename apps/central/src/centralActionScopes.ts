import { Aws } from 'aws-cdk-lib';

/** Where each engine action of the central account may act (the actions come from core's registry). */
export interface CentralActionScope {
  readonly sid: string;
  readonly resources: string[];
  readonly conditions?: Record<string, Record<string, string | string[]>>;
  /** Why the scope is as wide as it is. */
  readonly reason: string;
}

export interface CentralScopeInputs {
  readonly organizationId: string;
  readonly responderRoleName: string;
  /** ARN pattern of the report objects, e.g. `arn:aws:s3:::bucket/incidents/*`. */
  readonly reportObjectsArn: string;
  readonly alertTopicArn: string;
}

/** The scope of every action the engine calls in the central account, keyed by action. */
export function centralActionScopes(inputs: CentralScopeInputs): Readonly<Record<string, CentralActionScope>> {
  return {
    'organizations:DescribeAccount': {
      sid: 'CheckMembershipOfTheOrganization',
      // The management account's id sits in the ARN and is not known here: any, but only this organization.
      resources: [`arn:${Aws.PARTITION}:organizations::*:account/${inputs.organizationId}/*`],
      reason: 'Accounts of this organization only; the management account id in the ARN is not known in advance.',
    },
    'sts:AssumeRole': {
      sid: 'AssumeTheResponderRoleInMemberAccounts',
      resources: [`arn:${Aws.PARTITION}:iam::*:role/${inputs.responderRoleName}`],
      conditions: { StringEquals: { 'aws:ResourceOrgID': inputs.organizationId } },
      reason: 'Any member account can be affected; only the responder role, and only in accounts of the organization.',
    },
    's3:PutObject': {
      sid: 'WriteIncidentReports',
      resources: [inputs.reportObjectsArn],
      reason: 'Reports are written under incidents/<account>/<region>/<date>/, with names only known at run time.',
    },
    'sns:Publish': {
      sid: 'PublishIncidentSummaries',
      resources: [inputs.alertTopicArn],
      reason: 'The one alert topic of the stack.',
    },
  };
}
