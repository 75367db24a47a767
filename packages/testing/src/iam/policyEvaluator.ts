import { getDenialReasons, getGrantReasons, runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { PolicyEvaluationError } from './iamErrors';
import type { NamedPolicy, TemplatePolicies, TemplateResourcePolicy, TemplateRole } from './templatePolicies';

/** The organization the templates are deployed in: `aws:PrincipalOrgID` / `aws:ResourceOrgID` come from it. */
export interface OrganizationValues {
  readonly organizationId: string;
  readonly accountIds: readonly string[];
}

/** Condition keys and their values, as the request carries them (`aws:SecureTransport: 'true'`). */
export type RequestContext = Readonly<Record<string, string | readonly string[]>>;

/** One request to evaluate. */
export interface PolicyRequest {
  /**
   * Who signs it: a role ARN (the request is made by a session of that role), a service principal such as
   * `events.amazonaws.com`, or `'anonymous'`.
   */
  readonly principal: string;
  readonly action: string;
  /** The resource ARN IAM authorizes, or `*` for an action without resource-level permissions. */
  readonly resource: string;
  /**
   * The condition keys the request carries. `aws:SecureTransport` defaults to true; the principal's and the
   * resource's account and organization keys are filled in from the templates and the organization.
   */
  readonly context?: RequestContext;
  /** The session name of a role principal (`aws:userid`, the assumed-role ARN); default `test-session`. */
  readonly sessionName?: string;
  /**
   * Identity policies of a principal that no loaded template defines (someone else in the central account, an
   * attacker outside the organization): what they could be given in their own account.
   */
  readonly identityPolicies?: readonly NamedPolicy[];
}

export type PolicyDecision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** What the evaluator decided, and why. */
export interface PolicyEvaluation {
  readonly decision: PolicyDecision;
  readonly allowed: boolean;
  /**
   * The deciding statements, as `<policy name>#<Sid>` (or `#<n>`, the 1-based index of a statement with no Sid):
   * the denying statements for an explicit deny, the allowing ones for an allow. For an implicit deny, the
   * policies that allowed nothing (`<policy type>: no statement allows it`).
   */
  readonly statements: readonly string[];
  /** Context keys given that do not apply to this action and resource type (the simulator ignored them). */
  readonly ignoredContextKeys: readonly string[];
  /** One line for a failure message. */
  readonly summary: string;
}

export interface PolicyEvaluator {
  evaluateRequest(request: PolicyRequest): Promise<PolicyEvaluation>;
}

export interface PolicyEvaluatorOptions {
  /**
   * The templates' policies, each loaded where it is deployed (a member role once per member account), and any
   * policy AWS itself applies that a test must model (say so in its name).
   */
  readonly policies: readonly TemplatePolicies[];
  readonly organization: OrganizationValues;
}

const ALLOW_NOTHING_ELSE = 'no statement allows it';
/** The deciding "statement" of a refusal that comes from AWS itself, not from a loaded policy. */
export const AWS_OWN_REFUSAL =
  'refused outside the loaded statements (by AWS itself, or a cross-account request no resource policy allows)';

function accountOfArn(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

function partitionOfArn(arn: string): string {
  return arn.split(':')[1] ?? 'aws';
}

/** `arn:aws:iam::111122223333:role/path/Name` → the session ARN of a session `sessionName` of that role. */
function sessionArnOf(roleArn: string, sessionName: string): string {
  const roleName = roleArn.split('/').at(-1) ?? '';
  return `arn:${partitionOfArn(roleArn)}:sts::${accountOfArn(roleArn) ?? ''}:assumed-role/${roleName}/${sessionName}`;
}

/** Without a Version, IAM reads a policy with the 2008 grammar, in which `${…}` is no policy variable. */
function versioned(policy: NamedPolicy): { name: string; policy: unknown } {
  return { name: policy.name, policy: { Version: '2012-10-17', ...policy.policy } };
}

function governs(policy: TemplateResourcePolicy, resource: string): boolean {
  return (
    policy.resourceArns.some((arn) => resource === arn || (arn.includes(':s3:::') && resource.startsWith(`${arn}/`))) ||
    (policy.resourceArnPrefixes ?? []).some((prefix) => resource.startsWith(prefix))
  );
}

/**
 * The evaluator of the policies that apply in AWS once the templates are deployed: identity policies of the
 * principal's role, the resource policy of the resource (bucket, key, queue, topic, bus, or the trust policy of
 * a role for `sts:AssumeRole`), same-account and cross-account rules, conditions and policy variables, all
 * evaluated by `@cloud-copilot/iam-simulate` in its strict mode.
 */
export function createPolicyEvaluator(options: PolicyEvaluatorOptions): PolicyEvaluator {
  const roles = new Map<string, TemplateRole>();
  const resourcePolicies: TemplateResourcePolicy[] = [];
  for (const set of options.policies) {
    for (const role of set.roles) roles.set(role.arn, role);
    resourcePolicies.push(...set.resourcePolicies);
  }
  const { organization } = options;
  const inOrganization = (accountId: string | undefined) =>
    accountId !== undefined && organization.accountIds.includes(accountId);

  function resourcePolicyFor(request: PolicyRequest): { policy: NamedPolicy; accountId: string } | undefined {
    // A role's trust policy is its resource policy for every STS action on it (AssumeRole*, SetSourceIdentity,
    // TagSession).
    if (request.action.toLowerCase().startsWith('sts:') && request.resource.includes(':role/')) {
      const role = roles.get(request.resource);
      return role === undefined ? undefined : { policy: role.trustPolicy, accountId: role.accountId };
    }
    const policy = resourcePolicies.find((candidate) => governs(candidate, request.resource));
    return policy === undefined ? undefined : { policy, accountId: policy.accountId };
  }

  return {
    async evaluateRequest(request) {
      const isRole = request.principal.includes(':role/');
      const isService = request.principal.endsWith('.amazonaws.com');
      const role = isRole ? roles.get(request.principal) : undefined;
      const identityPolicies = role?.identityPolicies ?? request.identityPolicies;
      if (isRole && identityPolicies === undefined) {
        throw new PolicyEvaluationError(
          `No template defines ${request.principal}: give the identity policies it could have (identityPolicies)`,
        );
      }
      const principalAccount = isRole ? accountOfArn(request.principal) : undefined;
      const resourcePolicy = resourcePolicyFor(request);
      const resourceAccount =
        resourcePolicy?.accountId ?? accountOfArn(request.resource) ?? principalAccount ?? organization.accountIds[0];
      if (resourceAccount === undefined) throw new PolicyEvaluationError(`No account for ${request.resource}`);

      const derived: Record<string, string | string[]> = { 'aws:SecureTransport': 'true' };
      if (principalAccount !== undefined) {
        derived['aws:PrincipalArn'] = request.principal;
        derived['aws:PrincipalAccount'] = principalAccount;
        derived['aws:PrincipalType'] = 'AssumedRole';
        if (inOrganization(principalAccount)) derived['aws:PrincipalOrgID'] = organization.organizationId;
      }
      if (isService) derived['aws:PrincipalServiceName'] = request.principal;
      derived['aws:ResourceAccount'] = resourceAccount;
      if (inOrganization(resourceAccount)) derived['aws:ResourceOrgID'] = organization.organizationId;
      const contextVariables: Record<string, string | string[]> = { ...derived };
      for (const [key, value] of Object.entries(request.context ?? {})) {
        contextVariables[key] = typeof value === 'string' ? value : [...value];
      }

      const principal = isRole
        ? sessionArnOf(request.principal, request.sessionName ?? 'test-session')
        : request.principal === 'anonymous'
          ? ({ type: 'Anonymous' } as const)
          : request.principal;
      const simulation: Simulation = {
        request: {
          principal,
          action: request.action,
          resource: { resource: request.resource, accountId: resourceAccount },
          contextVariables,
        },
        // A service principal and an anonymous caller have no identity policies.
        identityPolicies: isService || request.principal === 'anonymous' ? [] : (identityPolicies ?? []).map(versioned),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(resourcePolicy === undefined ? {} : { resourcePolicy: versioned(resourcePolicy.policy).policy }),
      };
      const result = await runSimulation(simulation, { simulationMode: 'Strict' });
      if (result.resultType === 'error') {
        throw new PolicyEvaluationError(
          `The simulator refused ${request.action} on ${request.resource}: ${result.errors.message} ${JSON.stringify(result.errors)}`,
        );
      }
      if (result.resultType !== 'single') {
        throw new PolicyEvaluationError(
          `${request.action} on ${request.resource}: the action has resource-level permissions, name one concrete resource`,
        );
      }
      const { analysis, ignoredContextKeys = [] } = result.result;
      const decision = result.overallResult as PolicyDecision;
      const resourcePolicyName = resourcePolicy?.policy.name ?? 'resource policy';
      const statementName = (policyName: string | undefined, sid: string | undefined, index: number) =>
        `${policyName ?? resourcePolicyName}#${sid ?? index}`;
      const statements: string[] =
        decision === 'Allowed'
          ? getGrantReasons(analysis).map((grant) =>
              statementName(
                'policyIdentifier' in grant ? grant.policyIdentifier : undefined,
                grant.statementId,
                grant.statementIndex,
              ),
            )
          : getDenialReasons(analysis).map((denial) =>
              denial.denialType === 'Explicit'
                ? statementName(denial.policyIdentifier, denial.statementId, denial.statementIndex)
                : `${denial.policyType === 'resource' ? resourcePolicyName : denial.policyType}: ${ALLOW_NOTHING_ELSE}`,
            );
      if (decision !== 'Allowed' && statements.length === 0) {
        // The simulator knows AWS refusals no policy states (roles under /aws-reserved/ cannot be changed by IAM).
        statements.push(`AWS: ${AWS_OWN_REFUSAL}`);
      }
      const summary = `${decision}: ${request.action} on ${request.resource} by ${request.principal}${
        statements.length > 0 ? ` (${statements.join(', ')})` : ''
      }`;
      return { decision, allowed: decision === 'Allowed', statements, ignoredContextKeys, summary };
    },
  };
}
