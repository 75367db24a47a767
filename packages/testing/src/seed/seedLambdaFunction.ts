import type { IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, type LambdaClient, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { requireValue } from './requireValue';
import { seedIamRole, trustService } from './seedIamRole';

export interface SeedLambdaFunctionOptions {
  readonly functionName: string;
  /** Its reserved concurrency; absent: none (unreserved). */
  readonly reservedConcurrency?: number;
}

export interface SeededLambdaFunction {
  readonly functionName: string;
  readonly functionArn: string;
}

/** An empty zip archive (its end-of-central-directory record alone): the emulator stores the code, never runs it. */
const EMPTY_ZIP = Uint8Array.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);

/** A Lambda function with an execution role of its own, created only (never invoked: no container runs). */
export async function seedLambdaFunction(
  clients: { readonly iam: IAMClient; readonly lambda: LambdaClient },
  options: SeedLambdaFunctionOptions,
): Promise<SeededLambdaFunction> {
  const role = await seedIamRole(clients.iam, {
    roleName: `${options.functionName}-execution`,
    trustPolicy: trustService('lambda.amazonaws.com'),
  });
  const created = await clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: options.functionName,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: role.arn,
      Code: { ZipFile: EMPTY_ZIP },
    }),
  );
  const functionArn = requireValue(created.FunctionArn, 'function ARN');
  if (options.reservedConcurrency !== undefined) {
    await clients.lambda.send(
      new PutFunctionConcurrencyCommand({
        FunctionName: options.functionName,
        ReservedConcurrentExecutions: options.reservedConcurrency,
      }),
    );
  }
  return { functionName: options.functionName, functionArn };
}
