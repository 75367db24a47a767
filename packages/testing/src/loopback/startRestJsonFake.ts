import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { signedCallerOf } from '../cloudtrail/callerIdentity';
import { listenOnLoopback } from './listenOnLoopback';
import { readRequestBody } from './readRequestBody';

/** An error answered as the AWS REST-JSON protocol does: `x-amzn-errortype` and `{"__type", "message"}`. */
export class RestJsonApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'RestJsonApiError';
  }
}

/** One operation the fake answers itself: its method, its path (named groups are the URI parameters). */
export interface RestJsonOperation {
  readonly name: string;
  readonly method: string;
  readonly path: RegExp;
  /** The answer's body (status 200); throws RestJsonApiError to answer an error. */
  answer(body: Record<string, unknown>, parameters: Record<string, string>, region: string): unknown;
}

/** One request the fake answered itself (not the ones it forwarded). */
export interface RestJsonFakeCall {
  readonly operation: string;
  readonly region: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly request: Readonly<Record<string, unknown>>;
  /** `ok`, or the error code answered. */
  readonly outcome: string;
}

export interface RestJsonFake {
  /** `http://127.0.0.1:<port>`: the service's AWS_ENDPOINT_URL_<SERVICE>. */
  readonly endpoint: string;
  /** Every request the fake answered itself, oldest first. */
  readonly calls: readonly RestJsonFakeCall[];
  /** From now on, every operation of the fake answers this error (undefined: answer normally again). */
  failWith(error: RestJsonApiError | undefined): void;
  stop(): Promise<void>;
}

function answer(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-requestid': crypto.randomUUID(),
    ...(errorType !== undefined && { 'x-amzn-errortype': errorType }),
  });
  response.end(JSON.stringify(body));
}

/** Passes a request the fake does not answer to the emulator, unchanged but for the host. */
function forward(target: URL, request: IncomingMessage, body: string, response: ServerResponse): void {
  const upstream = httpRequest(
    {
      hostname: target.hostname,
      port: target.port,
      method: request.method,
      path: request.url,
      headers: { ...request.headers, host: target.host },
    },
    (answered) => {
      response.writeHead(answered.statusCode ?? 502, answered.headers);
      answered.pipe(response);
    },
  );
  upstream.on('error', (error) => answer(response, 502, { __type: 'InternalFailure', message: String(error) }));
  upstream.end(body);
}

/**
 * A loopback stand-in for the operations of a REST-JSON AWS service that moto lacks: those in `operations` are
 * answered here (each checks the documented request shape), every other request goes on to `forwardTo` (moto), so
 * one endpoint variable serves the whole service.
 */
export async function startRestJsonFake(options: {
  readonly operations: readonly RestJsonOperation[];
  readonly forwardTo?: string;
}): Promise<RestJsonFake> {
  const calls: RestJsonFakeCall[] = [];
  let failure: RestJsonApiError | undefined;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readRequestBody(request);
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const operation = options.operations.find(
      (candidate) => candidate.method === request.method && candidate.path.test(path),
    );
    if (operation === undefined) {
      if (options.forwardTo !== undefined) return forward(new URL(options.forwardTo), request, text, response);
      return answer(response, 404, { __type: 'UnknownOperationException', message: `${request.method} ${path}` });
    }
    const parameters = { ...operation.path.exec(path)?.groups };
    let region = 'us-east-1';
    let body: Record<string, unknown> = {};
    try {
      region = signedCallerOf(request.headers.authorization).region;
      try {
        body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      } catch (error) {
        throw new RestJsonApiError('SerializationException', `The request body is not JSON: ${String(error)}`);
      }
      if (failure !== undefined) throw failure;
      const result = operation.answer(body, parameters, region);
      calls.push({ operation: operation.name, region, parameters, request: body, outcome: 'ok' });
      answer(response, 200, result);
    } catch (error) {
      const apiError =
        error instanceof RestJsonApiError ? error : new RestJsonApiError('InternalException', String(error), 500);
      calls.push({ operation: operation.name, region, parameters, request: body, outcome: apiError.code });
      answer(response, apiError.status, { __type: apiError.code, message: apiError.message }, apiError.code);
    }
  }

  const server = await listenOnLoopback(handle);
  return {
    endpoint: server.endpoint,
    calls,
    failWith: (error) => {
      failure = error;
    },
    stop: server.stop,
  };
}
