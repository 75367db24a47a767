import type { IncomingMessage, ServerResponse } from 'node:http';
import { EMULATOR_DEFAULT_ACCOUNT_ID } from '../emulator/emulatorClientConfig';
import { listenOnLoopback } from '../loopback/listenOnLoopback';
import { readRequestBody } from '../loopback/readRequestBody';
import { type AccountResolver, emulatorAccountResolver, signedCallerOf } from './callerIdentity';
import { CloudTrailApiError } from './cloudTrailApiError';
import { CloudTrailEventStore } from './cloudTrailEventStore';
import type { CloudTrailRecord } from './cloudTrailRecord';
import { parseLookupQuery } from './lookupQuery';
import { ThrottlePolicy, type ThrottlingMode } from './throttlePolicy';

/*
 * The SDK v3 CloudTrailClient sends `X-Amz-Target: CloudTrail_20131101.LookupEvents`; botocore (the AWS CLI)
 * sends `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents`. Both are CloudTrail.
 */
const TARGET = /^(?:com\.amazonaws\.cloudtrail\.v20131101\.)?CloudTrail_20131101\.(\w+)$/;

/** One request the fake answered, for tests that check how the caller paged or backed off. */
export interface CloudTrailFakeCall {
  readonly operation: string;
  readonly accountId?: string;
  readonly region?: string;
  readonly request?: unknown;
  /** `ok`, or the error code answered. */
  readonly outcome: string;
}

export interface CloudTrailFake {
  /** `http://127.0.0.1:<port>`: set it as AWS_ENDPOINT_URL_CLOUDTRAIL. */
  readonly endpoint: string;
  readonly port: number;
  /** Adds records to the event history of their recipientAccountId and awsRegion. */
  addRecords(...records: CloudTrailRecord[]): void;
  clearRecords(): void;
  setThrottling(mode: ThrottlingMode | undefined): void;
  /** Every request so far, oldest first. */
  readonly calls: readonly CloudTrailFakeCall[];
  clearCalls(): void;
  stop(): Promise<void>;
}

export interface StartCloudTrailFakeOptions {
  /** The moto endpoint, used to find the account behind a caller's access key (STS GetCallerIdentity). */
  readonly emulatorEndpoint?: string;
  /** Overrides how a key maps to an account; default: ask the emulator, or the emulator's default account. */
  readonly accountResolver?: AccountResolver;
  readonly throttling?: ThrottlingMode;
  /** The clock the per-second throttling reads (ms); tests can pass a fixed one. Default Date.now. */
  readonly now?: () => number;
}

function answer(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': crypto.randomUUID(),
    ...(errorType !== undefined && { 'x-amzn-errortype': errorType }),
  });
  response.end(JSON.stringify(body));
}

/**
 * A loopback stand-in for CloudTrail's LookupEvents (moto answers it with a 500), speaking the JSON 1.1 protocol
 * the SDK's CloudTrailClient uses. It answers per account (from the caller's access key) and region (from the
 * SigV4 credential scope), pages like CloudTrail, and can throttle.
 */
export async function startCloudTrailFake(options: StartCloudTrailFakeOptions = {}): Promise<CloudTrailFake> {
  const store = new CloudTrailEventStore();
  const throttle = new ThrottlePolicy(options.throttling, options.now);
  const resolveAccount =
    options.accountResolver ??
    (options.emulatorEndpoint !== undefined
      ? emulatorAccountResolver(options.emulatorEndpoint)
      : async () => EMULATOR_DEFAULT_ACCOUNT_ID);
  const calls: CloudTrailFakeCall[] = [];

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = request.headers['x-amz-target'];
    const operation = (typeof target === 'string' && TARGET.exec(target)?.[1]) || '';
    let accountId: string | undefined;
    let region: string | undefined;
    let body: unknown;
    try {
      const text = await readRequestBody(request);
      if (request.method !== 'POST' || operation === '') {
        throw new CloudTrailApiError(
          'UnknownOperationException',
          `Expected POST with X-Amz-Target CloudTrail_20131101.<Operation>; got ${request.method} ${String(target)}.`,
        );
      }
      const caller = signedCallerOf(request.headers.authorization);
      region = caller.region;
      accountId = await resolveAccount(caller.accessKeyId);
      try {
        body = text === '' ? {} : JSON.parse(text);
      } catch (error) {
        throw new CloudTrailApiError('SerializationException', `The request body is not JSON: ${String(error)}`);
      }
      if (operation !== 'LookupEvents') {
        throw new CloudTrailApiError(
          'UnknownOperationException',
          `The CloudTrail fake implements LookupEvents only, not ${operation}.`,
        );
      }
      if (throttle.shouldThrottle(accountId, region)) {
        throw new CloudTrailApiError('ThrottlingException', 'Rate exceeded');
      }
      const page = store.lookup(accountId, region, parseLookupQuery(body));
      calls.push({ operation, accountId, region, request: body, outcome: 'ok' });
      answer(response, 200, page);
    } catch (error) {
      const apiError =
        error instanceof CloudTrailApiError
          ? error
          : new CloudTrailApiError('InternalFailure', `The CloudTrail fake failed: ${String(error)}`, 500);
      calls.push({
        operation: operation || String(target),
        ...(accountId !== undefined && { accountId }),
        ...(region !== undefined && { region }),
        ...(body !== undefined && { request: body }),
        outcome: apiError.code,
      });
      answer(response, apiError.status, { __type: apiError.code, message: apiError.message }, apiError.code);
    }
  }

  const server = await listenOnLoopback(handle);
  return {
    endpoint: server.endpoint,
    port: server.port,
    addRecords: (...records) => store.add(...records),
    clearRecords: () => store.clear(),
    setThrottling: (mode) => throttle.set(mode),
    calls,
    clearCalls: () => {
      calls.length = 0;
    },
    stop: server.stop,
  };
}
