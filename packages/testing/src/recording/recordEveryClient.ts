import type { AwsActionRecorder, RecordableClient } from './awsActionRecorder';

/** The part of an SDK v3 client class the recording patches: its prototype's `send`. */
export interface SendingClientClass {
  readonly prototype: object;
}

type Send = (this: RecordableClient, command: unknown, ...rest: unknown[]) => Promise<unknown>;

interface AssumedCredentials {
  readonly Credentials?: { readonly AccessKeyId?: string };
}

async function accessKeyIdOf(client: RecordableClient): Promise<string | undefined> {
  try {
    const provider = client.config.credentials;
    const credentials = typeof provider === 'function' ? await (provider as () => unknown)() : provider;
    const id = (credentials as { accessKeyId?: unknown } | undefined)?.accessKeyId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    // Credentials that do not resolve fail the call itself; it is still recorded, in the default account.
    return undefined;
  }
}

/** The account of `arn:aws:iam::<account>:role/…`. */
function accountOfRoleArn(roleArn: unknown): string | undefined {
  const account = typeof roleArn === 'string' ? roleArn.split(':')[4] : undefined;
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

/**
 * Records the calls of every client a program makes for itself, for code that builds its own clients and offers
 * no hook (the CLI's commands): `send` of the SDK's base client class is wrapped so that each client gets the
 * recorder's middleware before its first call. The account a call acts in is told by its credentials: the
 * access key of a session `sts:AssumeRole` returned acts in the role's account (as moto and AWS do), any other
 * in `defaultAccountId`. `classes` are any of the SDK's client classes (they share the base class; the first is
 * enough, more are harmless). Returns the function that puts `send` back.
 */
export function recordEveryClient(
  recorder: AwsActionRecorder,
  classes: readonly SendingClientClass[],
  options: { readonly defaultAccountId: string },
): () => void {
  const accountsByAccessKey = new Map<string, string>();
  // One promise per client: concurrent first calls of a client (Promise.all) all wait for its recorder.
  const recording = new WeakMap<object, Promise<void>>();
  const restores: (() => void)[] = [];
  const patched = new Set<object>();
  for (const clientClass of classes) {
    const base = Object.getPrototypeOf(clientClass.prototype) as { send: Send };
    if (patched.has(base)) continue;
    patched.add(base);
    const original = base.send;
    base.send = async function send(this: RecordableClient, command: unknown, ...rest: unknown[]) {
      let attached = recording.get(this);
      if (attached === undefined) {
        attached = accessKeyIdOf(this).then((accessKeyId) => {
          const accountId = (accessKeyId && accountsByAccessKey.get(accessKeyId)) || options.defaultAccountId;
          recorder.hook({ accountId })(this);
        });
        recording.set(this, attached);
      }
      await attached;
      const output = await original.call(this, command, ...rest);
      const assumed = (output as AssumedCredentials | undefined)?.Credentials?.AccessKeyId;
      const roleArn = (command as { input?: { RoleArn?: unknown } }).input?.RoleArn;
      const account = accountOfRoleArn(roleArn);
      if (assumed !== undefined && account !== undefined) accountsByAccessKey.set(assumed, account);
      return output;
    };
    restores.push(() => {
      base.send = original;
    });
  }
  return () => {
    for (const restore of restores) restore();
  };
}
