/** The base of every error the central app throws: catch this to catch them all. */
export class CentralAppError extends Error {
  override readonly name: string = 'CentralAppError';
}

/** A CDK context value (cdk.json or `-c key=value`) is missing or malformed; nothing is synthesized. */
export class AppSettingsError extends CentralAppError {
  override readonly name: string = 'AppSettingsError';

  constructor(
    readonly key: string,
    readonly problem: string,
  ) {
    super(`CDK context "${key}" ${problem}`);
  }
}

/** The engine calls a central-account action that has no resource scope in centralActionScopes.ts. */
export class UnscopedCentralActionError extends CentralAppError {
  override readonly name: string = 'UnscopedCentralActionError';

  constructor(readonly actions: readonly string[]) {
    super(
      `No resource scope for ${actions.join(', ')}: add each action to centralActionScopes() in ` +
        'apps/central/src/centralActionScopes.ts, with the narrowest resources and conditions IAM allows.',
    );
  }
}

/** The responder's code could not be bundled (esbuild's own messages are in `stderr`); nothing is synthesized. */
export class ResponderBundlingError extends CentralAppError {
  override readonly name: string = 'ResponderBundlingError';

  constructor(
    readonly problem: string,
    readonly stderr: string,
  ) {
    super(`Bundling the responder Lambda failed: ${problem}${stderr.trim() === '' ? '' : `\n${stderr.trimEnd()}`}`);
  }
}

/** A part of the report's JSON Schema that no Glue (Hive) column type can hold; nothing is synthesized. */
export class UnqueryableReportShapeError extends CentralAppError {
  override readonly name: string = 'UnqueryableReportShapeError';

  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(
      `The incident report's ${path} ${problem}, so Athena could not read it through the Glue columns. ` +
        'Change the report schema in packages/core/src/incidentReport.ts so that it has one JSON type there.',
    );
  }
}
