import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which of a response's calls go first when several responses share a member account and region (decision 0026):
 * the isolation path, or the work that can wait for it (evidence, Auto Scaling, credentials, stop, attribution,
 * freeze). The step names it around what it sends, and its commands carry it as the finding session's name is
 * carried (findingSession.ts); the member account's clients read it (isolationGateMiddleware.ts).
 */
export type CallClass = 'isolation' | 'afterIsolation';

const classInScope = new AsyncLocalStorage<CallClass>();

/** Runs work whose calls are on the isolation path (a response starts there: nothing it sends waits unless named). */
export function onIsolationPath<T>(work: () => T): T {
  return classInScope.run('isolation', work);
}

/** Runs work whose calls wait, under load, for the isolation of every response of the account and region. */
export function afterIsolation<T>(work: () => T): T {
  return classInScope.run('afterIsolation', work);
}

/** Runs work under the class a step named. */
export function inCallClass<T>(callClass: CallClass, work: () => T): T {
  return classInScope.run(callClass, work);
}

/** The class of a call sent here; a call no step named is on the isolation path, so nothing forgotten waits. */
export function currentCallClass(): CallClass {
  return classInScope.getStore() ?? 'isolation';
}
