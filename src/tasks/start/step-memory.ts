/**
 * Pipeline step "memory": a quick version of the memory experiment (src/tasks/memory) — RNN, GRU and LSTM must
 * remember the first number of a random sequence for T steps — as a sweep over a few lengths and seeds with the
 * memory task's quick settings, plus one LSTM (a few units, so the heat map has rows) trained on its own whose
 * gate activations over one test sequence are recorded for the playground's heat map. Writes the sweep JSON + SVG,
 * the traces JSON, that LSTM's model file, and its learning curve as a training log.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/fs-node.ts';
import { Rng } from '../../util/rng.ts';
import type { CellType } from '../../nn/param-count.ts';
import { runSweep, sweepSvg } from '../memory/sweep.ts';
import { trainMemory, gateTraces, encodeMemoryModel, type MemoryOptions } from '../memory/train.ts';
import { memoryBatch } from '../memory/data.ts';
import type { PipelineStep } from './pipeline.ts';
import { RunLogger } from './logs-node.ts';

export interface MemoryStepSettings {
  cells: CellType[];
  lengths: number[];
  seeds: number[];
  /** Training options of every sweep run (hidden 1 = the headline single-cell experiment). */
  train: MemoryOptions;
  /** The LSTM whose gates are traced. */
  traced: MemoryOptions;
}

/** The memory task's `--quick` settings (src/cli/commands/memory.ts: MEMORY_QUICK, SWEEP_QUICK). */
export const MEMORY_STEP_DEFAULTS: MemoryStepSettings = {
  cells: ['rnn', 'gru', 'lstm'],
  lengths: [5, 20, 50],
  seeds: [1, 2],
  train: { steps: 4000, evalEvery: 250, testSize: 500 },
  traced: { cell: 'lstm', hidden: 6, length: 30, steps: 4000, evalEvery: 250, testSize: 500, seed: 1 },
};

export function memoryStep(s: MemoryStepSettings): PipelineStep {
  return {
    name: 'memory',
    title: `memory: ${s.cells.map((c) => c.toUpperCase()).join('/')} remembering x₁ for T = ${s.lengths.join(', ')} (${s.seeds.length} seeds, ≤ ${s.train.steps} steps) + gate traces of an LSTM`,
    settings: { ...s },
    inputs: [],
    async run(ctx) {
      const sweep = runSweep({ cells: s.cells, lengths: s.lengths, seeds: s.seeds, train: s.train }, ctx.progress);
      writeFileAtomic(join(ctx.dir, 'sweep.json'), JSON.stringify(sweep, null, 1) + '\n');
      writeFileAtomic(join(ctx.dir, 'sweep.svg'), sweepSvg(sweep));

      const logger = new RunLogger(ctx.layout.logsDir, 'memory-lstm', `memory task: ${String(s.traced.cell).toUpperCase()} N=${s.traced.hidden}, T=${s.traced.length}`, 'steps');
      const r = trainMemory({ ...s.traced, stopOnSuccess: false }, ctx.progress);
      for (const p of r.curve) logger.add(p.step, { trainMse: p.trainMse, valMse: p.valMse });
      logger.save();
      writeFileAtomic(join(ctx.dir, 'lstm.wlm'), encodeMemoryModel(r));
      const seq = memoryBatch(new Rng((s.traced.seed ?? 1) + 1000), r.config.length, 1, r.config.dist).x;
      const traces = gateTraces(r.model, seq);
      writeFileAtomic(join(ctx.dir, 'traces.json'), JSON.stringify({
        ...traces, training: { testMse: r.testMse, solved: r.solved, stepsToSuccess: r.stepsToSuccess, threshold: r.threshold },
      }) + '\n');

      const successRate: Record<string, Record<string, number>> = {};
      for (const c of sweep.summary) (successRate[c.cell] ??= {})[c.length] = c.successRate;
      ctx.log(`  sweep: ${sweep.runs.length} runs in ${sweep.seconds.toFixed(1)} s; traced LSTM test MSE ${r.testMse.toExponential(2)} (${r.solved ? 'solved' : 'not solved'})`);
      return {
        outputs: { sweep: 'memory/sweep.json', svg: 'memory/sweep.svg', traces: 'memory/traces.json', model: 'memory/lstm.wlm' },
        metrics: {
          cells: sweep.cells, lengths: sweep.lengths, seeds: sweep.seeds, successRate, runs: sweep.runs.length,
          threshold: sweep.threshold, hidden: sweep.train.hidden, steps: sweep.train.steps,
          traced: { cell: r.config.cell, hidden: r.config.hidden, length: r.config.length, testMse: r.testMse, solved: r.solved },
          note: `hidden ${sweep.train.hidden}, ≤ ${sweep.train.steps} steps, ${sweep.seeds.length} seeds per cell; entries = share of seeds solved`,
        },
      };
    },
  };
}
