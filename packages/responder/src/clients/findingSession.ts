import { AsyncLocalStorage } from 'node:async_hooks';

/** The finding a response acts for: set around each response, read by the clients it uses. */
const findingInScope = new AsyncLocalStorage<string>();

/** Runs the response of one finding; every change it makes in a member account goes under that finding's session. */
export function withFindingSession<T>(findingId: string, respond: () => Promise<T>): Promise<T> {
  return findingInScope.run(findingId, respond);
}

/** The finding whose response is running here, if any. */
export function currentFindingId(): string | undefined {
  return findingInScope.getStore();
}

/**
 * What STS accepts in a session name and a source identity: 2 to 64 of `[\w+=,.@-]`. An attack sequence's instance
 * (`<findingId>/instance/<i-…>`, 61 characters for a 32-character id) is named `cmd-<findingId>-<i-…>`, so the whole
 * instance id fits; a linked incident (`<findingId>/linked/<i-…>`) is `cmd-<findingId>-linked-<i-…>`, 63 characters.
 */
export function findingSessionName(findingId: string): string {
  return `cmd-${findingId.replace('/instance/', '-').replace(/[^\w+=,.@-]/g, '-')}`.slice(0, 64);
}

/** The calls that only read: they go under the account's cached session, without waiting for the finding's. */
export function isReadOnlyCommand(commandName: string): boolean {
  return /^(Describe|Get|List|Lookup)/.test(commandName);
}

/** `@smithy/types` SMITHY_CONTEXT_KEY: where the SDK keeps the command being sent. */
const SMITHY_CONTEXT_KEY = '__smithy_context';

/** A client that can send a command (every SDK v3 client). */
export interface CommandSender {
  send(command: never): Promise<unknown>;
}

/**
 * A middleware for the shared member-account clients: a call that changes something, made during a finding's
 * response, is sent instead by a client of that finding's own session (session name and SourceIdentity
 * `cmd-<findingId>`), so the member account's CloudTrail ties every change to its finding, and role chaining cannot
 * drop the SourceIdentity. Reads stay on the shared client and the account's cached session: the finding's session
 * is assumed while they are on the wire, so the way to isolation gets no extra round trip. First of the initialize
 * step: a call handed on is recorded and retried by the client that sends it, not twice.
 */
export function findingSessionMiddleware(clientOfFinding: (findingId: string) => CommandSender) {
  return <Output>(
    next: (args: unknown) => Promise<Output>,
    context: Record<string, unknown>,
  ): ((args: unknown) => Promise<Output>) =>
    async (args) => {
      const findingId = currentFindingId();
      const commandName = typeof context.commandName === 'string' ? context.commandName : '';
      const command = (context[SMITHY_CONTEXT_KEY] as { commandInstance?: unknown } | undefined)?.commandInstance;
      if (findingId === undefined || command === undefined || isReadOnlyCommand(commandName)) return next(args);
      const output = await clientOfFinding(findingId).send(command as never);
      return { output, response: undefined } as Output;
    };
}
