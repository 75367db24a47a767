/** `userIdentity` of a CloudTrail record (the fields attribution reads; real records carry more). */
export interface CloudTrailUserIdentity {
  readonly type: 'IAMUser' | 'AssumedRole' | 'Root' | 'FederatedUser' | 'AWSService' | 'AWSAccount' | string;
  readonly principalId?: string;
  readonly arn?: string;
  readonly accountId?: string;
  readonly accessKeyId?: string;
  readonly userName?: string;
  readonly invokedBy?: string;
  readonly sessionContext?: {
    readonly sessionIssuer?: {
      readonly type?: string;
      readonly principalId?: string;
      readonly arn?: string;
      readonly accountId?: string;
      readonly userName?: string;
    };
    readonly attributes?: { readonly creationDate?: string; readonly mfaAuthenticated?: string };
  };
}

/** One CloudTrail management event record, as CloudTrail writes it (and as LookupEvents returns in CloudTrailEvent). */
export interface CloudTrailRecord {
  readonly eventVersion: string;
  readonly userIdentity: CloudTrailUserIdentity;
  /** ISO 8601, e.g. 2026-11-26T10:00:00Z. */
  readonly eventTime: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly awsRegion: string;
  readonly sourceIPAddress: string;
  readonly userAgent: string;
  readonly requestParameters: Record<string, unknown> | null;
  readonly responseElements: Record<string, unknown> | null;
  readonly requestID?: string;
  readonly eventID: string;
  readonly readOnly?: boolean;
  readonly resources?: readonly { readonly accountId?: string; readonly type?: string; readonly ARN?: string }[];
  readonly eventType: string;
  readonly managementEvent?: boolean;
  readonly recipientAccountId: string;
  readonly eventCategory?: string;
  readonly [field: string]: unknown;
}
