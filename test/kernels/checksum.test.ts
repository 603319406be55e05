// WLSUM32 (src/kernels/checksum.ts): the WASM stripe kernel equals the plain-TS reference; streaming in any split
// equals one call; every single flipped bit of a buffer changes the checksum; the trailer round-trips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Checksum, STRIPE_BYTES, checksumTrailer, hasChecksumTrailer, verifyChecksumTrailer, wlsum32, wlsumStripesReference,
} from '../../src/kernels/checksum.ts';
import { allocU8, freeHeap, wasmAvailable } from '../../src/kernels/index.ts';
import { WordloomError } from '../../src/util/errors.ts';
import { Rng } from '../../src/util/rng.ts';

function randomBytes(n: number, seed: number): Uint8Array {
  const r = new Rng(seed), b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = r.nextU32() & 0xff;
  return b;
}

/** The checksum computed with the plain-TS stripe loop only (the definition). */
function referenceSum(b: Uint8Array): number {
  const c = new Checksum();
  const lanes = (c as unknown as { lanes: Uint32Array }).lanes;
  const bulk = b.length - (b.length % STRIPE_BYTES);
  wlsumStripesReference(b, 0, bulk, lanes);
  c.length = bulk;
  c.update(b.subarray(bulk));
  return c.digest();
}

test('fixed values (a change to the algorithm must be a new trailer tag)', () => {
  assert.equal(wlsum32(new Uint8Array(0)), 0x0eebe89f);
  assert.equal(wlsum32(new TextEncoder().encode('a')), 0xe3f1f0be);
});

test('WASM kernel (in the heap and through the scratch copy) equals the reference; splits do not matter', () => {
  const b = randomBytes(300_007, 1);
  const ref = referenceSum(b);
  assert.equal(wlsum32(b), ref);
  assert.equal(wlsum32(b.subarray(0)), ref);
  const odd = new Uint8Array(b.length + 3); odd.set(b, 3);
  assert.equal(wlsum32(odd.subarray(3)), ref, 'unaligned view');
  if (wasmAvailable()) {
    const h = allocU8(b.length); h.set(b);
    assert.equal(wlsum32(h), ref, 'heap bytes');
    freeHeap(h);
  }
  const r = new Rng(2);
  for (let k = 0; k < 5; k++) {
    const c = new Checksum();
    for (let p = 0; p < b.length;) { const n = Math.min(b.length - p, r.int(9000)); c.update(b.subarray(p, p + n)); p += n; }
    assert.equal(c.digest(), ref);
  }
});

test('every single flipped bit changes the checksum (stripes, tail, length)', () => {
  const b = randomBytes(2 * STRIPE_BYTES + 7, 3);
  const base = wlsum32(b);
  for (let i = 0; i < b.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      b[i] ^= 1 << bit;
      assert.notEqual(wlsum32(b), base, `byte ${i} bit ${bit}`);
      b[i] ^= 1 << bit;
    }
  }
  assert.notEqual(wlsum32(b.subarray(0, b.length - 1)), base);
  assert.notEqual(wlsum32(new Uint8Array(5)), wlsum32(new Uint8Array(6)), 'zero bytes added');
});

test('trailer: verify accepts the sealed file, names the file on damage', () => {
  const body = randomBytes(1000, 4);
  const file = new Uint8Array([...body, ...checksumTrailer([body])]);
  assert.ok(hasChecksumTrailer(file));
  assert.equal(verifyChecksumTrailer(file, 'f.bin'), body.length);
  file[500] ^= 4;
  assert.throws(() => verifyChecksumTrailer(file, 'f.bin'), (e: unknown) => e instanceof WordloomError && /^f\.bin: checksum mismatch: the file is damaged/.test(e.message));
  assert.throws(() => verifyChecksumTrailer(body, 'f.bin'), /f\.bin: the file is damaged: its checksum trailer/);
});
