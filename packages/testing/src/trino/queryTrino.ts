import { TrinoQueryError } from '../errors';

/** What a statement returned: the column names and the rows, values as Trino's JSON encoding gives them. */
export interface TrinoResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

export interface TrinoSession {
  /** `http://127.0.0.1:<port>` of the coordinator. */
  readonly endpoint: string;
  readonly catalog?: string;
  readonly schema?: string;
  readonly user?: string;
}

interface StatementPage {
  readonly nextUri?: string;
  readonly columns?: readonly { readonly name: string }[];
  readonly data?: readonly (readonly unknown[])[];
  readonly error?: { readonly message: string; readonly errorName: string };
}

const REQUEST_TIMEOUT_MS = 60_000;

/**
 * Runs one SQL statement through Trino's client REST protocol: POST /v1/statement, then follow `nextUri` until
 * there is none, collecting the rows. Throws TrinoQueryError with Trino's message and error name.
 */
export async function queryTrino(session: TrinoSession, sql: string): Promise<TrinoResult> {
  const headers: Record<string, string> = { 'X-Trino-User': session.user ?? 'cryptominer-defense-tests' };
  if (session.catalog !== undefined) headers['X-Trino-Catalog'] = session.catalog;
  if (session.schema !== undefined) headers['X-Trino-Schema'] = session.schema;
  let page = await fetchPage(`${session.endpoint}/v1/statement`, { method: 'POST', body: sql, headers }, sql);
  let columns: readonly string[] = [];
  const rows: (readonly unknown[])[] = [];
  for (;;) {
    if (page.columns !== undefined) columns = page.columns.map((column) => column.name);
    if (page.data !== undefined) rows.push(...page.data);
    if (page.error !== undefined) throw new TrinoQueryError(page.error.message, page.error.errorName, sql);
    if (page.nextUri === undefined) return { columns, rows };
    page = await fetchPage(page.nextUri, { headers }, sql);
  }
}

/** Trino's client protocol: 502, 503 and 504 mean "busy, ask the same URI again". */
const RETRIED_STATUSES = new Set([502, 503, 504]);
const BUSY_RETRIES = 20;

async function fetchPage(url: string, init: RequestInit, sql: string): Promise<StatementPage> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    if (response.ok) return (await response.json()) as StatementPage;
    const body = await response.text();
    if (!RETRIED_STATUSES.has(response.status) || attempt >= BUSY_RETRIES) {
      throw new TrinoQueryError(`Trino answered HTTP ${response.status}: ${body}`, 'HTTP_ERROR', sql);
    }
    await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
  }
}
