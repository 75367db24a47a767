import { describe, expect, it } from 'vitest';
import {
  type CloudFormationTemplate,
  createPolicyEvaluator,
  PolicyEvaluationError,
  TemplateResolutionError,
  TemplateResolver,
  templatePolicies,
} from '../../src/iam';

const CENTRAL = '111111111111';
const MEMBER = '222222222222';
const OUTSIDE = '999999999999';
const ORGANIZATION = { organizationId: 'o-a1b2c3d4e5', accountIds: [CENTRAL, MEMBER] };
const where = (accountId: string) => ({ partition: 'aws', region: 'us-east-1', accountId });

const arnOf = (service: string, rest: unknown[]) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${service}:`, ...rest]],
});

/** A member role trusting one central role on conditions, with an allow and a deny. */
const memberTemplate: CloudFormationTemplate = {
  Parameters: { CentralAccountId: {}, OrganizationId: {}, RoleName: { Default: 'Responder' } },
  Resources: {
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: { Ref: 'RoleName' },
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Sid: 'OnlyTheCentralFunction',
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Principal: { AWS: arnOf('iam', [':', { Ref: 'CentralAccountId' }, ':root']) },
              Condition: {
                StringEquals: {
                  'aws:PrincipalArn': arnOf('iam', [':', { Ref: 'CentralAccountId' }, ':role/Central']),
                  'aws:PrincipalOrgID': { Ref: 'OrganizationId' },
                },
              },
            },
          ],
        },
        Policies: [
          {
            PolicyName: 'Response',
            PolicyDocument: {
              Statement: [
                {
                  Sid: 'RewriteRoles',
                  Effect: 'Allow',
                  Action: 'iam:PutRolePolicy',
                  Resource: arnOf('iam', [':', { Ref: 'AWS::AccountId' }, ':role/*']),
                },
                {
                  Sid: 'NeverItself',
                  Effect: 'Deny',
                  Action: 'iam:PutRolePolicy',
                  // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
                  Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${RoleName}' },
                },
              ],
            },
          },
        ],
      },
    },
  },
};

/** A bucket whose policy refuses plain HTTP and writes by anyone but one role. */
const centralTemplate: CloudFormationTemplate = {
  Conditions: { HasName: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'BucketName' }, ''] }] } },
  Parameters: { BucketName: { Default: '' } },
  Resources: {
    Writer: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'Central',
        AssumeRolePolicyDocument: { Statement: [] },
      },
    },
    WriterPolicy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        Roles: [{ Ref: 'Writer' }],
        PolicyDocument: {
          Statement: [
            {
              Sid: 'WriteReports',
              Effect: 'Allow',
              Action: 's3:PutObject',
              Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/incidents/*']] },
            },
            { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' },
          ],
        },
      },
    },
    Bucket: {
      Type: 'AWS::S3::Bucket',
      Properties: { BucketName: { 'Fn::If': ['HasName', { Ref: 'BucketName' }, { Ref: 'AWS::NoValue' }] } },
    },
    BucketPolicy: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: 'Bucket' },
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:*',
              Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/*']] },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      },
    },
  },
};

function evaluator() {
  return createPolicyEvaluator({
    organization: ORGANIZATION,
    policies: [
      templatePolicies('Central', centralTemplate, { ...where(CENTRAL), parameters: { BucketName: 'reports' } }),
      templatePolicies('Member', memberTemplate, {
        ...where(MEMBER),
        parameters: { CentralAccountId: CENTRAL, OrganizationId: ORGANIZATION.organizationId },
      }),
    ],
  });
}

describe('TemplateResolver', () => {
  it('resolves Ref, Fn::Join, Fn::Sub, Fn::GetAtt and Fn::If to the deployment values', () => {
    // Prepare
    const resolver = new TemplateResolver(centralTemplate, {
      ...where(CENTRAL),
      parameters: { BucketName: 'reports' },
    });

    // Act
    const resolved = resolver.resolve([
      { 'Fn::GetAtt': ['Bucket', 'Arn'] },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Writer}' },
      { 'Fn::If': ['HasName', 'named', 'generated'] },
    ]);

    // Assess
    expect(resolved).toEqual(['arn:aws:s3:::reports', 'arn:aws:iam::111111111111:role/Central', 'named']);
  });

  it('drops AWS::NoValue and names an unresolvable value', () => {
    // Prepare
    const resolver = new TemplateResolver(centralTemplate, where(CENTRAL));

    // Act + Assess
    expect(resolver.resolve({ a: { Ref: 'AWS::NoValue' }, b: 'kept' })).toEqual({ b: 'kept' });
    expect(() => resolver.resolve({ 'Fn::GetAtt': ['Bucket', 'DomainName'] })).toThrow(TemplateResolutionError);
    expect(() => new TemplateResolver(memberTemplate, where(MEMBER)).ref('CentralAccountId')).toThrow(
      /CentralAccountId has no value/,
    );
  });
});

describe('createPolicyEvaluator', () => {
  it('allows what a statement grants, naming it', async () => {
    // Act
    const evaluation = await evaluator().evaluateRequest({
      principal: `arn:aws:iam::${MEMBER}:role/Responder`,
      action: 'iam:PutRolePolicy',
      resource: `arn:aws:iam::${MEMBER}:role/AppRole`,
    });

    // Assess
    expect(evaluation.decision).toBe('Allowed');
    expect(evaluation.statements).toEqual(['Member/Role/Response#RewriteRoles']);
  });

  it('names the Deny statement that refuses a request', async () => {
    // Act
    const evaluation = await evaluator().evaluateRequest({
      principal: `arn:aws:iam::${MEMBER}:role/Responder`,
      action: 'iam:PutRolePolicy',
      resource: `arn:aws:iam::${MEMBER}:role/Responder`,
    });

    // Assess
    expect(evaluation.decision).toBe('ExplicitlyDenied');
    expect(evaluation.statements).toEqual(['Member/Role/Response#NeverItself']);
    expect(evaluation.summary).toContain('NeverItself');
  });

  it('evaluates a trust policy across accounts with its conditions', async () => {
    // Prepare
    const request = { action: 'sts:AssumeRole', resource: `arn:aws:iam::${MEMBER}:role/Responder` };
    const admin = [{ name: 'admin', policy: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];

    // Act
    const central = await evaluator().evaluateRequest({
      ...request,
      principal: `arn:aws:iam::${CENTRAL}:role/Central`,
    });
    const other = await evaluator().evaluateRequest({
      ...request,
      principal: `arn:aws:iam::${CENTRAL}:role/Other`,
      identityPolicies: admin,
    });
    const outside = await evaluator().evaluateRequest({
      ...request,
      principal: `arn:aws:iam::${OUTSIDE}:role/Central`,
      identityPolicies: admin,
    });

    // Assess
    expect(central.decision).toBe('Allowed');
    expect(central.statements).toContain('Member/Role/trust#OnlyTheCentralFunction');
    expect(other.decision).toBe('ImplicitlyDenied');
    expect(other.statements).toEqual(['Member/Role/trust: no statement allows it']);
    expect(outside.decision).toBe('ImplicitlyDenied');
  });

  it('applies the bucket policy to the objects of the bucket (a statement without Sid by its index)', async () => {
    // Prepare
    const request = {
      principal: `arn:aws:iam::${CENTRAL}:role/Central`,
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::reports/incidents/1.json',
    };

    // Act
    const overTls = await evaluator().evaluateRequest(request);
    const plain = await evaluator().evaluateRequest({ ...request, context: { 'aws:SecureTransport': 'false' } });

    // Assess
    expect(overTls.decision).toBe('Allowed');
    expect(overTls.statements).toEqual(['Central/WriterPolicy#WriteReports']);
    expect(plain.decision).toBe('ExplicitlyDenied');
    expect(plain.statements).toEqual(['Central/BucketPolicy#1']);
  });

  it('refuses to guess the policies of a role no template defines', async () => {
    await expect(
      evaluator().evaluateRequest({
        principal: `arn:aws:iam::${CENTRAL}:role/Unknown`,
        action: 's3:PutObject',
        resource: 'arn:aws:s3:::reports/x',
      }),
    ).rejects.toThrow(PolicyEvaluationError);
  });
});
