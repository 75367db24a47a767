import { describe, expect, it } from 'vitest';
import { parseConfiguration } from '../src/configuration';
import { ConfigurationError } from '../src/errors';

const minimal = { REPORT_BUCKET: 'incident-reports', AWS_REGION: 'eu-west-1' };

function variableAtFault(env: Record<string, string>): string {
  try {
    parseConfiguration(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.variable;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('parseConfiguration', () => {
  it('applies the documented defaults', () => {
    // Act
    const configuration = parseConfiguration(minimal);

    // Assess
    expect(configuration).toEqual({
      reportBucket: 'incident-reports',
      reportKmsKeyId: null,
      responderRoleName: 'CryptominerResponderRole',
      isolationSecurityGroupName: 'CryptominerIsolationGroup',
      protectedPrincipalPatterns: [],
      centralRegion: 'eu-west-1',
      alertTopicArn: null,
    });
  });

  it('reads every variable', () => {
    // Prepare
    const env = {
      ...minimal,
      REPORT_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      RESPONDER_ROLE_NAME: 'Responder',
      ISOLATION_SG_NAME: 'Quarantine',
      PROTECTED_PRINCIPALS: ' arn:aws:iam::*:role/BreakGlass* , arn:aws:iam::111122223333:user/oncall,',
      ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:incidents',
    };

    // Act
    const configuration = parseConfiguration(env);

    // Assess
    expect(configuration).toMatchObject({
      reportKmsKeyId: env.REPORT_KMS_KEY_ID,
      responderRoleName: 'Responder',
      isolationSecurityGroupName: 'Quarantine',
      protectedPrincipalPatterns: ['arn:aws:iam::*:role/BreakGlass*', 'arn:aws:iam::111122223333:user/oncall'],
      alertTopicArn: 'arn:aws:sns:eu-west-1:111122223333:incidents',
    });
  });

  it.each([
    ['REPORT_BUCKET', { AWS_REGION: 'eu-west-1' }],
    ['REPORT_BUCKET', { ...minimal, REPORT_BUCKET: '  ' }],
    ['REPORT_BUCKET', { ...minimal, REPORT_BUCKET: 'Incident_Reports' }],
    ['AWS_REGION', { REPORT_BUCKET: 'incident-reports' }],
    ['AWS_REGION', { ...minimal, AWS_REGION: 'Ireland' }],
    ['RESPONDER_ROLE_NAME', { ...minimal, RESPONDER_ROLE_NAME: 'role/with/path' }],
    ['ISOLATION_SG_NAME', { ...minimal, ISOLATION_SG_NAME: 'sg-isolation' }],
    ['PROTECTED_PRINCIPALS', { ...minimal, PROTECTED_PRINCIPALS: 'BreakGlassAdmin' }],
    ['ALERT_TOPIC_ARN', { ...minimal, ALERT_TOPIC_ARN: 'incidents' }],
  ])('names %s when it is missing or malformed', (variable, env) => {
    // Act / Assess
    expect(variableAtFault(env)).toBe(variable);
  });

  it('says what a good value looks like', () => {
    // Act
    const act = () => parseConfiguration({ AWS_REGION: 'eu-west-1' });

    // Assess
    expect(act).toThrow('Configuration error: REPORT_BUCKET is required but not set (for example REPORT_BUCKET=');
  });
});
