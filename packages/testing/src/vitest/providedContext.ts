// Types what the emulator globalSetup hands to test files through vitest's provide/inject.
declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>` of the moto server the project's globalSetup started. */
    emulatorEndpoint: string;
  }
}

export const EMULATOR_ENDPOINT_KEY = 'emulatorEndpoint';
