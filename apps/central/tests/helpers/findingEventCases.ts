import { readFileSync } from 'node:fs';
import {
  type GuardDutyFindingEventFixture,
  guardDutyEksFindingEvent,
  guardDutyFindingEvent,
  loadFixtureObject,
} from '@cryptominer-defense/testing';

/** An event to put on the bus, and whether the responder's rule must deliver it. */
export interface FindingEventCase {
  readonly name: string;
  readonly event: Omit<GuardDutyFindingEventFixture, 'source' | 'detail-type'> & {
    source: string;
    'detail-type': string;
  };
  readonly shouldArrive: boolean;
}

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';

let caseNumber = 0;
/** Every case gets its own finding id, so that the test can tell which ones arrived. */
function withUniqueId(event: GuardDutyFindingEventFixture): GuardDutyFindingEventFixture {
  caseNumber += 1;
  return { ...event, detail: { ...event.detail, id: `case-${String(caseNumber).padStart(3, '0')}` } };
}

function onInstance(type: string): GuardDutyFindingEventFixture {
  return withUniqueId(
    guardDutyFindingEvent({ accountId: ACCOUNT, region: REGION, instanceId: 'i-0123456789abcdef0', type }),
  );
}

function onEks(type: string): GuardDutyFindingEventFixture {
  return withUniqueId(guardDutyEksFindingEvent({ accountId: ACCOUNT, region: REGION, clusterName: 'prod', type }));
}

/** The same runtime finding, moved onto another kind of resource (GuardDuty's ECS, container and Lambda shapes). */
function onResource(type: string, resource: Record<string, unknown>): GuardDutyFindingEventFixture {
  const event = onEks(type);
  return { ...event, detail: { ...event.detail, resource } };
}

/** A raw finding (GetFindings shape), in the envelope EventBridge puts around it. */
function rawFindingInEnvelope(finding: Record<string, unknown>): GuardDutyFindingEventFixture {
  const envelope = guardDutyFindingEvent({ accountId: ACCOUNT, region: REGION, instanceId: 'i-0123456789abcdef0' });
  return withUniqueId({ ...envelope, detail: finding });
}

/** The negative samples are copied into tests/fixtures (see its README). */
function localFixture(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

function realEvent(): GuardDutyFindingEventFixture {
  const event = loadFixtureObject(
    'guardduty/eb_GuardDutyFinding_CryptoCurrency_EC2_BitcoinTool.B_DNS_real_jbarreto7991.json',
  ) as unknown as GuardDutyFindingEventFixture;
  return withUniqueId(event);
}

const CRYPTO_ON_INSTANCE = [
  'CryptoCurrency:EC2/BitcoinTool.B',
  'CryptoCurrency:EC2/BitcoinTool.B!DNS',
  'Impact:EC2/BitcoinDomainRequest.Reputation',
  'CryptoCurrency:Runtime/BitcoinTool.B',
  'CryptoCurrency:Runtime/BitcoinTool.B!DNS',
  'Impact:Runtime/BitcoinDomainRequest.Reputation',
  'Impact:Runtime/CryptoMinerExecuted',
];

const RUNTIME_CRYPTO = [
  'CryptoCurrency:Runtime/BitcoinTool.B',
  'CryptoCurrency:Runtime/BitcoinTool.B!DNS',
  'Impact:Runtime/BitcoinDomainRequest.Reputation',
  'Impact:Runtime/CryptoMinerExecuted',
];

// Other families, some sharing a prefix with crypto types (Impact:EC2/, :Runtime/): the rule must not take them.
const NOT_CRYPTO_ON_INSTANCE = [
  'UnauthorizedAccess:EC2/SSHBruteForce',
  'Backdoor:EC2/C&CActivity.B',
  'Recon:EC2/PortProbeUnprotectedPort',
  'Trojan:EC2/DNSDataExfiltration',
  'Impact:EC2/PortSweep',
  'Impact:EC2/MaliciousDomainRequest.Reputation',
  'Execution:Runtime/NewBinaryExecuted',
];

export function findingEventCases(): FindingEventCase[] {
  const cases: FindingEventCase[] = [
    ...CRYPTO_ON_INSTANCE.map((type) => ({
      name: `${type} on an instance`,
      event: onInstance(type),
      shouldArrive: true,
    })),
    {
      // domain.md §1: this type is raised on Lambda functions only; delivered all the same (the engine decides).
      name: 'CryptoCurrency:Lambda/BitcoinTool.B claimed on an instance',
      event: onInstance('CryptoCurrency:Lambda/BitcoinTool.B'),
      shouldArrive: true,
    },
    // Delivered though there is no instance: the engine reports them for a person (issue 14 §4).
    ...RUNTIME_CRYPTO.map((type) => ({ name: `${type} on an EKS cluster`, event: onEks(type), shouldArrive: true })),
    ...RUNTIME_CRYPTO.map((type) => ({
      name: `${type} on an ECS cluster`,
      event: onResource(type, { resourceType: 'ECSCluster', ecsClusterDetails: { name: 'prod', status: 'ACTIVE' } }),
      shouldArrive: true,
    })),
    {
      name: 'CryptoCurrency:Runtime/BitcoinTool.B on a container',
      event: onResource('CryptoCurrency:Runtime/BitcoinTool.B', {
        resourceType: 'Container',
        containerDetails: { name: 'miner', image: 'xmrig' },
      }),
      shouldArrive: true,
    },
    {
      name: 'CryptoCurrency:Lambda/BitcoinTool.B on a Lambda function',
      event: onResource('CryptoCurrency:Lambda/BitcoinTool.B', {
        resourceType: 'Lambda',
        lambdaDetails: { functionName: 'miner' },
      }),
      shouldArrive: true,
    },
    ...NOT_CRYPTO_ON_INSTANCE.map((type) => ({
      name: `${type} on an instance`,
      event: onInstance(type),
      shouldArrive: false,
    })),
    { name: 'the real EventBridge event of the fixtures', event: realEvent(), shouldArrive: true },
    {
      name: "GuardDuty's sample crypto-mining finding of the fixtures",
      event: rawFindingInEnvelope(
        loadFixtureObject('guardduty/gd_CryptoCurrency_EC2_BitcoinTool.B_sample_elastic-integrations.json'),
      ),
      shouldArrive: true,
    },
    {
      // Decision 0016: delivered, and the engine contains its instances only when its signals show crypto-mining.
      name: 'the AttackSequence:EC2/CompromisedInstanceGroup event of the fixtures',
      event: withUniqueId(
        loadFixtureObject(
          'guardduty/gd_AttackSequence_EC2_CompromisedInstanceGroup_api-reference.json',
        ) as unknown as GuardDutyFindingEventFixture,
      ),
      shouldArrive: true,
    },
    // The other attack sequences have no instance group to contain: not delivered.
    ...['AttackSequence:IAM/CompromisedCredentials', 'AttackSequence:EKS/CompromisedCluster'].map((type) => ({
      name: `${type}`,
      event: onEks(type),
      shouldArrive: false,
    })),
    {
      name: 'the SSH brute-force finding of the fixtures',
      event: rawFindingInEnvelope(
        localFixture('gd_NEG_UnauthorizedAccess_EC2_SSHBruteForce_sample_elastic-integrations.json'),
      ),
      shouldArrive: false,
    },
    {
      name: 'the container runtime finding with instanceDetails of the fixtures',
      event: rawFindingInEnvelope(
        localFixture(
          'gd_NEG_PrivilegeEscalation_Runtime_DockerSocketAccessed_Container_runtimeDetails_elastic-integrations.json',
        ),
      ),
      shouldArrive: false,
    },
  ];
  const imitation = onInstance('CryptoCurrency:EC2/BitcoinTool.B');
  cases.push({
    name: 'a crypto-mining finding from another source than GuardDuty',
    event: { ...imitation, source: 'custom.guardduty' },
    shouldArrive: false,
  });
  const otherDetailType = onInstance('CryptoCurrency:EC2/BitcoinTool.B');
  cases.push({
    name: 'a crypto-mining detail under another detail-type',
    event: { ...otherDetailType, 'detail-type': 'Security Hub Findings - Imported' },
    shouldArrive: false,
  });
  return cases;
}
