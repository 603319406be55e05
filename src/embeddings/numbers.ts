/**
 * Decimal numbers straight from UTF-8/ASCII bytes, and shortest float32 formatting (browser-safe).
 *
 * `parseFloatBytes` parses one decimal token (`-1.25e-3`, `.5`, `7`) without creating a JS string:
 * the digits are accumulated into an integer mantissa and scaled by an exact power of ten. With at most
 * 15 significant digits and a decimal exponent within ±22 both operands are exact doubles, so one IEEE
 * multiplication/division gives the correctly rounded double (Clinger's fast path) — the same double as
 * `parseFloat`. Longer tokens fall back to `parseFloat` on the token. Storing the double into a
 * Float32Array then rounds it like `Math.fround(parseFloat(s))`, which is what gensim/numpy do
 * (`np.float32(float(s))`: decimal → double → float32).
 *
 * `formatFloat32(x)` writes the shortest decimal that reads back (through parseFloat + fround) to the
 * same float32, like numpy's `repr(np.float32(x))` — so files we write round-trip byte for byte.
 *
 * Reference: W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990 (fast path).
 */

/** Exact powers of ten representable as doubles (10^0 … 10^22). */
export const POW10: Float64Array = (() => {
  const p = new Float64Array(23);
  for (let i = 0; i < 23; i++) p[i] = Number(`1e${i}`);
  return p;
})();

/** Token end marker for parseFloatBytes: returned value is NaN when the token is not a decimal number. */
export interface ParsedNumber {
  /** The double value (NaN if the token is not a valid finite decimal). */
  value: number;
  /** Index just past the token. */
  end: number;
}

const isSep = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

/**
 * Parse one decimal number starting at `start` in `b`, stopping at a space, tab, CR, LF or `limit`.
 * Writes the result to `out` (value NaN for anything that is not a plain finite decimal: `nan`, `inf`,
 * `0x1p3`, `1.2.3`, `-`, `1e`, trailing garbage...). Separators are not consumed.
 */
export function parseFloatBytes(b: Uint8Array, start: number, limit: number, out: ParsedNumber): void {
  let q = start;
  let neg = false;
  let c = q < limit ? b[q] : 0x20;
  if (c === 0x2d) { neg = true; q++; } else if (c === 0x2b) q++;
  let m = 0, nd = 0, e10 = 0, digits = 0, slow = false;
  // integer part
  while (q < limit) {
    c = b[q] - 0x30;
    if (c < 0 || c > 9) break;
    digits++;
    if (nd < 15) { if (m !== 0 || c !== 0) { m = m * 10 + c; nd++; } } else { slow = true; }
    q++;
  }
  if (q < limit && b[q] === 0x2e) {
    q++;
    while (q < limit) {
      c = b[q] - 0x30;
      if (c < 0 || c > 9) break;
      digits++;
      if (nd < 15) { if (m !== 0 || c !== 0) { m = m * 10 + c; nd++; } e10--; } else if (c !== 0) slow = true;
      q++;
    }
  }
  if (digits === 0) { out.value = NaN; out.end = skipToken(b, q, limit); return; }
  if (q < limit && (b[q] | 0x20) === 0x65) { // e / E
    q++;
    let eneg = false, ed = 0, ev = 0;
    if (q < limit && (b[q] === 0x2d || b[q] === 0x2b)) { eneg = b[q] === 0x2d; q++; }
    while (q < limit) {
      c = b[q] - 0x30;
      if (c < 0 || c > 9) break;
      if (ev < 100000) ev = ev * 10 + c;
      ed++; q++;
    }
    if (ed === 0) { out.value = NaN; out.end = skipToken(b, q, limit); return; }
    e10 += eneg ? -ev : ev;
  }
  if (q < limit && !isSep(b[q])) { out.value = NaN; out.end = skipToken(b, q, limit); return; }
  out.end = q;
  let v: number;
  if (slow || e10 < -22 || e10 > 22) {
    // Rare: > 15 significant digits or a large exponent. Exact via parseFloat on the ASCII token.
    let s = '';
    for (let i = start; i < q; i++) s += String.fromCharCode(b[i]);
    v = parseFloat(s);
    out.value = Number.isFinite(v) ? v : NaN;
    return;
  }
  if (e10 === 0) v = m;
  else if (e10 < 0) v = m / POW10[-e10];
  else v = m * POW10[e10];
  out.value = neg ? -v : v;
}

function skipToken(b: Uint8Array, q: number, limit: number): number {
  while (q < limit && !isSep(b[q])) q++;
  return q;
}

const f32 = new Float32Array(1);

/**
 * Shortest decimal string that reads back to the same float32 (`Math.fround(parseFloat(s)) === x`),
 * spelled like Python's `repr` / C's `%g`: plain decimals for 1e-4 ≤ |x| < 1e16, otherwise an exponent
 * with at least two digits (`6.3681e-05`, `1e+16`) — the spelling GloVe, fastText and numpy use, so their
 * files re-serialise byte for byte. NaN/±Infinity are refused by the writers before this is called.
 */
export function formatFloat32(x: number): string {
  f32[0] = x;
  const v = f32[0];
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  // Most values need 5–9 digits; try from low precision upwards (≤ 9 always suffices for float32).
  let p = 1, r = 0;
  for (; p <= 9; p++) {
    r = Number(v.toPrecision(p));
    f32[0] = r;
    if (f32[0] === v) break;
  }
  const a = Math.abs(r);
  if (a >= 1e-4 && a < 1e16) return String(r);
  const s = r.toExponential(Math.min(p, 9) - 1);
  const k = s.indexOf('e');
  const e = s.slice(k + 2);
  return `${s.slice(0, k)}e${s[k + 1]}${e.length < 2 ? '0' + e : e}`;
}
