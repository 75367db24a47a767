import { INCIDENT_REPORT_PREFIX } from '@cryptominer-defense/core';
import { DEFAULT_CENTRAL_FUNCTION_ROLE_NAME } from '@cryptominer-defense/member-role';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { declareCentralParameters } from './centralParameters';
import { AccessLogBucket } from './constructs/AccessLogBucket';
import { AlertTopic } from './constructs/AlertTopic';
import { CryptoFindingRule } from './constructs/CryptoFindingRule';
import { FindingForwardingBus } from './constructs/FindingForwardingBus';
import { FindingQueue } from './constructs/FindingQueue';
import { IncidentKey } from './constructs/IncidentKey';
import { IncidentQueries } from './constructs/IncidentQueries';
import { IncidentReportBucket } from './constructs/IncidentReportBucket';
import { MemberRoleStackSet } from './constructs/MemberRoleStackSet';
import { QueryResultsBucket } from './constructs/QueryResultsBucket';
import { ResponderAlarms } from './constructs/ResponderAlarms';
import {
  RESPONDER_LOG_GROUP_NAME,
  RESPONDER_TIMEOUT,
  ResponderFunction,
  responderLogGroup,
} from './constructs/ResponderFunction';
import { ResponderFunctionRole } from './constructs/ResponderFunctionRole';
import { CENTRAL_OUTPUT_NAMES } from './deploymentNames';

export interface CentralStackProps extends StackProps {
  /** The home region (this stack's) and every region forwarding to it: the regions reports can come from. */
  readonly reportRegions: readonly string[];
  /** Default 5. */
  readonly reservedConcurrency?: number;
}

/**
 * The home-region stack of the GuardDuty delegated-admin account: findings in (default bus and forwarding bus),
 * queue, responder, incident bucket, queries, alerts, and the StackSet that places the member role.
 */
export class CentralStack extends Stack {
  constructor(scope: Construct, id: string, props: CentralStackProps) {
    super(scope, id, {
      description: 'Cryptominer Auto Defense: central responder, incident bucket and member-role StackSet',
      ...props,
    });
    // S3 access logs are delivered under a bucket policy, not the legacy log-delivery ACL (ACLs stay disabled).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const parameters = declareCentralParameters(this, this.region, props.reportRegions);

    const { key } = new IncidentKey(this, 'IncidentKey', { logGroupName: RESPONDER_LOG_GROUP_NAME });
    const accessLogs = new AccessLogBucket(this, 'AccessLogs');
    const findings = new FindingQueue(this, 'Findings', { consumerTimeout: RESPONDER_TIMEOUT });
    const logGroup = responderLogGroup(this, 'ResponderLogs', key);
    const alerts = new AlertTopic(this, 'Alerts', {
      key,
      email: { address: parameters.alertEmail, condition: parameters.hasAlertEmail },
    });
    // Chat notifications on a topic of their own (decision 0022): a chat channel configuration subscribes to it,
    // and the alarms, which the chat service renders natively, stay on the alert topic (a channel can list both).
    const chatAlerts = new AlertTopic(this, 'ChatAlerts', {
      key,
      displayName: 'Cryptominer Auto Defense chat notifications',
      receivesAlarms: false,
    });

    // The role's ARN is known from its fixed name; the bucket's policy names it, the role's policy names the bucket.
    const reportObjectsArn = (bucketArn: string) => `${bucketArn}/${INCIDENT_REPORT_PREFIX}*`;
    const reports = new IncidentReportBucket(this, 'IncidentReports', {
      key,
      accessLogBucket: accessLogs.bucket,
      writerRoleArn: `arn:${this.partition}:iam::${this.account}:role/${DEFAULT_CENTRAL_FUNCTION_ROLE_NAME}`,
      releaseOperatorRoleArn: `arn:${this.partition}:iam::${this.account}:role/${parameters.releaseOperatorRoleName}`,
      breakGlassRoleArn: `arn:${this.partition}:iam::${this.account}:role/${parameters.evidenceBreakGlassRoleName}`,
      parameters,
    });
    const functionRole = new ResponderFunctionRole(this, 'ResponderRole', {
      roleName: DEFAULT_CENTRAL_FUNCTION_ROLE_NAME,
      organizationId: parameters.organizationId,
      responderRoleName: parameters.responderRoleName,
      reportObjectsArn: reportObjectsArn(reports.bucket.bucketArn),
      alertTopicArn: alerts.topic.topicArn,
      chatAlertTopicArn: chatAlerts.topic.topicArn,
      queue: findings.queue,
      logGroup,
      key,
    });

    const responder = new ResponderFunction(this, 'Responder', {
      role: functionRole.immutableRole,
      queue: findings.queue,
      logGroup,
      reservedConcurrency: props.reservedConcurrency,
      environment: {
        REPORT_BUCKET: reports.bucket.bucketName,
        REPORT_KMS_KEY_ID: key.keyArn,
        RESPONDER_ROLE_NAME: parameters.responderRoleName,
        ISOLATION_SG_NAME: parameters.isolationSecurityGroupName,
        PROTECTED_PRINCIPALS: parameters.protectedPrincipals,
        DEPLOYMENT_PRINCIPALS: parameters.deploymentPrincipals,
        LAUNCH_AGE_THRESHOLD_HOURS: parameters.launchAgeThresholdHours,
        MAX_FOLLOWED_INSTANCES: parameters.maxFollowedInstances,
        ALERT_TOPIC_ARN: alerts.topic.topicArn,
        CHAT_ALERT_TOPIC_ARN: chatAlerts.topic.topicArn,
        RESPONSE_POLICY: parameters.responsePolicy,
        CONTAINMENT_CAP_PER_ACCOUNT_PER_HOUR: parameters.containmentCapPerAccountPerHour,
        CONTAINMENT_CAP_PER_ORGANIZATION_PER_HOUR: parameters.containmentCapPerOrganizationPerHour,
        SECURITY_HUB_UPDATES: parameters.securityHubUpdates,
        FINDING_QUEUE_ARN: findings.queue.queueArn,
      },
    });

    const forwardingBus = new FindingForwardingBus(this, 'ForwardingBus', {
      organizationId: parameters.organizationId,
    });
    const homeRegionRule = new CryptoFindingRule(this, 'HomeRegionFindings', {
      queue: findings.queue,
      deadLetterQueue: findings.deadLetterQueue,
      description: 'Crypto-mining findings, on any resource, raised in this region',
    });
    const forwardedRule = new CryptoFindingRule(this, 'ForwardedFindings', {
      eventBus: forwardingBus.bus,
      queue: findings.queue,
      deadLetterQueue: findings.deadLetterQueue,
      description: 'Crypto-mining findings, on any resource, forwarded from the other regions',
    });
    findings.acceptOnlyFromRules([homeRegionRule.rule.ruleArn, forwardedRule.rule.ruleArn]);

    new ResponderAlarms(this, 'Alarms', {
      function: responder.function,
      deadLetterQueue: findings.deadLetterQueue,
      topic: alerts.topic,
    });

    const results = new QueryResultsBucket(this, 'QueryResults', { key, accessLogBucket: accessLogs.bucket });
    new IncidentQueries(this, 'Queries', {
      reportBucket: reports.bucket,
      resultsBucket: results.bucket,
      key,
      regions: parameters.projectionRegions,
      startDay: parameters.projectionStartDay,
    });

    new MemberRoleStackSet(this, 'MemberRoles', {
      organizationId: parameters.organizationId,
      targetOrganizationalUnitIds: parameters.targetOrganizationalUnitIds,
      region: parameters.memberRoleRegion,
      responderRoleName: parameters.responderRoleName,
      centralFunctionRoleName: DEFAULT_CENTRAL_FUNCTION_ROLE_NAME,
    });

    new CfnOutput(this, CENTRAL_OUTPUT_NAMES.incidentBucketName, { value: reports.bucket.bucketName });
    new CfnOutput(this, CENTRAL_OUTPUT_NAMES.findingsQueueUrl, { value: findings.queue.queueUrl });
    new CfnOutput(this, CENTRAL_OUTPUT_NAMES.responderFunctionName, { value: responder.function.functionName });
    new CfnOutput(this, CENTRAL_OUTPUT_NAMES.alertTopicArn, { value: alerts.topic.topicArn });
    new CfnOutput(this, CENTRAL_OUTPUT_NAMES.chatAlertTopicArn, {
      value: chatAlerts.topic.topicArn,
      description: 'Subscribe a chat channel configuration of Amazon Q Developer in chat applications to this topic',
    });
    new CfnOutput(this, CENTRAL_OUTPUT_NAMES.forwardingBusArn, { value: forwardingBus.bus.eventBusArn });
  }
}
