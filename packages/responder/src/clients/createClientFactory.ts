import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createIsolationGate, type IsolationGate } from '../isolationGate';
import { createAssumedRoleCredentials } from './createAssumedRoleCredentials';
import { createMemberAccountClients } from './createMemberAccountClients';
import { currentFindingId } from './findingSession';
import type {
  CentralAccountClients,
  ClientFactory,
  MemberAccountClients,
  MemberAccountTarget,
  ResponderClient,
} from './responderClients';

export interface ClientFactoryOptions {
  /** The central region (Organizations, STS, S3, SNS calls). */
  readonly centralRegion: string;
  /** The role assumed in member accounts. */
  readonly responderRoleName: string;
  /**
   * The environment, read only to know whether a custom endpoint is set (then S3 uses path-style
   * addressing). Endpoints themselves come from the SDK's standard AWS_ENDPOINT_URL(_<SERVICE>) variables.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Called with every client created, e.g. to add a middleware that records the actions called. */
  readonly configureClient?: (client: ResponderClient) => void;
  /** Shown in member accounts' CloudTrail as the session name of the reads (changes go under a finding's session). */
  readonly roleSessionName?: string;
  /**
   * Told when a finding's own session could not be assumed (a member role deployed before it trusted
   * sts:SetSourceIdentity, say): the changes then go under the account's session, so containment does not wait for
   * the StackSet's update.
   */
  readonly onFindingSessionRefused?: (error: unknown, target: MemberAccountTarget) => void;
}

const DEFAULT_MAX_ATTEMPTS = 6;

/**
 * Adaptive mode adds client-side rate limiting on throttling (CloudTrail LookupEvents allows 2 requests per
 * second per account and region) on top of exponential backoff. The SDK's standard AWS_MAX_ATTEMPTS
 * variable still sets the number of attempts.
 */
function retryConfig(env: Readonly<Record<string, string | undefined>>) {
  const fromEnv = Number.parseInt(env.AWS_MAX_ATTEMPTS ?? '', 10);
  return { retryMode: 'adaptive', maxAttempts: fromEnv > 0 ? fromEnv : DEFAULT_MAX_ATTEMPTS } as const;
}

function usesCustomS3Endpoint(env: Readonly<Record<string, string | undefined>>): boolean {
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  return endpoint !== undefined && endpoint !== '' && env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS !== 'true';
}

/**
 * Auto Scaling, CloudTrail, IAM and Lambda (Lambda findings only) act only after the ENIs are isolated (detach and scale to 0, attribution,
 * freeze), so their client classes are imported when the first member account is reached, not when the Lambda
 * starts: the bundler puts them in chunks of their own, and a cold start compiles less code (V8's compilation
 * was most of the init time). Their commands stay where the steps import them; the clients are the bulk
 * (configuration, endpoint rules). EC2 (isolation), STS (the role), Organizations and S3 stay static imports:
 * they are needed before or for isolation. SNS, too, is loaded on demand (`central.sns()`, alertClient.ts): it
 * publishes the alert after the report is written.
 * The import starts as AssumeRole goes on the wire and is awaited with it, so it does not lengthen the time to
 * isolation unless it takes longer than that round trip; once loaded it costs nothing.
 */
type ClientsLoadedOnDemand = typeof import('./clientsLoadedOnDemand');

/**
 * Imports a module once; a failed import is not kept, so the next response tries again. The value's type is the
 * module's (or what `load` makes of it).
 */
function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    if (loaded === undefined) {
      const loading = load();
      loaded = loading;
      loading.catch(() => {
        if (loaded === loading) loaded = undefined;
      });
    }
    return loaded;
  };
}

/** Clients per account and region, credentials per account; created on first use, then reused. */
export function createClientFactory(options: ClientFactoryOptions): ClientFactory {
  const created: ResponderClient[] = [];
  function track<T extends ResponderClient>(client: T): T {
    options.configureClient?.(client);
    created.push(client);
    return client;
  }

  const region = options.centralRegion;
  const retry = retryConfig(options.env);
  const sts = track(new STSClient({ region, ...retry }));
  const central: CentralAccountClients = {
    organizations: track(new OrganizationsClient({ region, ...retry })),
    s3: track(new S3Client({ region, ...retry, forcePathStyle: usesCustomS3Endpoint(options.env) })),
    sns: loadOnce(async () => {
      const { SNSClient } = await import('./alertClient');
      return track(new SNSClient({ region, ...retry }));
    }),
    securityHub: loadOnce(async () => {
      const { SecurityHubClient } = await import('./securityHubClient');
      return track(new SecurityHubClient({ region, ...retry }));
    }),
    accountId: loadOnce(async () => {
      const { Account } = await sts.send(new GetCallerIdentityCommand({}));
      if (Account === undefined) throw new Error('STS GetCallerIdentity gave no account');
      return Account;
    }),
  };
  const credentialsFor = createAssumedRoleCredentials(sts, {
    roleName: options.responderRoleName,
    roleSessionName: options.roleSessionName ?? 'CryptominerResponder',
  });
  const memberClients = new Map<string, MemberAccountClients>();
  const keyOf = (target: MemberAccountTarget) => `${target.partition}/${target.accountId}/${target.region}`;
  const gates = new Map<string, IsolationGate>();
  const gateOf = (target: MemberAccountTarget): IsolationGate => {
    const key = keyOf(target);
    const known = gates.get(key);
    if (known !== undefined) return known;
    const gate = createIsolationGate();
    gates.set(key, gate);
    return gate;
  };
  const clientClassesLoadedOnDemand = loadOnce((): Promise<ClientsLoadedOnDemand> => import('./clientsLoadedOnDemand'));

  /** The finding's own session; the account's, when STS refuses it (told to onFindingSessionRefused). */
  const accountOf = (target: MemberAccountTarget) => ({ accountId: target.accountId, partition: target.partition });
  const findingCredentialsFor = (target: MemberAccountTarget) => (findingId: string) =>
    credentialsFor({ ...accountOf(target), findingId }).catch((error: unknown) => {
      options.onFindingSessionRefused?.(error, target);
      return credentialsFor(accountOf(target));
    });

  return {
    central,
    async memberAccount(target: MemberAccountTarget): Promise<MemberAccountClients> {
      // Assume the role now, so that a refusal surfaces here (as the assumeResponderRole step), not in a step;
      // the request is started first, the modules load while it is on the wire. The finding's own session (for
      // the changes) is assumed at the same moment; the reads do not wait for it.
      const assumed = credentialsFor(accountOf(target));
      const findingId = currentFindingId();
      const findingSession =
        findingId === undefined ? undefined : findingCredentialsFor(target)(findingId).catch(() => undefined);
      let classes: ClientsLoadedOnDemand;
      try {
        [, classes] = await Promise.all([assumed, clientClassesLoadedOnDemand()]);
      } catch (error) {
        // A refused role ends the response: the finding's session (and its fallback to the account's) was started
        // with it, and must have ended too, so that no call of this response is still running after it.
        await findingSession;
        throw error;
      }
      const key = keyOf(target);
      const cached = memberClients.get(key);
      if (cached !== undefined) return cached;
      const clients = createMemberAccountClients({
        target,
        classes,
        retry,
        gate: gateOf(target),
        accountCredentials: () => credentialsFor(accountOf(target)),
        findingCredentials: findingCredentialsFor(target),
        configure: (client) => options.configureClient?.(client),
        track: (client) => {
          track(client);
        },
      });
      memberClients.set(key, clients);
      return clients;
    },
    isolationGate: gateOf,
    destroy(): void {
      for (const client of created) client.destroy();
    },
  };
}
