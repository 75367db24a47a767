// Module customization hooks (node:module register) for startup.test.ts: every URL the process resolves is
// appended, one a line, to the file named by MODULE_LOAD_LOG. They run on Node's hooks thread, so they write
// the file directly instead of talking to the main thread.
import { appendFileSync } from 'node:fs';

const log = process.env.MODULE_LOAD_LOG;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (log !== undefined) appendFileSync(log, `${resolved.url}\n`);
  return resolved;
}
