import { readFileSync } from 'node:fs';

/** Reads a JSON fixture of this folder (see fixtures/README.md for where each comes from). */
export function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
}

export const REAL_EVENT = 'eb_GuardDutyFinding_CryptoCurrency_EC2_BitcoinTool.B_DNS_real_jbarreto7991.json';
export const SAMPLE_FINDING = 'gd_CryptoCurrency_EC2_BitcoinTool.B_sample_elastic-integrations.json';
export const SSH_BRUTE_FORCE_FINDING = 'gd_NEG_UnauthorizedAccess_EC2_SSHBruteForce_sample_elastic-integrations.json';
export const CONTAINER_RUNTIME_FINDING =
  'gd_NEG_PrivilegeEscalation_Runtime_DockerSocketAccessed_Container_runtimeDetails_elastic-integrations.json';

/** The real event with its masked account id and times filled in (the author masked them as XXXX…). */
export function realCryptoEvent(): Record<string, unknown> {
  const text = JSON.stringify(readFixture(REAL_EVENT))
    .replaceAll('XXXXXXXXXXXX', '111122223333')
    .replaceAll('XXXX-XX-XXTXX:XX:XXZ', '2026-11-26T10:00:00Z');
  return JSON.parse(text);
}

/** Wraps a raw finding (GetFindings shape) in the EventBridge envelope, as the central function gets it. */
export function eventOf(finding: unknown): Record<string, unknown> {
  return {
    version: '0',
    id: 'c7c8c9ca-0000-4000-8000-000000000001',
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account: '999988887777',
    time: '2026-11-26T10:00:00Z',
    region: 'us-east-2',
    resources: [],
    detail: finding,
  };
}
