import { createServer } from 'node:net';
import { HarnessSetupError } from '../errors';

/** A TCP port on 127.0.0.1 that nothing listens on right now (the OS picks it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') {
        probe.close(() => reject(new HarnessSetupError('The OS returned no TCP port for 127.0.0.1.')));
        return;
      }
      probe.close(() => resolve(address.port));
    });
  });
}
