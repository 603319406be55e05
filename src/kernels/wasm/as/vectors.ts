// Word-vector file parsing kernels (owned by src/embeddings/). Similarity search (mostSimilar's
// matrix-vector product) is the kernels' sgemv (recurrent.ts), split over threads by the pool.
// Same memory rule as the other files here: no `new`, no arrays, no static mutable data.

// ---------------------------------------------------------------------------------------------------
// Text vector files (GloVe / word2vec text / fastText .vec): parse a block of complete lines
// `word v1 … vD` straight from the file bytes into float32 rows. Used by src/embeddings/formats.ts
// (one thread) and src/embeddings/text-parse-node.ts (worker threads). Only the common spelling is
// parsed here; any other line is flagged and re-parsed by the JS reader (which also words the error
// messages), so the results are those of `Math.fround(parseFloat(token))` by construction:
// every value parsed here has an integer mantissa m ≤ 2^53 and a decimal exponent |e| ≤ 22, so m and
// 10^|e| are exact doubles and one IEEE division/multiplication gives the correctly rounded double
// (Clinger's fast path, as parseFloat), and f32.demote rounds it like Math.fround.
// Reference: W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990; the 8-digit SWAR
// conversion follows D. Lemire, "Number parsing at a gigabyte per second", Software: Practice and Experience 2021.

/** 10^0 … 10^22 as doubles (all exact); read-only static data. */
const POW10_F64: usize = memory.data<f64>([1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]);
/** 10^0 … 10^8 as integers; read-only static data. */
const POW10_U64: usize = memory.data<u64>([1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000]);
const MAX_EXACT: u64 = 9007199254740992; // 2^53

/** Per-byte flags: a non-zero byte where w (8 little-endian bytes) does not hold an ASCII digit. */
// @ts-ignore: decorator
@inline function nonDigits(w: u64): u64 {
  const a = w & 0xF0F0F0F0F0F0F0F0;
  // (+6 may carry into the next byte only from a byte ≥ 0xFA, itself a non-digit: later bytes do not matter)
  const b = (w + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0;
  return (a ^ 0x3030303030303030) | (b ^ 0x3030303030303030);
}

/** Value of the first n (1…8) ASCII digits held in w (first digit in the lowest byte). */
// @ts-ignore: decorator
@inline function digitsValue(w: u64, n: u64): u64 {
  w = w << (64 - (n << 3)); // drop the bytes after the digits; leading zero bytes = leading zeros
  w = ((w & 0x0F0F0F0F0F0F0F0F) * 2561) >> 8;
  w = ((w & 0x00FF00FF00FF00FF) * 6553601) >> 16;
  return ((w & 0x0000FFFF0000FFFF) * 42949672960001) >> 32;
}

/** End of the token read by the last parseTokenSlow call (a global: private to each instance/thread). */
let tokenEnd: usize = 0;

/**
 * Any `[+-]digits[.digits][(e|E)[+-]digits]` token with ≤ 19 significant digits, m ≤ 2^53 and a decimal
 * exponent within ±22: its value (sets tokenEnd). NaN for anything else (the caller then hands the line to JS).
 */
function parseTokenSlow(q: usize): f64 {
  let c: u32 = load<u8>(q);
  let neg = false;
  if (c == 0x2d) { neg = true; q++; } else if (c == 0x2b) q++;
  let m: u64 = 0;
  let sig: i32 = 0, digits: i32 = 0, e10: i32 = 0;
  for (;;) {
    const d = <u32>load<u8>(q) - 0x30;
    if (d > 9) break;
    m = m * 10 + <u64>d;
    if (m != 0) sig++;
    digits++; q++;
  }
  if (load<u8>(q) == 0x2e) {
    q++;
    for (;;) {
      const d = <u32>load<u8>(q) - 0x30;
      if (d > 9) break;
      m = m * 10 + <u64>d;
      if (m != 0) sig++;
      digits++; e10--; q++;
    }
  }
  if (digits == 0 || sig > 19) return NaN;
  if ((load<u8>(q) | 0x20) == 0x65) {
    q++;
    let eneg = false;
    c = load<u8>(q);
    if (c == 0x2d) { eneg = true; q++; } else if (c == 0x2b) q++;
    let ev: i32 = 0, ed: i32 = 0;
    for (;;) {
      const d = <u32>load<u8>(q) - 0x30;
      if (d > 9) break;
      if (ev < 100000) ev = ev * 10 + <i32>d;
      ed++; q++;
    }
    if (ed == 0) return NaN;
    e10 += eneg ? -ev : ev;
  }
  if (m > MAX_EXACT || e10 < -22 || e10 > 22) return NaN;
  tokenEnd = q;
  let v = <f64>m;
  if (e10 < 0) v = v / load<f64>(POW10_F64 + (<usize>(-e10) << 3));
  else if (e10 > 0) v = v * load<f64>(POW10_F64 + (<usize>e10 << 3));
  return neg ? -v : v;
}

/**
 * Parse the lines of src[0, len): a block of complete lines (each ends with '\n', except a last line at the
 * end of the file, for which the caller puts a '\n' at src[len]); at least 16 readable bytes must follow
 * src[len] (8-byte loads). Line k's values go to row k of `out` (dim floats per row) if k < room.
 * info[2k] = byte offset of line k; info[2k+1] = byte offset where its word ends (the line was parsed),
 * -1 for a blank line (only spaces, tabs, CRs), -2 for a line the JS reader must handle (anything else:
 * other spellings, wrong count, no room, ...). Returns the number of lines.
 */
export function vecParseText(src: usize, len: i32, dim: i32, out: usize, room: i32, info: usize): i32 {
  const end = src + <usize>len;
  const rowBytes = <usize>dim << 2;
  let p = src;
  let k: i32 = 0;
  while (p < end) {
    const ls = p;
    let status: i32 = -2;
    let c: u32 = load<u8>(p);
    if (c > 0x20 && k < room) {
      let q = p + 1;
      for (;;) { c = load<u8>(q); if (c == 0x20 || c == 0x0a) break; q++; }
      if (c == 0x20) {
        const wordEnd = q;
        let o = out + <usize>k * rowBytes;
        const oEnd = o + rowBytes;
        let ok = true;
        while (o < oEnd) {
          // Common spelling [-]d{0,8}[.d{0,8}]: one 16-byte load gives the token length (up to the first byte
          // ≤ 0x20), the digit and dot positions; two SWAR conversions give m. A space continues the row; any
          // other end byte ends it (the check after the loop accepts only spaces/tabs/CRs before the '\n').
          const v = v128.load(q);
          const sp = i8x16.bitmask(i8x16.eq(v, i8x16.splat(0x20)));
          const len = <u32>ctz(i8x16.bitmask(i8x16.le_u(v, i8x16.splat(0x20))));
          const dm = i8x16.bitmask(i8x16.lt_u(i8x16.sub(v, i8x16.splat(0x30)), i8x16.splat(10)));
          const neg = <u32>(i8x16.extract_lane_u(v, 0) == 0x2d);
          const range = (<u32>1 << len) - 1;
          const dot = <u32>i8x16.bitmask(i8x16.eq(v, i8x16.splat(0x2e))) & range;
          const dp = dot ? <u32>ctz(dot) : len;
          const n1 = dp - neg;
          const n2 = dot ? len - dp - 1 : 0;
          if (len - 1 < 15 && ((<u32>dm | dot | neg) & range) == range && (dot & (dot - 1)) == 0 && n1 <= 8 && n2 <= 8 && n1 + n2 > 0) {
            let m: u64 = n1 ? digitsValue(load<u64>(q + <usize>neg), <u64>n1) : 0;
            if (n2) m = m * load<u64>(POW10_U64 + (<usize>n2 << 3)) + digitsValue(load<u64>(q + <usize>dp + 1), <u64>n2);
            if (m > MAX_EXACT) { ok = false; break; }
            const x = <f64>m / load<f64>(POW10_F64 + (<usize>n2 << 3));
            store<u32>(o, reinterpret<u32>(<f32>x) | (neg << 31));
            o += 4;
            q += <usize>len;
            // a tab or another control byte after the token: break here; the checks below reject the line
            if (!((<u32>sp >> len) & 1)) break;
            q++;
            continue;
          }
          if (sp & 1) { q++; continue; } // one more space between the values
          // any other spelling this parser can still take exactly (exponents, long digit runs, '+')
          const x = parseTokenSlow(q);
          if (isNaN(x)) { ok = false; break; }
          q = tokenEnd;
          const t = <u32>load<u8>(q);
          if (t != 0x20 && t != 0x0a && t != 0x0d) { ok = false; break; }
          store<f32>(o, <f32>x);
          o += 4;
          if (t != 0x20) break;
          q++;
        }
        if (ok && o == oEnd) {
          for (;;) { c = load<u8>(q); if (c != 0x20 && c != 0x0d && c != 0x09) break; q++; }
          if (c == 0x0a) { status = <i32>(wordEnd - src); p = q; }
        }
      }
    }
    if (status == -2) {
      let blank = true;
      let q = ls;
      for (;;) { c = load<u8>(q); if (c == 0x0a) break; if (c != 0x20 && c != 0x0d && c != 0x09) blank = false; q++; }
      if (blank) status = -1;
      p = q;
    }
    store<i32>(info + (<usize>k << 3), <i32>(ls - src));
    store<i32>(info + (<usize>k << 3) + 4, status);
    k++;
    p++; // past the '\n'
  }
  return k;
}

/** Number of `byte` bytes in src[0, len) (16 at a time). */
export function vecCountByte(src: usize, len: i32, byte: i32): i32 {
  const end = src + <usize>len;
  const pat = i8x16.splat(<i8>byte);
  let p = src;
  let n: i32 = 0;
  for (; p + 16 <= end; p += 16) n += <i32>popcnt(i8x16.bitmask(i8x16.eq(v128.load(p), pat)));
  for (; p < end; p++) if (load<u8>(p) == <u8>byte) n++;
  return n;
}
