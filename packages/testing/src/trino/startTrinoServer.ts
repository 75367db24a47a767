import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../emulator/findFreePort';
import { findRepoRoot } from '../emulator/findRepoRoot';
import { OutputTail } from '../emulator/OutputTail';
import { PARENT_DEATH_WRAPPER } from '../emulator/parentDeathWrapper';
import { processGroupStopper } from '../emulator/processGroupStopper';
import { stopProcessGroupOnExit } from '../emulator/stopProcessGroupsOnExit';
import { TrinoQueryError, TrinoStartError } from '../errors';
import { installTrino, type TrinoInstallation } from './installTrino';
import { queryTrino, type TrinoResult } from './queryTrino';

/** The Hive catalog of the server: a file metastore and the local file system under `dataRoot`. */
export const TRINO_HIVE_CATALOG = 'hive';

/** A running single-node Trino on 127.0.0.1. */
export interface TrinoServer {
  readonly endpoint: string;
  readonly installation: TrinoInstallation;
  /** The directory behind `local:///` in the Hive catalog: a table at `local:///incidents/` reads `<dataRoot>/incidents/`. */
  readonly dataRoot: string;
  /** Runs one statement in the Hive catalog (and `schema`, when given). */
  query(sql: string, schema?: string): Promise<TrinoResult>;
  /** Stops the server and deletes its working directory; resolves once the process is gone. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartTrinoServerOptions {
  readonly repoRoot?: string;
  /** Until the first table scan succeeds, in ms. Default 240 000: a cold JVM on 2 busy cores takes about a minute. */
  readonly startTimeoutMs?: number;
  /** The JVM's heap (-Xmx). Default 2G: the machine is shared. */
  readonly heap?: string;
}

const DEFAULT_START_TIMEOUT_MS = 240_000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function properties(entries: Record<string, string>): string {
  return `${Object.entries(entries)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;
}

function writeConfiguration(work: string, port: number, installation: TrinoInstallation, dataRoot: string): string {
  const etc = join(work, 'etc');
  mkdirSync(join(etc, 'catalog'), { recursive: true });
  writeFileSync(
    join(etc, 'config.properties'),
    properties({
      coordinator: 'true',
      'node-scheduler.include-coordinator': 'true',
      'http-server.http.port': String(port),
      'discovery.uri': `http://127.0.0.1:${port}`,
      'node.environment': 'test',
      'node.id': randomUUID(),
      'plugin.dir': installation.pluginDirectory,
      'catalog.config-dir': join(etc, 'catalog'),
      'query.max-memory': '1GB',
      'query.max-memory-per-node': '512MB',
      'task.concurrency': '2',
    }),
  );
  writeFileSync(
    join(etc, 'catalog', `${TRINO_HIVE_CATALOG}.properties`),
    properties({
      'connector.name': 'hive',
      'hive.metastore': 'file',
      'hive.metastore.catalog.dir': 'local:///.metastore',
      'fs.native-local.enabled': 'true',
      'local.location': dataRoot,
      // Athena reads every object under a table's location, at any depth; Hive's default is the top level only.
      'hive.recursive-directories': 'true',
      'hive.allow-register-partition-procedure': 'true',
      // As Athena's partition projection does: a projected partition with no objects is empty, not an error.
      'hive.ignore-absent-partitions': 'true',
    }),
  );
  return join(etc, 'config.properties');
}

/** Trino's info endpoint answers before its workers do: only a scan of a real table shows it is ready. */
async function waitForTableScan(
  query: (sql: string) => Promise<TrinoResult>,
  dataRoot: string,
  exited: () => string | null,
  deadline: number,
): Promise<void> {
  mkdirSync(join(dataRoot, 'harness', 'probe'), { recursive: true });
  writeFileSync(join(dataRoot, 'harness', 'probe', 'probe.json'), '{"ready":true}\n');
  const statements = [
    `CREATE SCHEMA IF NOT EXISTS ${TRINO_HIVE_CATALOG}.harness WITH (location = 'local:///harness')`,
    `CREATE TABLE IF NOT EXISTS ${TRINO_HIVE_CATALOG}.harness.probe (ready boolean) ` +
      `WITH (format = 'OPENX_JSON', external_location = 'local:///harness/probe')`,
  ];
  let lastProblem = 'the server did not answer';
  let done = 0;
  while (Date.now() < deadline) {
    const exit = exited();
    if (exit !== null) throw new TrinoStartError(exit);
    try {
      for (; done < statements.length; done++) await query(statements[done] as string);
      const scan = await query(`SELECT ready FROM ${TRINO_HIVE_CATALOG}.harness.probe`);
      if (JSON.stringify(scan.rows) === '[[true]]') return;
      lastProblem = `the probe table returned ${JSON.stringify(scan.rows)}`;
    } catch (error) {
      lastProblem = error instanceof TrinoQueryError ? `${error.errorName}: ${error.message}` : String(error);
    }
    await delay(1_000);
  }
  throw new TrinoStartError(`Trino did not scan a table in time; last: ${lastProblem}`);
}

/**
 * Installs Trino if needed (cached), then starts one coordinator-and-worker node on a free port of 127.0.0.1 with a
 * Hive catalog over a fresh temporary directory, and resolves once a table scan succeeds. In its own process group,
 * stopped by `stop()` and in any case when this process ends.
 */
export async function startTrinoServer(options: StartTrinoServerOptions = {}): Promise<TrinoServer> {
  const repoRoot = options.repoRoot ?? findRepoRoot();
  const installation = installTrino(repoRoot);
  const port = await findFreePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const work = mkdtempSync(join(tmpdir(), 'cryptominer-trino-'));
  const dataRoot = join(work, 'data');
  mkdirSync(join(dataRoot, '.metastore'), { recursive: true });
  const config = writeConfiguration(work, port, installation, dataRoot);
  const jvm = [
    `-Xmx${options.heap ?? '2G'}`,
    '-XX:+UseG1GC',
    '-XX:+ExitOnOutOfMemoryError',
    '-XX:ActiveProcessorCount=2',
    '--enable-native-access=ALL-UNNAMED',
    '-Djdk.attach.allowAttachSelf=true',
    `-Dconfig=${config}`,
    '-cp',
    join(installation.libDirectory, '*'),
    'io.trino.server.TrinoServer',
  ];
  const child = spawn('python3', ['-c', PARENT_DEATH_WRAPPER, String(process.pid), installation.java, ...jvm], {
    cwd: work,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) {
    const spawnError = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new TrinoStartError(`Could not run python3 to start Trino: ${spawnError.message}`, { cause: spawnError });
  }
  stopProcessGroupOnExit(pid);
  const stopProcess = processGroupStopper(child, pid);
  const output = new OutputTail(8_000);
  child.stdout?.on('data', (chunk: Buffer) => output.append(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.append(chunk));
  child.unref();
  for (const stream of [child.stdout, child.stderr]) {
    if (stream !== null && 'unref' in stream && typeof stream.unref === 'function') stream.unref();
  }
  const stop = async () => {
    await stopProcess();
    rmSync(work, { recursive: true, force: true });
  };
  const query = (sql: string, schema?: string) =>
    queryTrino({ endpoint, catalog: TRINO_HIVE_CATALOG, ...(schema === undefined ? {} : { schema }) }, sql);
  const exited = () =>
    child.exitCode !== null || child.signalCode !== null
      ? `Trino exited (${child.exitCode ?? child.signalCode}) before it could scan a table. Its output:\n${output.toString()}`
      : null;

  try {
    await waitForTableScan(query, dataRoot, exited, Date.now() + (options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS));
  } catch (error) {
    const tail = output.toString();
    await stop();
    if (error instanceof TrinoStartError && !error.message.includes('Its output')) {
      throw new TrinoStartError(`${error.message}\nIts output:\n${tail}`, { cause: error });
    }
    throw error;
  }
  return { endpoint, installation, dataRoot, query, stop };
}
