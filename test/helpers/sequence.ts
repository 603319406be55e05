// A SequenceModel on its own ParamSet for the nn tests: built, finalized in the given precision, initialised from
// `seed`, and with random (non-zero) biases so that gradient checks exercise them.
import { ParamSet } from '../../src/nn/params.ts';
import { SequenceModel, type SequenceModelOptions } from '../../src/nn/sequence.ts';
import { Rng } from '../../src/util/rng.ts';

export function buildSequenceModel(opts: SequenceModelOptions, precision: 'float32' | 'float64' = 'float64', seed = 11): { m: SequenceModel; ps: ParamSet } {
  const m = new SequenceModel(opts);
  const ps = new ParamSet();
  m.build(ps);
  ps.finalize(precision);
  m.initialize(new Rng(seed));
  const rng = new Rng(seed + 1);
  for (const s of ps.list()) if (s.name.includes('.b_')) rng.fillUniform(ps.view(s), -0.5, 0.5);
  return { m, ps };
}
