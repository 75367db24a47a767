import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeTemplates } from '@cryptominer-defense/central';
import {
  type AuthorizedRequest,
  authorizedRequestsOf,
  findRepoRoot,
  type RecordedAwsCall,
} from '@cryptominer-defense/testing';
import {
  type CloudFormationTemplate,
  createPolicyEvaluator,
  type PolicyDocument,
  type PolicyEvaluator,
  templatePolicies,
} from '@cryptominer-defense/testing/iam';

/** The operator's policies as docs/deploy.md shows them (docs/operator-policies/), one file each. */
export const OPERATOR_POLICY_FILES = {
  central: 'docs/operator-policies/central-operator-role-policy.json',
  member: 'docs/operator-policies/member-operator-role-policy.json',
  memberTrust: 'docs/operator-policies/member-operator-role-trust-policy.json',
} as const;

export const CENTRAL_OPERATOR_ROLE_NAME = 'CryptominerReleaseOperator';
export const MEMBER_OPERATOR_ROLE_NAME = 'CryptominerOperator';

interface Statement {
  readonly Sid?: string;
  readonly Action: string | readonly string[];
}

/** Where the policies are deployed: what their `<placeholders>` stand for. */
export interface OperatorDeployment {
  readonly centralAccountId: string;
  readonly managementAccountId: string;
  readonly memberAccountIds: readonly string[];
  readonly organizationId: string;
  readonly homeRegion: string;
  readonly reportBucket: string;
}

/** Which statements (Sids) of each policy a command needs: the table of docs/deploy.md. */
export interface StatementSelection {
  readonly central: readonly string[];
  readonly member: readonly string[];
}

/** A policy file's text, its placeholders replaced by the deployment's values. */
function policyFile(path: string, values: Readonly<Record<string, string>>): PolicyDocument {
  let text = readFileSync(join(findRepoRoot(), path), 'utf8');
  for (const [placeholder, value] of Object.entries(values)) text = text.replaceAll(`<${placeholder}>`, value);
  const unreplaced = /<[a-z-]+>/.exec(text);
  if (unreplaced !== null) throw new Error(`${path} has a placeholder the test does not know: ${unreplaced[0]}`);
  return JSON.parse(text) as PolicyDocument;
}

export function statementsOf(document: PolicyDocument): Statement[] {
  return [document.Statement].flat() as unknown as Statement[];
}

/** The actions a policy file allows, as written (placeholders left in). */
export function actionsOfPolicyFile(path: string): string[] {
  const document = JSON.parse(readFileSync(join(findRepoRoot(), path), 'utf8')) as PolicyDocument;
  return [...new Set(statementsOf(document).flatMap((statement) => [statement.Action].flat()))].sort();
}

function only(document: PolicyDocument, sids: readonly string[]): PolicyDocument {
  const statements = statementsOf(document);
  for (const sid of sids) {
    if (!statements.some((statement) => statement.Sid === sid)) throw new Error(`No statement ${sid} in the policy`);
  }
  return {
    Version: '2012-10-17',
    Statement: statements.filter((statement) => sids.includes(statement.Sid ?? '')) as never,
  };
}

export interface OperatorPolicies {
  /** An evaluator holding the central template's policies and the operator roles with the selected statements. */
  evaluatorFor(selection: StatementSelection): PolicyEvaluator;
  /** The requests IAM authorizes for a recorded call in this deployment (the incident key on the bucket). */
  requestsOf(call: RecordedAwsCall): AuthorizedRequest[];
  /**
   * Every request of the calls the selected statements do not allow, one line each: a call in the central account is
   * the release operator role's, one in a member account that account's operator role's.
   */
  refusedRequests(selection: StatementSelection, calls: readonly RecordedAwsCall[]): Promise<string[]>;
  readonly incidentKeyArn: string;
  readonly centralOperatorRoleArn: string;
  memberOperatorRoleArn(accountId: string): string;
}

/**
 * The central template's policies (the incident bucket's and key's, which refuse what IAM allows) deployed with
 * the test's bucket, and the operator roles of docs/operator-policies: the central account's release operator role
 * and the operator role of each member account, trusted by it.
 */
export function operatorPolicies(deployment: OperatorDeployment): OperatorPolicies {
  const partition = 'aws';
  const templates = synthesizeTemplates({
    homeRegion: deployment.homeRegion,
    forwardedRegions: [],
    account: undefined,
  });
  const central = templatePolicies(
    'CryptominerCentral',
    templates.CryptominerCentral as unknown as CloudFormationTemplate,
    {
      partition,
      region: deployment.homeRegion,
      accountId: deployment.centralAccountId,
      parameters: {
        OrganizationId: deployment.organizationId,
        TargetOrganizationalUnitIds: 'ou-ab12-11111111',
        IncidentLogBucketName: deployment.reportBucket,
      },
    },
  );
  const keyPolicy = central.resourcePolicies.find((policy) => policy.resourceArns.some((arn) => arn.includes(':key/')));
  const incidentKeyArn = keyPolicy?.resourceArns[0];
  if (incidentKeyArn === undefined) throw new Error('The central template has no incident key');
  const values = {
    'central-account-id': deployment.centralAccountId,
    'home-region': deployment.homeRegion,
    'incident-bucket': deployment.reportBucket,
    'incident-key-id': incidentKeyArn.split('/').at(-1) ?? '',
    'organization-id': deployment.organizationId,
  };
  const centralPolicy = policyFile(OPERATOR_POLICY_FILES.central, values);
  const memberPolicy = policyFile(OPERATOR_POLICY_FILES.member, values);
  const memberTrust = policyFile(OPERATOR_POLICY_FILES.memberTrust, values);
  const roleArn = (accountId: string, name: string) => `arn:${partition}:iam::${accountId}:role/${name}`;
  const centralOperatorRoleArn = roleArn(deployment.centralAccountId, CENTRAL_OPERATOR_ROLE_NAME);
  const requestsOf = (call: RecordedAwsCall) =>
    authorizedRequestsOf(call, {
      defaultAccountId: deployment.centralAccountId,
      organizationId: deployment.organizationId,
      managementAccountId: deployment.managementAccountId,
      bucketKeys: { [deployment.reportBucket]: incidentKeyArn },
    });
  const policies: OperatorPolicies = {
    incidentKeyArn,
    centralOperatorRoleArn,
    memberOperatorRoleArn: (accountId) => roleArn(accountId, MEMBER_OPERATOR_ROLE_NAME),
    requestsOf,
    async refusedRequests(selection, calls) {
      const evaluator = policies.evaluatorFor(selection);
      const refused: string[] = [];
      for (const call of calls) {
        const accountId = call.accountId ?? deployment.centralAccountId;
        const principal =
          accountId === deployment.centralAccountId
            ? centralOperatorRoleArn
            : policies.memberOperatorRoleArn(accountId);
        for (const request of requestsOf(call)) {
          const { action, resource, context } = request;
          const evaluation = await evaluator.evaluateRequest({ principal, action, resource, context });
          if (!evaluation.allowed) refused.push(`${action} on ${resource}: ${evaluation.summary}`);
        }
      }
      return refused;
    },
    evaluatorFor(selection) {
      const operatorRoles = {
        roles: [
          {
            arn: centralOperatorRoleArn,
            accountId: deployment.centralAccountId,
            // Who may assume it is the organization's business (its identity provider): not evaluated here.
            trustPolicy: { name: 'operator-trust', policy: { Statement: [] } },
            identityPolicies: [{ name: OPERATOR_POLICY_FILES.central, policy: only(centralPolicy, selection.central) }],
          },
          ...deployment.memberAccountIds.map((accountId) => ({
            arn: roleArn(accountId, MEMBER_OPERATOR_ROLE_NAME),
            accountId,
            trustPolicy: { name: OPERATOR_POLICY_FILES.memberTrust, policy: memberTrust },
            identityPolicies: [{ name: OPERATOR_POLICY_FILES.member, policy: only(memberPolicy, selection.member) }],
          })),
        ],
        resourcePolicies: [],
      };
      return createPolicyEvaluator({
        policies: [central, operatorRoles],
        organization: {
          organizationId: deployment.organizationId,
          accountIds: [deployment.centralAccountId, ...deployment.memberAccountIds],
        },
      });
    },
  };
  return policies;
}
