import { EC2Client } from '@aws-sdk/client-ec2';
import type { IsolationGate } from '../isolationGate';
import type { AssumedRoleCredentials } from './createAssumedRoleCredentials';
import { type CommandSender, findingSessionMiddleware } from './findingSession';
import { isolationGateMiddleware } from './isolationGateMiddleware';
import type { MemberAccountClients, MemberAccountTarget, ResponderClient } from './responderClients';

type ClientsLoadedOnDemand = typeof import('./clientsLoadedOnDemand');

export interface MemberAccountClientsInput {
  readonly target: MemberAccountTarget;
  readonly classes: ClientsLoadedOnDemand;
  readonly retry: { readonly retryMode: 'adaptive'; readonly maxAttempts: number };
  /** The account and region's isolation gate, which every call of these clients passes (decision 0026). */
  readonly gate: IsolationGate;
  /** The account's shared session: the reads, and every call made outside a finding's response. */
  readonly accountCredentials: () => Promise<AssumedRoleCredentials>;
  /** A finding's own session: its changes. */
  readonly findingCredentials: (findingId: string) => Promise<AssumedRoleCredentials>;
  /** A finding's client: told to the factory's hook (the tests record the calls), never kept. */
  readonly configure: (client: ResponderClient) => void;
  /** A shared client: hooked and kept (the factory destroys it). */
  readonly track: (client: ResponderClient) => void;
}

/** Finding sessions' clients kept per account and region (a warm container sees many findings); the oldest go. */
const MAX_FINDING_CLIENTS = 32;

type ClientName = keyof MemberAccountClients;
const CLIENT_NAMES: readonly ClientName[] = ['ec2', 'autoScaling', 'iam', 'cloudTrail', 'lambda'];

/**
 * The clients of one member account and region, shared by every response there, and behind them a set per
 * finding that sends that finding's changes under its own session (findingSession.ts). A finding's clients use the
 * shared clients' connections (the same request handler): its first change opens no connection of its own. One
 * isolation gate (isolationGateMiddleware.ts) orders the calls of every response there: isolation first.
 */
export function createMemberAccountClients(input: MemberAccountClientsInput): MemberAccountClients {
  const { target, classes, retry } = input;
  const make = (credentials: () => Promise<AssumedRoleCredentials>, handlers?: MemberAccountClients) => {
    const config = (name: ClientName) => ({
      region: target.region,
      credentials,
      ...retry,
      ...(handlers === undefined ? {} : { requestHandler: handlers[name].config.requestHandler }),
    });
    return {
      ec2: new EC2Client(config('ec2')),
      autoScaling: new classes.AutoScalingClient(config('autoScaling')),
      iam: new classes.IAMClient(config('iam')),
      cloudTrail: new classes.CloudTrailClient(config('cloudTrail')),
      lambda: new classes.LambdaClient(config('lambda')),
    };
  };
  const shared: MemberAccountClients = make(input.accountCredentials);
  const ofFindings = new Map<string, MemberAccountClients>();
  const clientsOfFinding = (findingId: string): MemberAccountClients => {
    const known = ofFindings.get(findingId);
    if (known !== undefined) return known;
    const created: MemberAccountClients = make(() => input.findingCredentials(findingId), shared);
    for (const name of CLIENT_NAMES) input.configure(created[name]);
    ofFindings.set(findingId, created);
    // Dropped, not destroyed: destroying one would close the shared connections.
    for (const old of [...ofFindings.keys()].slice(0, Math.max(0, ofFindings.size - MAX_FINDING_CLIENTS))) {
      ofFindings.delete(old);
    }
    return created;
  };
  for (const name of CLIENT_NAMES) {
    const client = shared[name];
    // One middleware fits every client; the union of their stacks' types does not type-check a call.
    const stack = client.middlewareStack as unknown as {
      add(middleware: unknown, options: { readonly step: 'initialize'; readonly name: string; priority: 'high' }): void;
    };
    const ofFinding = (findingId: string): CommandSender => clientsOfFinding(findingId)[name];
    // Added first, so it runs first: a change handed to the finding's client below has passed the gate already.
    stack.add(isolationGateMiddleware(input.gate), { step: 'initialize', name: 'isolationGate', priority: 'high' });
    stack.add(findingSessionMiddleware(ofFinding), { step: 'initialize', name: 'findingSession', priority: 'high' });
    input.track(client);
  }
  return shared;
}
