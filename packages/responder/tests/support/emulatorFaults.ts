import { type FaultInjectingProxy, type FaultRule, startFaultInjectingProxy } from '@cryptominer-defense/testing';

/**
 * A fault-injecting proxy in front of the emulator, for the tests of one describe block: `start` points the
 * process's AWS_ENDPOINT_URL at it (so every client created afterwards goes through it; give the responder its
 * endpoint too), `stop` (in afterAll) stops it and restores the variable.
 */
export function emulatorFaults(emulatorEndpoint: () => string): {
  start(rules: readonly FaultRule[]): Promise<FaultInjectingProxy>;
  stop(): Promise<void>;
} {
  let proxy: FaultInjectingProxy | undefined;
  let endpointBefore: string | undefined;
  return {
    async start(rules) {
      proxy = await startFaultInjectingProxy({ target: emulatorEndpoint(), rules: [...rules] });
      endpointBefore = process.env.AWS_ENDPOINT_URL;
      process.env.AWS_ENDPOINT_URL = proxy.endpoint;
      return proxy;
    },
    async stop() {
      if (endpointBefore !== undefined) process.env.AWS_ENDPOINT_URL = endpointBefore;
      await proxy?.stop();
    },
  };
}
