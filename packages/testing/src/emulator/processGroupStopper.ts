import type { ChildProcess } from 'node:child_process';
import { releaseProcessGroup, signalProcessGroup } from './stopProcessGroupsOnExit';

const STOP_GRACE_MS = 5_000;

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * A `stop()` for a server started in its own process group (pid = group id): SIGTERM to the group, SIGKILL after
 * a grace period, then the group is forgotten by the exit handlers. Resolves once the process is gone; safe to
 * call twice.
 */
export function processGroupStopper(child: ChildProcess, pid: number): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      signalProcessGroup(pid, 'SIGTERM');
      if (!(await waitForExit(child, STOP_GRACE_MS))) {
        signalProcessGroup(pid, 'SIGKILL');
        await waitForExit(child, STOP_GRACE_MS);
      }
      releaseProcessGroup(pid);
    })();
    return stopping;
  };
}
