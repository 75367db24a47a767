import { spawn } from 'node:child_process';
import { EmulatorStartError } from '../errors';
import { findFreePort } from './findFreePort';
import { locateMotoServer } from './locateMotoServer';
import { OutputTail } from './OutputTail';
import { PARENT_DEATH_PRELUDE } from './parentDeathWrapper';
import { processGroupStopper } from './processGroupStopper';
import { stopProcessGroupOnExit } from './stopProcessGroupsOnExit';

/** A running moto server on 127.0.0.1. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>`: give it to the SDK as `endpoint` or `AWS_ENDPOINT_URL`. */
  readonly endpoint: string;
  readonly port: number;
  /** The server's pid, which is also its process-group id. */
  readonly pid: number;
  /** Stops the server and everything it forked; resolves once the process is gone. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartMotoServerOptions {
  /** The monorepo root holding `.venv`; found from this file's location by default. */
  readonly repoRoot?: string;
  /** How long to wait for the server to answer, in ms. Default 30 000 (2 shared cores can be slow). */
  readonly startTimeoutMs?: number;
}

const DEFAULT_START_TIMEOUT_MS = 30_000;
const PORT_ATTEMPTS = 3;

/*
 * moto_server run in the Python process of the parent-death prelude (parentDeathWrapper.ts), after one change to moto:
 * AWS managed policies exist in every AWS account, and moto creates them only when asked, and then all ~1,300 of them
 * per account and partition (an emulator test file took twice as long). The ones the project attaches are enough,
 * made as moto makes them all. `sys.argv[2]` is moto_server's path (for its name), the rest its arguments.
 */
const MOTO_SERVER_PROGRAM = `${PARENT_DEATH_PRELUDE}import json
import moto.iam.models as iam_models
kept = set(os.environ.get("MOTO_KEPT_AWS_MANAGED_POLICIES", "").split(",")) - {""}
if kept:
    every = json.loads(iam_models.aws_managed_policies_data)
    iam_models.aws_managed_policies_data = json.dumps({n: d for n, d in every.items() if n in kept})
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
from moto.server import main
sys.argv = sys.argv[2:]
sys.exit(main())
`;

/** The AWS managed policies the emulator has (the freeze attaches AWSDenyAll); `MOTO_KEPT_AWS_MANAGED_POLICIES` overrides. */
const AWS_MANAGED_POLICIES_KEPT = ['AWSDenyAll'];

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

type Attempt = { readonly server: MotoServer } | { readonly portTaken: true };

async function attemptStart(python: string, motoServer: string, timeoutMs: number): Promise<Attempt> {
  const port = await findFreePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // In the venv's Python, so that the kernel stops the server if this process dies (parentDeathWrapper.ts).
  const child = spawn(
    python,
    ['-c', MOTO_SERVER_PROGRAM, String(process.pid), motoServer, '-H', '127.0.0.1', '-p', String(port)],
    // Its own process group, so that stop() and the exit handlers can kill the server with all it forked.
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        MOTO_KEPT_AWS_MANAGED_POLICIES:
          process.env.MOTO_KEPT_AWS_MANAGED_POLICIES ?? AWS_MANAGED_POLICIES_KEPT.join(','),
      },
    },
  );
  const pid = child.pid;
  if (pid === undefined) {
    const spawnError = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new EmulatorStartError(`Could not run ${python}: ${spawnError.message}`, { cause: spawnError });
  }
  stopProcessGroupOnExit(pid);
  const stop = processGroupStopper(child, pid);
  // The server logs every request: drain its output (keeping the tail for error messages) so it never blocks.
  const output = new OutputTail();
  child.stdout?.on('data', (chunk: Buffer) => output.append(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.append(chunk));
  // A forgotten stop() must not keep the test process alive: the exit handler kills the group instead.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) {
    if (stream !== null && 'unref' in stream && typeof stream.unref === 'function') stream.unref();
  }

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      if (/address already in use/i.test(output.toString())) return { portTaken: true };
      throw new EmulatorStartError(
        `moto_server exited (${child.exitCode ?? child.signalCode}) before answering on ${endpoint}. ` +
          `Its output:\n${output.toString()}\nIf moto is broken, delete .venv and run \`npx -y pnpm@12.4.2 bootstrap\`.`,
      );
    }
    if (await answers(endpoint)) return { server: { endpoint, port, pid, stop } };
    await delay(100);
  }
  await stop();
  throw new EmulatorStartError(
    `moto_server did not answer on ${endpoint} within ${timeoutMs} ms. Its output:\n${output.toString()}\n` +
      'The machine may be overloaded: raise startTimeoutMs, or check that moto runs: `.venv/bin/moto_server --help`.',
  );
}

/**
 * Starts `<repo root>/.venv/bin/moto_server` on 127.0.0.1 on a free port and resolves once it answers.
 * The server is stopped by `stop()`, and in any case when this process exits or is interrupted.
 */
export async function startMotoServer(options: StartMotoServerOptions = {}): Promise<MotoServer> {
  const { python, motoServer } = locateMotoServer(options.repoRoot);
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  // The free port is found, then released, then bound by moto: another process can take it in between.
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
    const result = await attemptStart(python, motoServer, timeoutMs);
    if ('server' in result) return result.server;
  }
  throw new EmulatorStartError(`moto_server found its port taken ${PORT_ATTEMPTS} times in a row; try again.`);
}
