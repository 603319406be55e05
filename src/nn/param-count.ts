/**
 * Parameter counts of the recurrent cells, as closed formulas (one bias vector per gate):
 *   RNN  N·d + N² + N,   GRU 3(N·d + N² + N),   LSTM 4(N·d + N² + N)
 * for input size d and hidden size N. The layer classes' paramCount() must agree (tested).
 */
export type CellType = 'rnn' | 'gru' | 'lstm';

/** Number of gate blocks per cell: RNN 1 (h), GRU 3 (z, r, h), LSTM 4 (i, f, g, o). */
export const GATES: Record<CellType, number> = { rnn: 1, gru: 3, lstm: 4 };

export function cellParamCount(cell: CellType, inputSize: number, hiddenSize: number): number {
  const d = inputSize, N = hiddenSize;
  return GATES[cell] * (N * d + N * N + N);
}

export function cellParamFormula(cell: CellType): string {
  return cell === 'rnn' ? 'N·d + N² + N' : `${GATES[cell]}(N·d + N² + N)`;
}
