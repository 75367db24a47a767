/**
 * Process groups of emulator servers this process started and has not stopped yet. Whatever way this process
 * ends (normal exit, an uncaught error, Ctrl-C, a kill from CI), these groups are killed with it, so no
 * emulator outlives the test run that started it.
 */
const liveGroups = new Set<number>();
const forwardedSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

function killGroup(processGroupId: number, signal: NodeJS.Signals): void {
  try {
    // A negative pid addresses the whole process group: the server and anything it forked.
    process.kill(-processGroupId, signal);
  } catch {
    // Already gone: nothing to clean up.
  }
}

function killAllOnExit(): void {
  for (const group of liveGroups) killGroup(group, 'SIGKILL');
  liveGroups.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  for (const group of liveGroups) killGroup(group, 'SIGTERM');
  liveGroups.clear();
  process.removeListener(signal, onSignal);
  // Our listener replaced Node's default "exit on signal"; when no one else handles it, restore that behaviour.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function installOnce(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAllOnExit);
  for (const signal of forwardedSignals) process.on(signal, onSignal);
}

/** Kill this process group when the current process ends, unless it was released first. */
export function stopProcessGroupOnExit(processGroupId: number): void {
  installOnce();
  liveGroups.add(processGroupId);
}

/** The group was stopped in an orderly way: forget it. */
export function releaseProcessGroup(processGroupId: number): void {
  liveGroups.delete(processGroupId);
}

/** Sends a signal to a whole process group, ignoring a group that no longer exists. */
export function signalProcessGroup(processGroupId: number, signal: NodeJS.Signals): void {
  killGroup(processGroupId, signal);
}
