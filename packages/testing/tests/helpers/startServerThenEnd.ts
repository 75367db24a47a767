// Run as a child process by the lifecycle tests: starts a moto server, prints its pid, then ends the way
// argv[2] says, without calling stop(), to prove the harness cleans up on every exit path.
import { startMotoServer } from '../../src/emulator/startMotoServer';

const mode = process.argv[2];
const server = await startMotoServer();
process.stdout.write(`${JSON.stringify({ pid: server.pid, endpoint: server.endpoint })}\n`);
switch (mode) {
  case 'exit':
    process.exit(0);
    break;
  case 'throw':
    throw new Error('a failing test run');
  default:
    // 'wait': stay alive until the test sends a signal.
    setInterval(() => undefined, 1_000);
}
