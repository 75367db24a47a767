import { type CommandIO, UsageError } from '../command';

/** The AWS CLI's --output values this CLI prints. */
export type OutputFormat = 'table' | 'json' | 'csv';

/**
 * The `--output` and `--json` flags of a command that prints in `formats`: `--output` takes only those (a format
 * that makes no sense for the command, csv for one record, is refused naming the ones it takes), `--json` is
 * `--output json`, as it was before `--output` existed.
 */
export function outputFlags<const Formats extends readonly OutputFormat[]>(formats: Formats) {
  return {
    output: { type: 'string', choices: formats },
    json: { type: 'boolean', default: false },
  } as const;
}

/** The format asked for: --output, --json, or the first of the command's formats; --json with another is refused. */
export function outputFormatOf<Format extends OutputFormat>(
  commandName: string,
  values: { readonly output?: Format | string | undefined; readonly json?: boolean | undefined },
  formats: readonly Format[],
): Format {
  const { output, json } = values;
  if (json === true && output !== undefined && output !== 'json') {
    throw new UsageError(`${commandName}: --json is --output json; it cannot be combined with --output ${output}.`);
  }
  const chosen = json === true ? 'json' : (output ?? formats[0]);
  if (!(formats as readonly string[]).includes(chosen ?? '')) {
    throw new UsageError(`${commandName}: --output "${chosen}" is not one of ${formats.join(', ')}.`);
  }
  return chosen as Format;
}

/** How a command's result reads in each format it supports. */
export type OutputRenderers<Format extends OutputFormat> = {
  readonly [F in Format]: F extends 'json' ? () => unknown : () => string;
};

/** Writes the result in the chosen format: JSON pretty-printed, a table or CSV as their renderers make them. */
export function writeOutput<Format extends OutputFormat>(
  io: CommandIO,
  format: Format,
  renderers: OutputRenderers<Format>,
): void {
  const rendered = (renderers[format] as () => unknown)();
  if (format === 'json') io.stdout.write(`${JSON.stringify(rendered, null, 2)}\n`);
  else {
    const text = String(rendered);
    io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}
