import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { clientConfigForAccount } from '../emulator/credentialsForAccount';

/** The clients that seed one account in one region. */
export interface AccountClients {
  readonly accountId: string;
  readonly region: string;
  readonly ec2: EC2Client;
  readonly autoScaling: AutoScalingClient;
  readonly iam: IAMClient;
  readonly lambda: LambdaClient;
  /** Closes the clients' sockets. */
  destroy(): void;
}

/** Clients acting in `accountId` (through AssumeRole, as the responder does) in `region`. */
export async function accountClients(endpoint: string, accountId: string, region: string): Promise<AccountClients> {
  const config = await clientConfigForAccount(endpoint, accountId, { region });
  const ec2 = new EC2Client(config);
  const autoScaling = new AutoScalingClient(config);
  const iam = new IAMClient(config);
  const lambda = new LambdaClient(config);
  return {
    accountId,
    region,
    ec2,
    autoScaling,
    iam,
    lambda,
    destroy: () => {
      ec2.destroy();
      autoScaling.destroy();
      iam.destroy();
      lambda.destroy();
    },
  };
}
