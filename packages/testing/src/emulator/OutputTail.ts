const DEFAULT_TAIL_CHARS = 4_000;

/** The last few thousand characters a server printed, kept for error messages while its output is drained. */
export class OutputTail {
  private text = '';

  constructor(private readonly limit: number = DEFAULT_TAIL_CHARS) {}

  append(chunk: Buffer): void {
    this.text = (this.text + chunk.toString('utf8')).slice(-this.limit);
  }

  toString(): string {
    return this.text.trim();
  }
}
