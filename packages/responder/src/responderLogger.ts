/** What the engine logs through: the Powertools Logger in Lambda, a JSON-lines stderr logger in the CLI. */
export interface ResponderLogger {
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}

/** One JSON object per line on the given stream (the CLI's stderr: stdout carries the result only). */
export function jsonLinesLogger(stream: NodeJS.WritableStream, service = 'cryptominer-responder'): ResponderLogger {
  const write = (level: string, message: string, attributes?: Record<string, unknown>) => {
    stream.write(
      `${JSON.stringify({ level, message, service, timestamp: new Date().toISOString(), ...attributes })}\n`,
    );
  };
  return {
    info: (message, attributes) => write('INFO', message, attributes),
    warn: (message, attributes) => write('WARN', message, attributes),
    error: (message, attributes) => write('ERROR', message, attributes),
  };
}
