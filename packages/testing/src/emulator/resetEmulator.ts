import { EmulatorRequestError } from '../errors';

/** Clears every account, region and resource in the emulator (moto's `POST /moto-api/reset`). */
export async function resetEmulator(endpoint: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new EmulatorRequestError(`Could not reach the emulator at ${endpoint} to reset it: is it running?`, {
      cause: error,
    });
  }
  const body = await response.text();
  if (!response.ok) {
    throw new EmulatorRequestError(`The emulator at ${endpoint} refused the reset: HTTP ${response.status} ${body}`);
  }
}
