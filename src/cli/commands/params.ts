/**
 * `wordloom params`: the parameter count of a recurrent cell, with its formula. The count is the formula
 * AND the actual layer: the command builds the layer's parameters in a ParamSet and fails if they disagree.
 */
import type { Command } from 'commander';
import { cellParamCount, cellParamFormula, type CellType } from '../../nn/param-count.ts';
import { ParamSet } from '../../nn/params.ts';
import { createCell } from '../../nn/sequence.ts';
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
      // The real layer must agree with the formula (declared parameters only: no buffers are allocated).
      const layer = createCell(o.cell, o.input, o.hidden, o.cell);
      const ps = new ParamSet();
      layer.build(ps);
      if (layer.paramCount() !== count || ps.count() !== count) {
        throw new Error(`internal error: the ${o.cell} layer has ${ps.count()} parameters but the formula gives ${count}`);
      }
      const formula = cellParamFormula(o.cell);
      if (o.json) console.log(JSON.stringify({ cell: o.cell, input: o.input, hidden: o.hidden, params: count, formula }));
      else console.log(`${o.cell.toUpperCase()} d=${o.input} N=${o.hidden}: ${count} parameters = ${formula} = ${formula.replace(/N/g, String(o.hidden)).replace(/d/g, String(o.input))}`);
    });
}
