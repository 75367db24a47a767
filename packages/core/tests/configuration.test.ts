import { describe, expect, it } from 'vitest';
import { parseConfiguration, parseInvocationSources } from '../src/configuration';
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
      chatAlertTopicArn: null,
      connectionCutSecurityGroupName: 'CryptominerConnectionCutGroup',
      responsePolicy: { default: 'full', rules: [] },
      hibernateInstances: true,
      maxInstancesPerSequence: 50,
      launchAgeThresholdHours: 48,
      deploymentPrincipalPatterns: [],
      maxFollowedInstances: 10,
      pauseSwitchCacheSeconds: 5,
      containmentCap: { perAccountPerHour: 10, perOrganizationPerHour: 50 },
      securityHubUpdates: false,
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
      CHAT_ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:incidents-chat',
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
      chatAlertTopicArn: 'arn:aws:sns:eu-west-1:111122223333:incidents-chat',
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
    ['CHAT_ALERT_TOPIC_ARN', { ...minimal, CHAT_ALERT_TOPIC_ARN: 'arn:aws:sqs:eu-west-1:111122223333:chat' }],
    ['CONNECTION_CUT_SG_NAME', { ...minimal, CONNECTION_CUT_SG_NAME: 'CryptominerIsolationGroup' }],
    ['HIBERNATE_INSTANCES', { ...minimal, HIBERNATE_INSTANCES: 'yes' }],
    ['ATTACK_SEQUENCE_MAX_INSTANCES', { ...minimal, ATTACK_SEQUENCE_MAX_INSTANCES: '0' }],
    ['ATTACK_SEQUENCE_MAX_INSTANCES', { ...minimal, ATTACK_SEQUENCE_MAX_INSTANCES: '401' }],
    ['ATTACK_SEQUENCE_MAX_INSTANCES', { ...minimal, ATTACK_SEQUENCE_MAX_INSTANCES: '2.5' }],
    ['LAUNCH_AGE_THRESHOLD_HOURS', { ...minimal, LAUNCH_AGE_THRESHOLD_HOURS: '0' }],
    ['LAUNCH_AGE_THRESHOLD_HOURS', { ...minimal, LAUNCH_AGE_THRESHOLD_HOURS: '2161' }],
    ['LAUNCH_AGE_THRESHOLD_HOURS', { ...minimal, LAUNCH_AGE_THRESHOLD_HOURS: 'two days' }],
    ['DEPLOYMENT_PRINCIPALS', { ...minimal, DEPLOYMENT_PRINCIPALS: 'GitHubActions*' }],
    ['MAX_FOLLOWED_INSTANCES', { ...minimal, MAX_FOLLOWED_INSTANCES: '1001' }],
    ['MAX_FOLLOWED_INSTANCES', { ...minimal, MAX_FOLLOWED_INSTANCES: 'twenty' }],
    ['MAX_FOLLOWED_INSTANCES', { ...minimal, MAX_FOLLOWED_INSTANCES: '-1' }],
    ['PAUSE_SWITCH_CACHE_SECONDS', { ...minimal, PAUSE_SWITCH_CACHE_SECONDS: '31' }],
    ['PAUSE_SWITCH_CACHE_SECONDS', { ...minimal, PAUSE_SWITCH_CACHE_SECONDS: '-1' }],
    ['PAUSE_SWITCH_CACHE_SECONDS', { ...minimal, PAUSE_SWITCH_CACHE_SECONDS: 'five' }],
    ['RESPONSE_POLICY', { ...minimal, RESPONSE_POLICY: '{default: full}' }],
    ['RESPONSE_POLICY', { ...minimal, RESPONSE_POLICY: '{"default":"quarantine"}' }],
    ['RESPONSE_POLICY', { ...minimal, RESPONSE_POLICY: '{"rules":[{"account":"1234","mode":"observe"}]}' }],
    ['RESPONSE_POLICY', { ...minimal, RESPONSE_POLICY: '{"rules":[{"ou":"ou-ab12-cd34ef56","mode":"observe"}]}' }],
  ])('names %s when it is missing or malformed', (variable, env) => {
    // Act / Assess
    expect(variableAtFault(env)).toBe(variable);
  });

  it('reads a response policy and the hibernation switch', () => {
    // Prepare
    const policy = {
      default: 'contain',
      rules: [
        { organizationalUnit: 'ou-ab12-cd34ef56', mode: 'observe' },
        { account: '111122223333', mode: 'full' },
        { tag: { key: 'Environment', value: 'production' }, mode: 'observe' },
        { tag: { key: 'Sandbox' }, mode: 'full' },
      ],
    };

    // Act
    const configuration = parseConfiguration({
      ...minimal,
      RESPONSE_POLICY: JSON.stringify(policy),
      HIBERNATE_INSTANCES: 'false',
      CONNECTION_CUT_SG_NAME: 'CutConnections',
      ATTACK_SEQUENCE_MAX_INSTANCES: '400',
      LAUNCH_AGE_THRESHOLD_HOURS: '168',
      MAX_FOLLOWED_INSTANCES: '0',
      DEPLOYMENT_PRINCIPALS: 'arn:aws:iam::*:role/GitHubActions*, arn:aws:iam::*:role/Jenkins',
    });

    // Assess
    expect(configuration.responsePolicy).toEqual(policy);
    expect(configuration.hibernateInstances).toBe(false);
    expect(configuration.connectionCutSecurityGroupName).toBe('CutConnections');
    expect(configuration.maxInstancesPerSequence).toBe(400);
    expect(configuration.launchAgeThresholdHours).toBe(168);
    expect(configuration.maxFollowedInstances).toBe(0);
    expect(configuration.deploymentPrincipalPatterns).toEqual([
      'arn:aws:iam::*:role/GitHubActions*',
      'arn:aws:iam::*:role/Jenkins',
    ]);
  });

  it('turns the Security Hub updates on or off, and refuses anything else naming the variable', () => {
    // Act
    const on = parseConfiguration({ ...minimal, SECURITY_HUB_UPDATES: 'on' });
    const off = parseConfiguration({ ...minimal, SECURITY_HUB_UPDATES: 'off' });
    const act = () => parseConfiguration({ ...minimal, SECURITY_HUB_UPDATES: 'true' });

    // Assess
    expect([on.securityHubUpdates, off.securityHubUpdates]).toEqual([true, false]);
    expect(act).toThrow(/SECURITY_HUB_UPDATES is "true", but must be on or off/);
  });

  it('reads the pause switch cache from 0 (every response reads the switch) to 30 seconds', () => {
    // Act
    const never = parseConfiguration({ ...minimal, PAUSE_SWITCH_CACHE_SECONDS: '0' });
    const longest = parseConfiguration({ ...minimal, PAUSE_SWITCH_CACHE_SECONDS: '30' });
    const act = () => parseConfiguration({ ...minimal, PAUSE_SWITCH_CACHE_SECONDS: '60' });

    // Assess
    expect([never.pauseSwitchCacheSeconds, longest.pauseSwitchCacheSeconds]).toEqual([0, 30]);
    expect(act).toThrow(
      'Configuration error: PAUSE_SWITCH_CACHE_SECONDS is "60", but must be a whole number from 0 to 30 (for example 5)',
    );
  });

  it.each(
    ['CONTAINMENT_CAP_PER_ACCOUNT_PER_HOUR', 'CONTAINMENT_CAP_PER_ORGANIZATION_PER_HOUR'].flatMap((variable) =>
      ['0', '1001', '2.5', '-3', 'ten', '1e3'].map((value) => [variable, value]),
    ),
  )('names %s when it is %s (not a whole number from 1 to 1000)', (variable, value) => {
    // Act / Assess
    expect(variableAtFault({ ...minimal, [variable]: value })).toBe(variable);
  });

  it('reads the blast-radius cap, 1 to 1000 per account and per organization', () => {
    // Act
    const lowest = parseConfiguration({
      ...minimal,
      CONTAINMENT_CAP_PER_ACCOUNT_PER_HOUR: '1',
      CONTAINMENT_CAP_PER_ORGANIZATION_PER_HOUR: ' 1000 ',
    });
    const refused = () => parseConfiguration({ ...minimal, CONTAINMENT_CAP_PER_ACCOUNT_PER_HOUR: '0' });

    // Assess
    expect(lowest.containmentCap).toEqual({ perAccountPerHour: 1, perOrganizationPerHour: 1000 });
    expect(refused).toThrow(
      'Configuration error: CONTAINMENT_CAP_PER_ACCOUNT_PER_HOUR is "0", but must be a whole number from 1 to 1000 (for example 10)',
    );
  });

  it('names the policy field at fault and shows an example', () => {
    // Act
    const act = () =>
      parseConfiguration({ ...minimal, RESPONSE_POLICY: '{"rules":[{"account":"111122223333","mode":"stop"}]}' });

    // Assess
    expect(act).toThrow(
      /RESPONSE_POLICY is not a valid response policy: rules\.0.*observe, contain, full.*for example \{/,
    );
  });

  it('says what a good value looks like', () => {
    // Act
    const act = () => parseConfiguration({ AWS_REGION: 'eu-west-1' });

    // Assess
    expect(act).toThrow('Configuration error: REPORT_BUCKET is required but not set (for example REPORT_BUCKET=');
  });
});

describe('parseInvocationSources', () => {
  it('reads the findings queue; direct invocation is off by default', () => {
    // Act
    const sources = parseInvocationSources({ FINDING_QUEUE_ARN: 'arn:aws:sqs:us-east-1:111122223333:findings' });

    // Assess
    expect(sources).toEqual({
      findingQueueArn: 'arn:aws:sqs:us-east-1:111122223333:findings',
      allowDirectInvocation: false,
    });
  });

  it('lets a harness hand events directly, without a queue', () => {
    expect(parseInvocationSources({ ALLOW_DIRECT_INVOCATION: 'true' })).toEqual({
      findingQueueArn: null,
      allowDirectInvocation: true,
    });
  });

  it('refuses to start knowing neither, and a queue that is not an SQS ARN', () => {
    expect(() => parseInvocationSources({})).toThrow(/FINDING_QUEUE_ARN is required/);
    expect(() => parseInvocationSources({ ALLOW_DIRECT_INVOCATION: 'false' })).toThrow(ConfigurationError);
    expect(() => parseInvocationSources({ FINDING_QUEUE_ARN: 'findings' })).toThrow(/an SQS queue ARN/);
  });
});
