/**
 * The list of CLI commands. Each module exports `register(program: Command): void`.
 * Add one line here per command module.
 */
import type { Command } from 'commander';
import { register as params } from './params.ts';

export const commands: Array<(program: Command) => void> = [
  params,
];
