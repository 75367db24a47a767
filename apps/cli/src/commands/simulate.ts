import { isCryptoMiningFindingType, simulatedInstanceFindingEvent } from '@cryptominer-defense/core';
import { type Command, UsageError } from '../command';
import { parseCommandFlags, requireFlag } from '../flags/parseCommandFlags';
import { outputFlags, outputFormatOf, writeOutput } from '../output/outputFormat';

const HELP = `Usage: cli simulate --type <finding type> --account <id> --region <r> --instance <id>
                    [--eni <eni-id>:<vpc-id> …] [--finding-id <id>] [--admin-account <id>] [--sample]
                    [--output json]

Prints one well-formed EventBridge "GuardDuty Finding" event on stdout (built on a real GuardDuty event),
for testing a deployment (put it on the bus with "aws events put-events") or for "cli respond --event -":

  cli simulate --type CryptoCurrency:EC2/BitcoinTool.B!DNS --account 111122223333 --region us-east-1 \\
    --instance i-0123456789abcdef0 | cli respond --event -

  --type           the GuardDuty finding type (any type: a non-crypto one shows what is ignored)
  --account        the affected member account (12 digits)
  --region         the region the finding is raised in
  --instance       the EC2 instance id (i-…)
  --eni            a network interface of the instance and its VPC, repeatable (default: one made-up ENI;
                   the responder reads the real ENIs from EC2, not from the finding)
  --finding-id     detail.id (default: random, like GuardDuty's); reuse one to simulate a repeated finding
  --admin-account  the delegated-admin account that receives the event (default: --account)
  --sample         mark it as a GuardDuty sample finding (the responder never acts on those)
  --output json    the only format (--json likewise): an event is a JSON document, not a table

Nothing is sent anywhere. Exit: 0 printed; 2 invalid usage (a warning on stderr for a type that is not
crypto-mining: the event is still printed).`;

const ACCOUNT_ID = /^\d{12}$/;
const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

function networkInterfaceOf(value: string): { networkInterfaceId: string; vpcId: string } {
  const match = /^(eni-[0-9a-f]+):(vpc-[0-9a-f]+)$/.exec(value);
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new UsageError(`simulate: --eni "${value}" is not <eni-id>:<vpc-id> (e.g. eni-0a1b2c3d:vpc-0a1b2c3d).`);
  }
  return { networkInterfaceId: match[1], vpcId: match[2] };
}

const FLAGS = {
  type: { type: 'string' },
  account: { type: 'string' },
  region: { type: 'string' },
  instance: { type: 'string' },
  eni: { type: 'string', multiple: true },
  'finding-id': { type: 'string' },
  'admin-account': { type: 'string' },
  sample: { type: 'boolean', default: false },
  ...outputFlags(['json']),
} as const;

/** Prints a finding event, built by core's builder (the one the tests use, through the testing package). */
export const simulate: Command = {
  summary: 'Print a well-formed GuardDuty finding event (for testing a deployment, or for respond)',
  help: HELP,
  flags: FLAGS,
  async run(args, io) {
    const { values } = parseCommandFlags('simulate', args, FLAGS);
    const output = outputFormatOf('simulate', values, ['json']);
    const type = requireFlag('simulate', 'type', values.type);
    const accountId = requireFlag('simulate', 'account', values.account);
    const region = requireFlag('simulate', 'region', values.region);
    const instanceId = requireFlag('simulate', 'instance', values.instance);
    if (!ACCOUNT_ID.test(accountId)) {
      throw new UsageError(`simulate: --account "${accountId}" is not an AWS account id (12 digits).`);
    }
    const admin = values['admin-account'];
    if (admin !== undefined && !ACCOUNT_ID.test(admin)) {
      throw new UsageError(`simulate: --admin-account "${admin}" is not an AWS account id (12 digits).`);
    }
    if (!REGION.test(region)) throw new UsageError(`simulate: --region "${region}" is not a region (e.g. us-east-1).`);
    if (!INSTANCE_ID.test(instanceId)) {
      throw new UsageError(`simulate: --instance "${instanceId}" is not an instance id (i- and 8 or 17 hex digits).`);
    }
    const findingId = values['finding-id'];
    if (findingId !== undefined && !/^[A-Za-z0-9_.:-]{1,300}$/.test(findingId)) {
      throw new UsageError(
        `simulate: --finding-id "${findingId}" may hold only letters, digits and _ . : - (1 to 300).`,
      );
    }
    const networkInterfaces = values.eni?.map(networkInterfaceOf);
    if (!isCryptoMiningFindingType(type)) {
      io.stderr.write(`Note: ${type} is not a crypto-mining finding type: the responder will ignore this event.\n`);
    }
    const event = simulatedInstanceFindingEvent({
      type,
      accountId,
      region,
      instanceId,
      sample: values.sample,
      ...(networkInterfaces === undefined ? {} : { networkInterfaces }),
      ...(findingId === undefined ? {} : { findingId }),
      ...(admin === undefined ? {} : { adminAccountId: admin }),
    });
    writeOutput(io, output, { json: () => event });
    return 0;
  },
};
