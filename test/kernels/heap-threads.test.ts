// The WASM heap and the GEMM thread pool: alloc never invalidates earlier views (the shared memory grows
// without detaching), freed blocks come back zeroed, heapPtr/allocI32 helpers, a module instantiated
// a second time on the same memory sees the same data, and threaded sgemm and sgemv are bit-identical to one thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  availableKernels, getKernels, allocF32, allocI32, allocU32, freeHeap, heapPtr, heapStats, inHeap, wasmMemory, wasmModule,
  wasmExports, instantiateWasm, setThreads, getThreads, threadsReady, threadedGemmCount, threadedGemvCount, threadPoolStats,
  referenceKernels,
} from '../../src/kernels/index.ts';
import { Rng } from '../../src/util/rng.ts';

const wasmNames = availableKernels().filter((n) => n.startsWith('wasm'));

test('alloc never invalidates earlier views; memory grows; free returns zeroed blocks', () => {
  const first = allocF32(1000);
  first.fill(3.5);
  const before = wasmMemory().buffer.byteLength;
  const big = allocF32(40 << 20 >> 2); // 40 MB: forces the shared memory to grow
  assert.ok(wasmMemory().buffer.byteLength > before, 'memory grew');
  assert.equal(first.length, 1000);
  assert.ok(first.every((v) => v === 3.5), 'old view still reads its data after growth');
  first[999] = 7;
  assert.equal(new Float32Array(wasmMemory().buffer, first.byteOffset, 1000)[999], 7, 'old view writes the live memory');
  assert.ok(big.every((v) => v === 0));
  assert.ok(inHeap(first) && inHeap(big) && inHeap(big.subarray(5)));
  assert.equal(heapPtr(big.subarray(5)), big.byteOffset + 20);
  assert.equal(first.byteOffset % 64, 0);
  big[123] = 1;
  const live = heapStats().liveBytes;
  freeHeap(big);
  assert.ok(heapStats().liveBytes < live);
  const again = allocF32(1 << 20);
  assert.ok(again.every((v) => v === 0), 'reused memory is zeroed');
  freeHeap(again);
  freeHeap(first);
  assert.throws(() => heapPtr(new Float32Array(4)), /not in the WASM heap/);
  const i = allocI32(5), u = allocU32(5);
  i[0] = -1; u[0] = 0xffffffff;
  assert.ok(inHeap(i) && inHeap(u));
  freeHeap(i); freeHeap(u);
});

test('a second instance of the module on the same memory sees the same heap', () => {
  const x = allocF32(8), y = allocF32(8);
  for (let k = 0; k < 8; k++) { x[k] = k; y[k] = 2; }
  const other = instantiateWasm(wasmModule(), wasmMemory());
  assert.equal(other.dot(8, heapPtr(x), heapPtr(y)), 56);
  assert.equal(wasmExports().dot(8, heapPtr(x), heapPtr(y)), 56);
  freeHeap(x); freeHeap(y);
});

for (const name of wasmNames) {
  test(`${name}: threaded sgemm is bit-identical to single-threaded (column and row splits)`, async () => {
    const b = getKernels(name);
    // Column split (wide C), row split (tall, narrow C), few-row path, all layouts, beta = 0 and accumulate.
    const shapes: Array<[number, number, number]> = [[64, 517, 228], [301, 9, 700], [128, 1200, 40], [2, 1030, 600]];
    const results: Float32Array[] = [];
    // threads = 1; then 2 and 3 threads with the main thread waiting for the workers (so the workers do
    // compute slices); then 2 threads with work stealing on (the default).
    for (const [threads, stealing] of [[1, true], [2, false], [3, false], [2, true]] as const) {
      setThreads(threads);
      if (threads > 1) assert.equal(await threadsReady(), threads - 1, 'worker threads started');
      assert.equal(getThreads(), threads);
      const before = threadPoolStats({ stealing });
      let r = 0;
      for (const [M, N, K] of shapes) for (const tA of [false, true]) for (const tB of [false, true]) {
        const A = b.alloc(M * K), B = b.alloc(K * N), C = b.alloc(M * N);
        const seeded = new Rng(1000 + r);
        seeded.fillUniform(A, -1, 1); seeded.fillUniform(B, -1, 1); seeded.fillUniform(C, -1, 1);
        const calls = threadedGemmCount();
        b.sgemm(tA, tB, M, N, K, 1.25, A, tA ? M : K, B, tB ? K : N, r % 2 ? 1 : 0, C, N);
        assert.equal(threadedGemmCount() - calls, threads > 1 ? 1 : 0, 'the call was split across threads');
        if (threads === 1) results.push(Float32Array.from(C));
        else assert.deepEqual(C, results[r], `${name} ${threads} threads M=${M} N=${N} K=${K} tA=${tA} tB=${tB}`);
        b.free(A); b.free(B); b.free(C);
        r++;
      }
      const after = threadPoolStats();
      if (threads > 1 && !stealing) {
        assert.equal(after.stolen, before.stolen, 'no slice taken over with stealing off');
        assert.ok(after.byWorkers - before.byWorkers >= r * (threads - 1) * 0.5, 'workers computed slices');
      }
    }
    threadPoolStats({ stealing: true });
    setThreads(1);
  });
}

for (const name of wasmNames) {
  test(`${name}: a long sgemv split over threads is bit-identical to one thread (and close to the reference)`, async () => {
    const b = getKernels(name);
    // M·N ≥ 2^20 elements is split; odd sizes so the row blocks do not fall on round numbers; y in and out of the heap.
    for (const [M, N, lda] of [[5003, 301, 301], [40001, 50, 53]] as const) {
      const A = b.alloc((M - 1) * lda + N), x = b.alloc(N);
      const seeded = new Rng(M);
      seeded.fillUniform(A, -1, 1); seeded.fillUniform(x, -1, 1);
      const ys: Float32Array[] = [];
      for (const [threads, stealing] of [[1, true], [2, false], [2, true], [3, false]] as const) {
        setThreads(threads);
        if (threads > 1) assert.equal(await threadsReady(), threads - 1);
        threadPoolStats({ stealing });
        for (const heapY of [true, false]) {
          const y = heapY ? b.alloc(M) : new Float32Array(M);
          y.fill(0.5);
          const calls = threadedGemvCount();
          b.sgemv(false, M, N, 0.75, A, lda, x, 0.25, y);
          assert.equal(threadedGemvCount() - calls, M * N >= 1 << 20 && threads > 1 ? 1 : 0, `split (M=${M} N=${N} threads ${threads})`);
          if (ys.length < 2) ys.push(Float32Array.from(y));
          else assert.deepEqual(y, ys[heapY ? 0 : 1], `${threads} threads, stealing ${stealing}`);
          if (heapY) b.free(y);
        }
      }
      assert.deepEqual(ys[0], ys[1]);
      const yr = new Float32Array(M).fill(0.5);
      referenceKernels.sgemv(false, M, N, 0.75, A, lda, x, 0.25, yr);
      let maxErr = 0;
      for (let i = 0; i < M; i++) maxErr = Math.max(maxErr, Math.abs(yr[i] - ys[0][i]));
      assert.ok(maxErr < 1e-4, `max |wasm − reference| = ${maxErr}`);
      b.free(A); b.free(x);
    }
    threadPoolStats({ stealing: true });
    setThreads(1);
  });
}
