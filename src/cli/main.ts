/**
 * The `wordloom` command line. Each command lives in `src/cli/commands/<name>.ts` and exports
 * `register(program)`; this file only wires them up and turns errors into one-line messages (report-error.ts:
 * WordloomErrors and file-system errors exit 2, a closed stdout exits quietly).
 */
import { Command, CommanderError } from 'commander';
import { setNoticeHandler } from '../util/notices.ts';
import { commands } from './commands/index.ts';
import { describeError, installProcessHandlers } from './report-error.ts';

export function buildProgram(): Command {
  const program = new Command('wordloom')
    .description('Recurrent networks and word embeddings on the CPU: RNN/GRU/LSTM, word2vec, GloVe, sentiment, playground.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  setNoticeHandler((m) => process.stderr.write(`wordloom: ${m}\n`)); // e.g. "F: note: … carries no checksum"
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    // A bad flag or argument (commander has printed its one line): exit 2 like every other input error.
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    const d = describeError(e, argv);
    if (d.message) process.stderr.write(d.message + '\n');
    return d.exitCode;
  }
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry || process.argv[1]?.endsWith('wordloom.js') || process.argv[1]?.endsWith('wordloom')) {
  installProcessHandlers(process.argv.slice(2));
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
