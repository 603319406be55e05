/**
 * One-line notices from library code that are not errors (e.g. "this file carries no checksum"). Library calls
 * are silent by default — the same fact is always also on the returned object — and the CLI routes notices to
 * stderr with `setNoticeHandler`. Each distinct message is delivered once per process.
 */

let handler: ((message: string) => void) | null = null;
const seen = new Set<string>();

/** Where notices go (null: nowhere, the library default). Returns the previous handler. */
export function setNoticeHandler(h: ((message: string) => void) | null): ((message: string) => void) | null {
  const prev = handler;
  handler = h;
  return prev;
}

/** Deliver a notice (once per distinct message). */
export function notice(message: string): void {
  if (!handler || seen.has(message)) return;
  seen.add(message);
  handler(message);
}

/** The notice for a file written before checksums (one wording everywhere). */
export function noChecksumNotice(file: string, what: string): void {
  notice(`${file}: note: this ${what} was written by an older wordloom and carries no checksum, so damage to it cannot be detected (save it again to add one)`);
}
