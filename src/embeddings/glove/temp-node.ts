/**
 * Temporary working folders of the GloVe pipeline (co-occurrence runs, shuffle chunks, the shuffled training
 * file): the shared mechanism of src/util/temp-node.ts (removed at the end, on error, on SIGINT/SIGTERM;
 * stale folders of killed runs swept), named `wordloom-glove-…`, with --temp-dir as the parent.
 */
import { TempDir as SharedTempDir } from '../../util/temp-node.ts';

/** A temporary folder owned by one GloVe job. */
export class TempDir extends SharedTempDir {
  /** @param parent folder to create it in (--temp-dir; default: the OS temp dir) */
  constructor(parent?: string) {
    super('glove', parent, '--temp-dir');
  }
}

/** Run `fn` with a temporary folder that is removed afterwards (also when `fn` throws). */
export async function withTempDir<T>(parent: string | undefined, fn: (dir: TempDir) => Promise<T>): Promise<T> {
  const dir = new TempDir(parent);
  try { return await fn(dir); } finally { dir.dispose(); }
}
