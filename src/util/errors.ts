/**
 * Error type for user-facing failures: bad input files, bad flags, corrupt models.
 * The message always names where the problem is (file, line, flag) so the CLI can print it as is.
 */

export interface ErrorLocation {
  /** File the problem is in. */
  file?: string;
  /** 1-based line number in that file. */
  line?: number;
  /** CLI flag or option name the problem is about (e.g. "--size"). */
  flag?: string;
}

export class WordloomError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly flag?: string;
  /** The message without the location prefix. */
  readonly reason: string;

  constructor(message: string, where: ErrorLocation = {}) {
    const prefix = [
      where.file !== undefined ? where.file + (where.line !== undefined ? `:${where.line}` : '') : undefined,
      where.flag,
    ].filter(Boolean).join(' ');
    super(prefix ? `${prefix}: ${message}` : message);
    this.name = 'WordloomError';
    this.file = where.file;
    this.line = where.line;
    this.flag = where.flag;
    this.reason = message;
  }
}

/** Throw a WordloomError naming an option when a condition fails (used in constructors' validation). */
export function check(cond: unknown, message: string, where: ErrorLocation = {}): asserts cond {
  if (!cond) throw new WordloomError(message, where);
}
