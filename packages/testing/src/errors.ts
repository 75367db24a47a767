/** Base of every error this package throws, so callers can tell harness failures from test failures. */
export class TestingError extends Error {
  override readonly name: string = 'TestingError';
}

/** The project-local Python virtualenv with moto is absent. */
export class EmulatorNotInstalledError extends TestingError {
  override readonly name: string = 'EmulatorNotInstalledError';
}

/** No usable Python 3 interpreter: the emulator cannot run at all. */
export class PythonMissingError extends TestingError {
  override readonly name: string = 'PythonMissingError';
}

/** moto_server was installed but did not start or did not answer in time. */
export class EmulatorStartError extends TestingError {
  override readonly name: string = 'EmulatorStartError';
}

/** A call to the emulator's control API (reset, …) failed. */
export class EmulatorRequestError extends TestingError {
  override readonly name: string = 'EmulatorRequestError';
}

/** A test helper was used without the set-up it needs (for example the vitest globalSetup is not wired). */
export class HarnessSetupError extends TestingError {
  override readonly name: string = 'HarnessSetupError';
}

/** Trino (the Athena engine v3 stand-in) or the Java it needs is not installed, or could not be installed. */
export class TrinoNotInstalledError extends TestingError {
  override readonly name: string = 'TrinoNotInstalledError';
}

/** The Trino server was installed but did not start, or did not run a table scan in time. */
export class TrinoStartError extends TestingError {
  override readonly name: string = 'TrinoStartError';
}

/** Trino refused or failed a statement; `errorName` is Trino's (`SYNTAX_ERROR`, `NO_NODES_AVAILABLE`, …). */
export class TrinoQueryError extends TestingError {
  override readonly name: string = 'TrinoQueryError';

  constructor(
    message: string,
    readonly errorName: string,
    readonly sql: string,
  ) {
    super(`${message} (${errorName})\nin:\n${sql}`);
  }
}
