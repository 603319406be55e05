import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellParamCount } from '../src/nn/param-count.ts';

test('param count formulas', () => {
  assert.equal(cellParamCount('rnn', 100, 128), 128 * 100 + 128 * 128 + 128);
  assert.equal(cellParamCount('gru', 100, 128), 3 * (128 * 100 + 128 * 128 + 128));
  assert.equal(cellParamCount('lstm', 100, 128), 4 * (128 * 100 + 128 * 128 + 128));
});
