// The cold-import floor (`pnpm bench`, measureFloor.ts): a Lambda entry that only creates the four clients the
// responder cannot isolate without (Organizations for the membership check, S3 for the claim, STS for the role,
// EC2 for the instance and its ENIs), bundled exactly as the responder is. Whatever the responder loads at a cold
// start, it loads at least this; its ratio to `node -e 0` is the lowest the responder's can be.
import { EC2Client } from '@aws-sdk/client-ec2';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';

const region = process.env.AWS_REGION ?? 'us-east-1';
const clients = [
  new OrganizationsClient({ region }),
  new S3Client({ region }),
  new STSClient({ region }),
  new EC2Client({ region }),
];

export const handler = async (): Promise<number> => clients.length;
