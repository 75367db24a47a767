// The pure builder of GuardDuty finding events: `cli simulate` prints them, the tests (through
// @cryptominer-defense/testing, which re-exports it under its fixture names) feed them to the responder.
import { REAL_GUARDDUTY_FINDING_EVENT } from './realGuardDutyFindingEvent';

type Json = Record<string, unknown>;

/** A fresh deep copy of the real event each time, so that the builder can change it freely. */
function realEvent(): Json {
  return structuredClone(REAL_GUARDDUTY_FINDING_EVENT) as Json;
}

/** 32 random hex characters, like GuardDuty's finding ids (Web Crypto: the same in Node and in Lambda). */
function randomFindingId(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** One network interface as GuardDuty lists it under instanceDetails. */
export interface SimulatedNetworkInterface {
  readonly networkInterfaceId: string;
  readonly vpcId: string;
  readonly subnetId?: string;
  readonly securityGroupIds?: readonly string[];
  readonly privateIpAddress?: string;
}

interface CommonFindingOptions {
  /** The affected member account (detail.accountId). */
  readonly accountId: string;
  /** Where GuardDuty raised the finding (detail.region and the event's region). */
  readonly region: string;
  /** The delegated-admin account that receives the event (event.account); default the affected account. */
  readonly adminAccountId?: string;
  /** Default `CryptoCurrency:EC2/BitcoinTool.B!DNS`. */
  readonly type?: string;
  /** detail.id; default 32 random hex characters, like GuardDuty's. */
  readonly findingId?: string;
  /** GuardDuty's generated sample findings say `sample: true`. Default false. */
  readonly sample?: boolean;
  /**
   * Where `sample` sits: `value` (the newer shape, inside the JSON string additionalInfo.value) or `direct`
   * (additionalInfo.sample). Default `value`, as in the real event.
   */
  readonly additionalInfoShape?: 'value' | 'direct';
  /** Default 8 (High). */
  readonly severity?: number;
  /** Default `aws`. */
  readonly partition?: string;
  /** service.count: how often GuardDuty has seen it (re-sent findings keep their id and count up). Default 1. */
  readonly count?: number;
  /** When GuardDuty last saw the activity; default now. */
  readonly eventTime?: Date;
}

export interface SimulatedInstanceFindingOptions extends CommonFindingOptions {
  readonly instanceId: string;
  /** Every ENI of the instance; default one made-up ENI. (tests read the real ones with testing's instanceFindingTargetOf). */
  readonly networkInterfaces?: readonly SimulatedNetworkInterface[];
  /** The instance's tags, as GuardDuty lists them (`aws:autoscaling:groupName` for a group's instance). */
  readonly tags?: Readonly<Record<string, string>>;
  /** instanceDetails.launchTime; default the finding's eventTime (a miner launched just before it was seen). */
  readonly launchTime?: Date;
}

export interface SimulatedEksFindingOptions extends CommonFindingOptions {
  readonly clusterName: string;
}

export interface SimulatedLambdaFindingOptions extends CommonFindingOptions {
  readonly functionName: string;
}

/** An EventBridge "GuardDuty Finding" event (envelope and detail). */
export interface SimulatedFindingEvent {
  readonly version: string;
  readonly id: string;
  readonly 'detail-type': 'GuardDuty Finding';
  readonly source: 'aws.guardduty';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly unknown[];
  readonly detail: Record<string, unknown>;
}

function additionalInfo(options: CommonFindingOptions, realInfo: Json): Json {
  const sample = options.sample ?? false;
  if ((options.additionalInfoShape ?? 'value') === 'direct') {
    const { value: _value, ...rest } = realInfo;
    return { ...rest, sample };
  }
  const value = JSON.parse(String(realInfo.value ?? '{}')) as Json;
  return { ...realInfo, value: JSON.stringify({ ...value, sample }) };
}

function buildEvent(options: CommonFindingOptions, resource: Json, subject: string): SimulatedFindingEvent {
  const real = realEvent();
  const realDetail = real.detail as Json;
  const realService = realDetail.service as Json;
  const partition = options.partition ?? 'aws';
  const findingId = options.findingId ?? randomFindingId();
  const detectorId = String(realService.detectorId);
  const seen = (options.eventTime ?? new Date()).toISOString();
  const type = options.type ?? String(realDetail.type);
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account: options.adminAccountId ?? options.accountId,
    time: `${seen.slice(0, 19)}Z`,
    region: options.region,
    resources: [],
    detail: {
      ...realDetail,
      accountId: options.accountId,
      region: options.region,
      partition,
      id: findingId,
      arn: `arn:${partition}:guardduty:${options.region}:${options.accountId}:detector/${detectorId}/finding/${findingId}`,
      type,
      resource,
      service: {
        ...realService,
        additionalInfo: additionalInfo(options, realService.additionalInfo as Json),
        eventFirstSeen: seen,
        eventLastSeen: seen,
        count: options.count ?? 1,
      },
      severity: options.severity ?? 8,
      createdAt: seen,
      updatedAt: seen,
      title: `${type} finding on ${subject}.`,
      description: `GuardDuty reports ${type} activity on ${subject}.`,
    },
  };
}

/**
 * A "GuardDuty Finding" event about an EC2 instance, built on a real GuardDuty event (its masked account and
 * timestamps replaced), with every ENI of the instance listed as GuardDuty lists them.
 */
export function simulatedInstanceFindingEvent(options: SimulatedInstanceFindingOptions): SimulatedFindingEvent {
  const real = realEvent();
  const realInstance = ((real.detail as Json).resource as Json).instanceDetails as Json;
  const realEni = (realInstance.networkInterfaces as Json[])[0] as Json;
  const interfaces = options.networkInterfaces ?? [
    { networkInterfaceId: 'eni-0b2a816e2859d3b70', vpcId: 'vpc-dd59d8a0' },
  ];
  const resource = {
    resourceType: 'Instance',
    instanceDetails: {
      ...realInstance,
      instanceId: options.instanceId,
      launchTime: (options.launchTime ?? options.eventTime ?? new Date()).toISOString(),
      availabilityZone: `${options.region}a`,
      networkInterfaces: interfaces.map((eni) => ({
        ...realEni,
        networkInterfaceId: eni.networkInterfaceId,
        vpcId: eni.vpcId,
        subnetId: eni.subnetId ?? realEni.subnetId,
        privateIpAddress: eni.privateIpAddress ?? realEni.privateIpAddress,
        securityGroups: (eni.securityGroupIds ?? []).map((groupId) => ({ groupId, groupName: groupId })),
      })),
      ...(options.tags === undefined
        ? {}
        : { tags: Object.entries(options.tags).map(([key, value]) => ({ key, value })) }),
    },
  };
  return buildEvent(options, resource, `EC2 instance ${options.instanceId}`);
}

/**
 * A Runtime Monitoring finding on an EKS cluster: crypto-mining, but no instance to isolate
 * (`resourceType: EKSCluster`, no instanceDetails). Default type `CryptoCurrency:Runtime/BitcoinTool.B`.
 */
export function simulatedEksFindingEvent(options: SimulatedEksFindingOptions): SimulatedFindingEvent {
  const resource = {
    resourceType: 'EKSCluster',
    eksClusterDetails: {
      name: options.clusterName,
      arn: `arn:${options.partition ?? 'aws'}:eks:${options.region}:${options.accountId}:cluster/${options.clusterName}`,
      status: 'ACTIVE',
    },
    kubernetesDetails: {
      kubernetesWorkloadDetails: { name: 'miner', type: 'pods', namespace: 'default' },
    },
  };
  return buildEvent(
    { ...options, type: options.type ?? 'CryptoCurrency:Runtime/BitcoinTool.B' },
    resource,
    `EKS cluster ${options.clusterName}`,
  );
}

/**
 * A Lambda Protection finding (`resourceType: Lambda`, `lambdaDetails` naming the function, unqualified ARN). Default
 * type `CryptoCurrency:Lambda/BitcoinTool.B`, the one GuardDuty raises on Lambda functions.
 */
export function simulatedLambdaFindingEvent(options: SimulatedLambdaFindingOptions): SimulatedFindingEvent {
  const functionArn = `arn:${options.partition ?? 'aws'}:lambda:${options.region}:${options.accountId}:function:${options.functionName}`;
  const resource = {
    resourceType: 'Lambda',
    lambdaDetails: { functionName: options.functionName, functionArn, functionVersion: '$LATEST' },
  };
  return buildEvent(
    { ...options, type: options.type ?? 'CryptoCurrency:Lambda/BitcoinTool.B' },
    resource,
    `Lambda function ${options.functionName}`,
  );
}
