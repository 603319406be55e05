/**
 * `wordloom params`: the parameter count of a recurrent cell, with its formula.
 */
import type { Command } from 'commander';
import { cellParamCount, cellParamFormula, type CellType } from '../../nn/param-count.ts';
import { choiceArg, intArg } from '../options.ts';

export function register(program: Command): void {
  program.command('params')
    .description('print the parameter count of a recurrent cell and its formula')
    .requiredOption('--cell <type>', 'cell type: rnn | gru | lstm', choiceArg(['rnn', 'gru', 'lstm'] as const))
    .requiredOption('--input <d>', 'input size d', intArg(1))
    .requiredOption('--hidden <N>', 'hidden size N', intArg(1))
    .option('--json', 'print JSON')
    .action((o: { cell: CellType; input: number; hidden: number; json?: boolean }) => {
      const count = cellParamCount(o.cell, o.input, o.hidden);
      const formula = cellParamFormula(o.cell);
      if (o.json) console.log(JSON.stringify({ cell: o.cell, input: o.input, hidden: o.hidden, params: count, formula }));
      else console.log(`${o.cell.toUpperCase()} d=${o.input} N=${o.hidden}: ${count} parameters = ${formula} = ${formula.replace(/N/g, String(o.hidden)).replace(/d/g, String(o.input))}`);
    });
}
