/**
 * fastText's hashing of words and word n-grams, bit for bit as in fastText 0.9.2 (browser-safe):
 *
 *   word hash (Dictionary::hash): FNV-1a over the word's UTF-8 bytes, each byte taken as a *signed* char —
 *     h = 2166136261; for each byte b: h ^= uint32(int8(b)); h *= 16777619   (uint32 arithmetic)
 *   so bytes ≥ 0x80 (every byte of a non-ASCII character) are XORed as 0xFFFFFF80..0xFFFFFFFF, not 0x80..0xFF.
 *
 *   word n-grams (Dictionary::addWordNgrams): the word hashes are stored as int32 and widened to uint64 with sign
 *   extension; for each start i and each j in (i, i + n):
 *     h = uint64(int32 hash_i);  h = h * 116049371 + uint64(int32 hash_j)   (mod 2^64)
 *     feature id = nwords + h % bucket
 *   Out-of-vocabulary words and the end-of-sentence token "</s>" take part in n-grams with their hashes.
 *
 * The 64-bit arithmetic is done on two uint32 halves (exact in doubles: every partial product is < 2^53), which
 * is ~10× faster than BigInt; test/embeddings/fasttext-hash.test.ts checks it against an independent BigInt version.
 *
 * Reference: fastText 0.9.2, src/dictionary.cc (hash, getLine, addWordNgrams, pushHash); A. Joulin, E. Grave,
 * P. Bojanowski, T. Mikolov, "Bag of Tricks for Efficient Text Classification", EACL 2017 (hashing trick for bigrams).
 */

const encoder = new TextEncoder();

/** fastText's 32-bit word hash (as an unsigned number). */
export function fasttextHash(word: string): number {
  let h = 2166136261 >>> 0;
  // ASCII fast path: no encoding needed (bytes = char codes < 0x80, so int8 = uint8).
  let ascii = true;
  for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) >= 0x80) { ascii = false; break; }
  if (ascii) {
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
    return h >>> 0;
  }
  const bytes = encoder.encode(word);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    h = Math.imul(h ^ (b >= 0x80 ? (b | 0xffffff00) : b), 16777619); // uint32(int8(b)): sign-extended byte
  }
  return h >>> 0;
}

const MULT = 116049371; // < 2^27
const TWO32 = 4294967296;

/**
 * Append the word n-gram feature ids of one line (n = 2..wordNgrams) to `out` starting at `pos`; returns the new
 * position. `hashes` are the line's word hashes (uint32 or int32 values; the low 32 bits are used).
 */
export function addWordNgrams(hashes: ArrayLike<number>, count: number, wordNgrams: number, bucket: number, nwords: number, out: Int32Array, pos: number): number {
  if (wordNgrams <= 1 || bucket <= 0) return pos;
  for (let i = 0; i < count; i++) {
    let lo = hashes[i] >>> 0;
    let hi = lo >= 0x80000000 ? 0xffffffff : 0; // sign extension of the int32 hash
    for (let j = i + 1; j < count && j < i + wordNgrams; j++) {
      // (hi, lo) * MULT mod 2^64
      const ll = lo & 0xffff, lh = lo >>> 16;
      const p1 = ll * MULT, p2 = lh * MULT; // each < 2^43
      const low = p1 + (p2 % 65536) * 65536; // < 2^44
      const nlo = low % TWO32;
      const carry = Math.floor(low / TWO32) + Math.floor(p2 / 65536);
      let nhi = (Math.imul(hi, MULT) >>> 0) + carry;
      // + uint64(int32 hash_j)
      const hj = hashes[j] >>> 0;
      let sum = nlo + hj;
      if (sum >= TWO32) { sum -= TWO32; nhi += 1; }
      if (hj >= 0x80000000) nhi += 0xffffffff;
      hi = nhi % TWO32; lo = sum;
      // (hi·2^32 + lo) mod bucket, 16 bits at a time (bucket < 2^31, so r·65536 < 2^47).
      let r = hi % bucket;
      r = (r * 65536 + (lo >>> 16)) % bucket;
      r = (r * 65536 + (lo & 0xffff)) % bucket;
      out[pos++] = nwords + r;
    }
  }
  return pos;
}

/** How many n-gram features addWordNgrams adds for a line of `count` hashes. */
export function wordNgramCount(count: number, wordNgrams: number): number {
  let k = 0;
  for (let n = 2; n <= wordNgrams; n++) k += Math.max(0, count - n + 1);
  return k;
}
