import { iamActionOf } from './iamActionOf';

/** One AWS call a client made, as the IAM action that authorizes it. */
export interface RecordedAwsCall {
  /** e.g. `ec2:DescribeInstances`. */
  readonly action: string;
  readonly clientName: string;
  readonly commandName: string;
  readonly accountId?: string;
  readonly region?: string;
  /** `ok`, or the error name the call ended with (AccessDenied, ThrottlingException, …). */
  readonly outcome: string;
  /**
   * The command's input as the client was given it (`{ InstanceIds: [...] }`): what `authorizedRequestsOf`
   * reads the resource ARNs and condition keys of the real request from.
   */
  readonly input: Readonly<Record<string, unknown>>;
}

/** Where the recorder is told the calls go, when the client cannot say it. */
export interface RecordingOptions {
  readonly accountId?: string;
  readonly region?: string;
}

type NextHandler<I, O> = (args: I) => Promise<O>;

function inputOf(args: unknown): Readonly<Record<string, unknown>> {
  const input = typeof args === 'object' && args !== null && 'input' in args ? args.input : undefined;
  // A shallow copy: the call's input as sent, even if the caller reuses the object afterwards.
  return typeof input === 'object' && input !== null ? { ...(input as Record<string, unknown>) } : {};
}
interface HandlerContext {
  readonly clientName?: string;
  readonly commandName?: string;
}
type RecordingMiddleware = <I, O>(next: NextHandler<I, O>, context: HandlerContext) => NextHandler<I, O>;
interface MiddlewareOptions {
  readonly step: 'initialize';
  readonly name: string;
  readonly override: boolean;
}

/** The part of any SDK v3 client's middleware stack the recorder uses. */
export interface RecordableMiddlewareStack {
  add(middleware: RecordingMiddleware, options: MiddlewareOptions): void;
}

/** The part of any SDK v3 client the recorder uses (`new EC2Client(...)` and every other client fit). */
export interface RecordableClient {
  readonly middlewareStack: RecordableMiddlewareStack;
  readonly config: { readonly region?: unknown; readonly credentials?: unknown };
}

/** Adds recording to a client: the shape of the responder client factory's hook. */
export type AwsClientHook = (client: RecordableClient) => void;

/** An SDK Pluggable: `client.middlewareStack.use(recorder.plugin())`. */
export interface RecordingPlugin {
  applyToStack(stack: RecordableMiddlewareStack): void;
}

const MIDDLEWARE_NAME = 'awsActionRecorder';

async function resolveProvider(provider: unknown): Promise<unknown> {
  return typeof provider === 'function' ? await (provider as () => unknown)() : provider;
}

/** The region and account a client acts in, as far as its resolved configuration tells. */
async function whereClientActs(client: RecordableClient): Promise<RecordingOptions> {
  try {
    const region = await resolveProvider(client.config.region);
    const credentials = await resolveProvider(client.config.credentials);
    const accountId =
      typeof credentials === 'object' && credentials !== null && 'accountId' in credentials
        ? credentials.accountId
        : undefined;
    return {
      ...(typeof region === 'string' && { region }),
      ...(typeof accountId === 'string' && { accountId }),
    };
  } catch {
    // A client whose credentials cannot resolve will fail its call anyway; the call is still recorded.
    return {};
  }
}

/**
 * Records every call that the clients it is attached to make, as IAM actions. The least-privilege test compares
 * `actions()` with what the roles grant.
 */
export class AwsActionRecorder {
  private readonly recorded: RecordedAwsCall[] = [];

  get calls(): readonly RecordedAwsCall[] {
    return this.recorded;
  }

  /** The distinct actions called, sorted; only those of one account when given. */
  actions(filter: { readonly accountId?: string; readonly outcome?: 'ok' } = {}): string[] {
    const matching = this.recorded.filter(
      (call) =>
        (filter.accountId === undefined || call.accountId === filter.accountId) &&
        (filter.outcome === undefined || call.outcome === filter.outcome),
    );
    return [...new Set(matching.map((call) => call.action))].sort();
  }

  clear(): void {
    this.recorded.length = 0;
  }

  /** `(client) => void`: attach to a client; region and account come from its configuration unless given. */
  hook(options: RecordingOptions = {}): AwsClientHook {
    return (client) => {
      let where: Promise<RecordingOptions> | undefined;
      this.attach(client.middlewareStack, async () => {
        where ??= whereClientActs(client);
        return { ...(await where), ...options };
      });
    };
  }

  /** The same as an SDK Pluggable (it sees only the stack, so the account and region are what you pass). */
  plugin(options: RecordingOptions = {}): RecordingPlugin {
    return { applyToStack: (stack) => this.attach(stack, async () => options) };
  }

  private attach(stack: RecordableMiddlewareStack, where: () => Promise<RecordingOptions>): void {
    const record = (
      context: HandlerContext,
      outcome: string,
      location: RecordingOptions,
      input: RecordedAwsCall['input'],
    ) => {
      const clientName = context.clientName ?? 'UnknownClient';
      const commandName = context.commandName ?? 'UnknownCommand';
      this.recorded.push({
        action: iamActionOf(clientName, commandName) ?? `unknown:${commandName}`,
        clientName,
        commandName,
        ...location,
        outcome,
        input,
      });
    };
    const middleware: RecordingMiddleware = (next, context) => async (args) => {
      const location = await where();
      const input = inputOf(args);
      try {
        const result = await next(args);
        record(context, 'ok', location, input);
        return result;
      } catch (error) {
        record(context, error instanceof Error ? error.name : 'UnknownError', location, input);
        throw error;
      }
    };
    stack.add(middleware, { step: 'initialize', name: MIDDLEWARE_NAME, override: true });
  }
}
