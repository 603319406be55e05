/**
 * The list of CLI commands. Each module exports `register(program: Command): void`.
 * Add one line here per command module.
 */
import type { Command } from 'commander';
import { register as memory } from './memory.ts';
import { register as params } from './params.ts';
import { register as sentiment } from './sentiment.ts';
import { register as serve } from './serve.ts';
import { register as start } from './start.ts';
import { register as vectors } from './vectors.ts';

export const commands: Array<(program: Command) => void> = [
  memory,
  params,
  sentiment,
  serve,
  start,
  vectors,
];
