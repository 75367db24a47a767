/*
 * The start of a Python program that, on Linux, has the kernel send it SIGTERM when the Node process that started it
 * dies (PR_SET_PDEATHSIG), even on SIGKILL, where no exit handler runs. `sys.argv[1]` is the parent's pid.
 */
export const PARENT_DEATH_PRELUDE = `
import ctypes, os, signal, sys
parent = int(sys.argv[1])
try:
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG; Linux only
except Exception:
    pass
if os.getppid() != parent:
    sys.exit(0)  # the parent died before prctl took effect
`;

/*
 * Runs a server under the prelude. The exec keeps the pid, so a process-group kill still reaches the server. Run it
 * as `python -c PARENT_DEATH_WRAPPER <parent pid> <program> …`.
 */
export const PARENT_DEATH_WRAPPER = `${PARENT_DEATH_PRELUDE}os.execv(sys.argv[2], sys.argv[2:])
`;
