/**
 * The list of CLI commands. Each module exports `register(program: Command): void`.
 * Add one line here per command module.
 */
import type { Command } from 'commander';
import { register as glove } from './glove.ts';
import { register as kernels } from './kernels.ts';
import { register as memory } from './memory.ts';
import { register as params } from './params.ts';
import { register as sentiment } from './sentiment.ts';
import { register as serve } from './serve.ts';
import { register as start } from './start.ts';
import { register as vectors } from './vectors.ts';
import { register as word2vec } from './word2vec.ts';

export const commands: Array<(program: Command) => void> = [
  glove,
  kernels,
  memory,
  params,
  sentiment,
  serve,
  start,
  vectors,
  word2vec,
];
