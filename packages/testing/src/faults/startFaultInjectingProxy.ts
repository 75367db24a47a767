import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { awsErrorResponse, type ErrorFaultKind } from './awsErrorResponse';
import { type FaultKind, type FaultRule, FaultSchedule } from './faultRules';
import { type AwsRequestIdentity, identifyAwsRequest, isReadOnlyOperation } from './identifyAwsRequest';

/** One call that went through the proxy, with what the proxy did to it. */
export interface ProxiedCall extends AwsRequestIdentity {
  readonly sequence: number;
  /** The fault injected, if any (`latency` calls are still forwarded). */
  readonly faults: readonly FaultKind[];
  /** The HTTP status the caller got; 0 for a dropped connection. */
  readonly status: number;
  readonly readOnly: boolean;
  /** A forwarded call: where to, and when the upstream was asked and had answered (performance.now() ms). */
  readonly upstream?: { readonly target: string; readonly startMs: number; readonly endMs: number };
}

export interface FaultInjectingProxyOptions {
  /** Where calls go by default (the emulator's endpoint). */
  readonly target: string;
  /** Per signing name, another destination (for example `cloudtrail` → the LookupEvents fake). */
  readonly serviceTargets?: Readonly<Record<string, string>>;
  readonly rules?: readonly FaultRule[];
  /** Latency added to every forwarded call, in ms, on top of any rule (the benchmark's round-trip cost). */
  readonly addedLatencyMs?: number;
  /** Seed of the generator behind `rate` rules. Default 1. */
  readonly seed?: number;
}

/** A loopback HTTP proxy in front of the emulator that injects AWS faults per service and operation. */
export interface FaultInjectingProxy {
  /** `http://127.0.0.1:<port>`: use it as `AWS_ENDPOINT_URL`. */
  readonly endpoint: string;
  /** Every call so far, in arrival order. */
  readonly calls: readonly ProxiedCall[];
  /** The calls so far that could have changed something (anything but reads and look-ups). */
  mutatingCalls(): ProxiedCall[];
  setRules(rules: readonly FaultRule[]): void;
  clearCalls(): void;
  stop(): Promise<void>;
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

async function readBody(incoming: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function forward(target: string, incoming: IncomingMessage, body: Buffer, outgoing: ServerResponse): Promise<number> {
  const destination = new URL(incoming.url ?? '/', target);
  return new Promise((resolve) => {
    const upstream = request(
      destination,
      { method: incoming.method, headers: { ...incoming.headers, host: destination.host } },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
        answer.on('end', () => resolve(answer.statusCode ?? 502));
      },
    );
    upstream.on('error', (error) => {
      outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end(`fault-injecting proxy: the upstream ${target} failed: ${error.message}`);
      resolve(502);
    });
    upstream.end(body);
  });
}

const ERROR_FAULTS: readonly FaultKind[] = ['throttle', 'serverError', 'accessDenied'];

export async function startFaultInjectingProxy(options: FaultInjectingProxyOptions): Promise<FaultInjectingProxy> {
  const schedule = new FaultSchedule(options.rules ?? [], options.seed);
  const calls: ProxiedCall[] = [];

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const body = await readBody(incoming);
    const identity = identifyAwsRequest(
      incoming.method ?? 'GET',
      incoming.url ?? '/',
      incoming.headers,
      body.toString('utf8'),
    );
    const fired = schedule.faultsFor(identity, Date.now());
    const record = (status: number, upstream?: ProxiedCall['upstream']) =>
      calls.push({
        ...identity,
        sequence: calls.length + 1,
        faults: fired.map((rule) => rule.fault),
        status,
        readOnly: isReadOnlyOperation(identity.operation),
        ...(upstream === undefined ? {} : { upstream }),
      });
    await delay((options.addedLatencyMs ?? 0) + fired.reduce((sum, rule) => sum + (rule.latencyMs ?? 0), 0));
    if (fired.some((rule) => rule.fault === 'dropConnection')) {
      record(0);
      incoming.socket.destroy();
      return;
    }
    const errorRule = fired.find((rule) => ERROR_FAULTS.includes(rule.fault));
    if (errorRule !== undefined) {
      const answer = awsErrorResponse(errorRule.fault as ErrorFaultKind, identity, randomUUID());
      record(answer.status);
      outgoing.writeHead(answer.status, answer.headers);
      outgoing.end(answer.body);
      return;
    }
    const target = options.serviceTargets?.[identity.service] ?? options.target;
    const startMs = performance.now();
    const status = await forward(target, incoming, body, outgoing);
    record(status, { target, startMs, endMs: performance.now() });
  }

  const server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch((error: unknown) => {
      if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'text/plain' });
      outgoing.end(`fault-injecting proxy failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    mutatingCalls: () => calls.filter((call) => !call.readOnly),
    setRules: (rules) => schedule.replaceRules(rules),
    clearCalls: () => {
      calls.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
