import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { STACK_NAMES } from '@cryptominer-defense/central/deployment-names';
import { isCredentialError } from '../aws/profileSettings';
import { checkCentralResources } from './centralResourceChecks';
import { accessOr, type CheckResult, runCheck } from './checkResult';
import { checkForwarders, type ForwarderRegionClients } from './forwarderRuleChecks';
import { listTargetAccounts } from './listTargetAccounts';
import { type CentralDeployment, readCentralDeployment } from './readCentralDeployment';
import { checkResponderRoles } from './responderRoleChecks';

export interface DoctorOptions {
  /** The central stack's region. */
  readonly homeRegion: string;
  /** Default `CryptominerCentral`. */
  readonly stackName?: string;
  /** The regions with a forwarder; default the stack's `ProjectionRegions` but the home region. */
  readonly forwardedRegions?: readonly string[];
  readonly viaRoleName?: string;
  /** Accounts checked at once. */
  readonly concurrency: number;
  /** With an emulator, S3 needs path-style addressing. */
  readonly forcePathStyle: boolean;
}

async function checkMemberAccounts(
  deployment: CentralDeployment,
  options: DoctorOptions,
  sts: STSClient,
  organizations: OrganizationsClient,
): Promise<CheckResult[]> {
  const targets = deployment.targetOrganizationalUnitIds.join(', ');
  let accountIds: string[] = [];
  const listing = await runCheck(
    'accounts of the StackSet’s target OUs listed',
    targets,
    async () => {
      accountIds = await listTargetAccounts(organizations, deployment.targetOrganizationalUnitIds);
    },
    (code) =>
      accessOr(
        code,
        'organizations:ListAccountsForParent',
        `Check the stack's TargetOrganizationalUnitIds (${targets}): each must be an OU or root of the organization.`,
      ),
  );
  const roles = await checkResponderRoles(
    {
      sts,
      region: options.homeRegion,
      partition: deployment.partition,
      responderRoleName: deployment.responderRoleName,
      concurrency: options.concurrency,
      ...(options.viaRoleName === undefined ? {} : { viaRoleName: options.viaRoleName }),
    },
    accountIds,
  );
  return [listing, ...roles];
}

/**
 * Every check of `cli doctor`, read-only: the central stack, then at once its home-region resources, the forwarder
 * rule of each forwarded region, and the responder role in every account of the StackSet's target OUs.
 */
export async function runDoctor(options: DoctorOptions): Promise<CheckResult[]> {
  const region = options.homeRegion;
  const stackName = options.stackName ?? STACK_NAMES.central;
  const cloudFormation = new CloudFormationClient({ region });
  const central = {
    s3: new S3Client({ region, forcePathStyle: options.forcePathStyle }),
    sqs: new SQSClient({ region }),
    lambda: new LambdaClient({ region }),
    cloudWatch: new CloudWatchClient({ region }),
    eventBridge: new EventBridgeClient({ region }),
  };
  const sts = new STSClient({ region });
  const organizations = new OrganizationsClient({ region });
  const forwarderClients = new Map<string, ForwarderRegionClients>();
  const clientsIn = (forwardedRegion: string) => {
    const clients = forwarderClients.get(forwardedRegion) ?? {
      eventBridge: new EventBridgeClient({ region: forwardedRegion }),
      cloudWatch: new CloudWatchClient({ region: forwardedRegion }),
    };
    forwarderClients.set(forwardedRegion, clients);
    return clients;
  };
  try {
    let deployment: CentralDeployment | undefined;
    let unusableCredentials: unknown;
    const stackRow = await runCheck(
      'central stack deployed',
      `${stackName} (${region})`,
      async () => {
        deployment = await readCentralDeployment(cloudFormation, stackName, region).catch((error: unknown) => {
          if (isCredentialError(error)) unusableCredentials = error;
          throw error;
        });
      },
      (code) => accessOr(code, 'cloudformation:DescribeStacks', 'Set AWS_REGION to the central stack’s region.'),
    );
    // The operator's own credentials do not work (the first call): no row could say more than that, so the CLI
    // says it once, naming the profile and the fix, as for every other command.
    if (unusableCredentials !== undefined) throw unusableCredentials;
    if (deployment === undefined) return [stackRow];
    const [resources, forwarders, members] = await Promise.all([
      checkCentralResources(central, deployment),
      checkForwarders(options.forwardedRegions ?? deployment.forwardedRegions, deployment.forwardingBusArn, clientsIn),
      checkMemberAccounts(deployment, options, sts, organizations),
    ]);
    return [stackRow, ...resources, ...forwarders, ...members];
  } finally {
    for (const client of [
      cloudFormation,
      ...Object.values(central),
      sts,
      organizations,
      ...[...forwarderClients.values()].flatMap((clients) => [clients.eventBridge, clients.cloudWatch]),
    ]) {
      client.destroy();
    }
  }
}
