import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { STSClient } from '@aws-sdk/client-sts';
import type { IsolationGate } from '../isolationGate';

/** The clients that act in an affected member account, in the finding's region. */
export interface MemberAccountClients {
  readonly ec2: EC2Client;
  readonly autoScaling: AutoScalingClient;
  readonly iam: IAMClient;
  readonly cloudTrail: CloudTrailClient;
  /** Lambda findings only: the throttle of the function (reserved concurrency 0). */
  readonly lambda: LambdaClient;
}

/** The clients that act in the central (delegated-admin) account, in the central region. */
export interface CentralAccountClients {
  readonly organizations: OrganizationsClient;
  readonly s3: S3Client;
  /**
   * The alert topic's client, created on the first call (its module is loaded then: only a response with an
   * alert topic needs it, and only after the report is written), then reused.
   */
  sns(): Promise<SNSClient>;
  /** Security Hub's client, created on the first call as SNS's is (SECURITY_HUB_UPDATES=on only). */
  securityHub(): Promise<SecurityHubClient>;
  /** The central account's id (STS GetCallerIdentity, which IAM does not authorize: no grant), asked once. */
  accountId(): Promise<string>;
}

/** Where the affected resources are. */
export interface MemberAccountTarget {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
}

/** Any client the factory creates. */
export type ResponderClient =
  | STSClient
  | OrganizationsClient
  | S3Client
  | SNSClient
  | SecurityHubClient
  | EC2Client
  | AutoScalingClient
  | IAMClient
  | CloudTrailClient
  | LambdaClient;

/** Reaches the central account and member accounts; AWS modules get their clients from it. */
export interface ClientFactory {
  readonly central: CentralAccountClients;
  /**
   * Assumes the responder role in the account (credentials cached per account) and returns clients in the
   * target region. Rejects with STS's error when the role cannot be assumed.
   */
  memberAccount(target: MemberAccountTarget): Promise<MemberAccountClients>;
  /**
   * The isolation gate of the account and region (decision 0026), the one its clients pass every call through:
   * there from the response's first moment, before the role is assumed, so every concurrent response is counted
   * before any of them sends after-isolation work. A factory without one (a test's) orders nothing.
   */
  isolationGate?(target: MemberAccountTarget): IsolationGate;
  /** Closes every client's sockets (the CLI calls it so the process can exit). */
  destroy(): void;
}
