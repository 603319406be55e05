/**
 * Progress reporting. Library code reports through the portable `ProgressReporter` interface
 * (works in the browser too); the CLI renders it with cli-progress (rate, ETA, custom fields)
 * through `src/cli/progress-bar.ts`.
 */

/** What a long-running job reports. `total` and `done` are in `unit`s (words, steps, bytes...). */
export interface ProgressUpdate {
  /** Work done so far. */
  done: number;
  /** Total work expected (0 if unknown). */
  total: number;
  /** Extra fields shown next to the bar (loss, lr, accuracy...). */
  fields?: Record<string, string | number>;
}

export interface ProgressReporter {
  /** Called when a phase starts. */
  start(phase: string, total: number, unit: string): void;
  /** Called periodically (implementations throttle rendering). */
  update(u: ProgressUpdate): void;
  /** Called when the phase ends. */
  stop(): void;
}

/** A reporter that does nothing (default for library calls). */
export const silentProgress: ProgressReporter = { start() {}, update() {}, stop() {} };
