// A mistake in the command line or its input: exit 2, with what to do next.

export class UsageError extends Error {
  constructor(message: string, readonly details: string[] = []) {
    super(message);
    this.name = 'UsageError';
  }

  /** The message, then its details indented: what `pkt` prints before exiting 2. */
  toText(): string {
    return [`pkt: ${this.message}`, ...this.details.map((d) => `  ${d}`)].join('\n') + '\n';
  }
}
