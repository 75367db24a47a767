/**
 * A real EventBridge "GuardDuty Finding" event (CryptoCurrency:EC2/BitcoinTool.B!DNS), as its author published it
 * with the account id and timestamps masked (`XXXX…`). Source: github.com/jbarreto7991/aws-solutionsarchitectassociate,
 * Lab-39/README-Lab39.md (the same file as tests/fixtures/eb_GuardDutyFinding_CryptoCurrency_EC2_BitcoinTool.B_DNS_real_jbarreto7991.json,
 * which a test compares it with). simulatedFindingEvent builds on its shape.
 */
export const REAL_GUARDDUTY_FINDING_EVENT: Readonly<Record<string, unknown>> = Object.freeze({
  version: '0',
  id: 'af02477f-d4ae-f42c-3bba-d36e657497c5',
  'detail-type': 'GuardDuty Finding',
  source: 'aws.guardduty',
  account: 'XXXXXXXXXXXX',
  time: 'XXXX-XX-XXTXX:XX:XXZ',
  region: 'us-east-1',
  resources: [],
  detail: {
    schemaVersion: '2.0',
    accountId: 'XXXXXXXXXXXX',
    region: 'us-east-1',
    partition: 'aws',
    id: '92c1a1d65b221e96d6a6fae27aaaae43',
    arn: 'arn:aws:guardduty:us-east-1:XXXXXXXXXXXX:detector/e2c1a19ae1a4e786e58e2a5abed1340a/finding/92c1a1d65b221e96d6a6fae27aaaae43',
    type: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
    resource: {
      resourceType: 'Instance',
      instanceDetails: {
        instanceId: 'i-00aa97663294ffbbd',
        instanceType: 't2.nano',
        launchTime: 'XXXX-XX-XXTXX:XX:XXZ',
        platform: null,
        productCodes: [],
        iamInstanceProfile: null,
        networkInterfaces: [
          {
            ipv6Addresses: [],
            networkInterfaceId: 'eni-0b2a816e2859d3b70',
            privateDnsName: 'ip-172-31-32-167.ec2.internal',
            privateIpAddress: '172.31.32.167',
            privateIpAddresses: [
              {
                privateDnsName: 'ip-172-31-32-167.ec2.internal',
                privateIpAddress: '172.31.32.167',
              },
            ],
            subnetId: 'subnet-19324346',
            vpcId: 'vpc-dd59d8a0',
            securityGroups: [
              {
                groupName: 'default',
                groupId: 'sg-2f266b2f',
              },
            ],
            publicDnsName: 'ec2-3-81-58-153.compute-1.amazonaws.com',
            publicIp: '3.81.58.153',
          },
        ],
        outpostArn: null,
        tags: [],
        instanceState: 'running',
        availabilityZone: 'us-east-1c',
        imageId: 'ami-02538f8925e3aa27a',
        imageDescription: 'Amazon Linux 2 AMI 2.0.20220805.0 x86_64 HVM gp2',
      },
    },
    service: {
      serviceName: 'guardduty',
      detectorId: 'e2c1a19ae1a4e786e58e2a5abed1340a',
      action: {
        actionType: 'DNS_REQUEST',
        dnsRequestAction: {
          domain: 'pool.minergate.com',
          protocol: 'UDP',
          blocked: false,
        },
      },
      resourceRole: 'TARGET',
      additionalInfo: {
        threatListName: 'ProofPoint',
        value: '{"threatListName":"ProofPoint"}',
        type: 'default',
      },
      evidence: {
        threatIntelligenceDetails: [
          {
            threatListName: 'ProofPoint',
            threatNames: [],
          },
        ],
      },
      eventFirstSeen: 'XXXX-XX-XXTXX:XX:XXZ',
      eventLastSeen: 'XXXX-XX-XXTXX:XX:XXZ',
      archived: false,
      count: 278,
    },
    severity: 8,
    createdAt: 'XXXX-XX-XXTXX:XX:XXZ',
    updatedAt: 'XXXX-XX-XXTXX:XX:XXZ',
    title: 'Bitcoin-related domain name queried by EC2 instance i-00aa97663294ffbbd.',
    description:
      'EC2 instance i-00aa97663294ffbbd is querying a domain name that is associated with Bitcoin-related activity.',
  },
});
