/**
 * Cost of the checksum on load: a synthetic 400,000 × 300 native vectors file (482 MB, seeded, written once into
 * /tmp/wordloom-bench) loaded with loadVectors as version 2 (checksum trailer, every byte verified) and as the same
 * bytes in version 1 (no trailer, nothing verified), alternating, best of 5 each (wall and this process's CPU time:
 * on the shared machine the wall time of a 482 MB load moves by seconds between runs); plus WLSUM32 alone over the
 * matrix in the WASM heap (the kernel) and over a plain buffer (through the scratch copy), and the TS reference on
 * 48 MB. --quick: 50,000 × 300.
 *
 * Run ONLY under the bench lock:  flock /tmp/wordloom-bench.lock node --import tsx bench/checksum.bench.ts [--quick]
 * (or `npm run bench -- checksum`). Writes bench/results/checksum.json. `--generate-only` just writes the files (no lock needed).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { K } from '../src/kernels/index.ts';
import { CHECKSUM_TRAILER_BYTES, STRIPE_BYTES, wlsum32, wlsumStripesReference } from '../src/kernels/checksum.ts';
import { WordVectors } from '../src/embeddings/word-vectors.ts';
import { loadVectors, saveVectors } from '../src/embeddings/io-node.ts';
import { Rng } from '../src/util/rng.ts';

const quick = process.argv.includes('--quick');
const V = quick ? 50_000 : 400_000, D = 300;
const DIR = '/tmp/wordloom-bench';
const V2 = `${DIR}/checksum.${V}x${D}.wlv`;
const V1 = `${DIR}/checksum.${V}x${D}.v1.wlv`;
mkdirSync(DIR, { recursive: true });

if (!existsSync(V2) || !existsSync(V1)) {
  console.log(`generating ${V2} (seed 4) …`);
  const rng = new Rng(4);
  const m = K.alloc(V * D);
  for (let i = 0; i < m.length; i++) m[i] = (rng.nextU32() / 4294967296 - 0.5) * 0.8;
  const v = new WordVectors(Array.from({ length: V }, (_, i) => 'w' + i.toString(36)), m, D);
  saveVectors(v, V2 + '.tmp', { overwrite: true, format: 'wordloom' });
  renameSync(V2 + '.tmp', V2);
  const b = readFileSync(V2);
  const old = b.subarray(0, b.length - CHECKSUM_TRAILER_BYTES);
  old.writeUInt32LE(1, 8); // version 1: the same bytes without the trailer
  writeFileSync(V1, old);
  v.dispose();
}

if (process.argv.includes('--generate-only')) process.exit(0); // data preparation needs no lock
const time = (fn: () => void): number => { const t0 = performance.now(); fn(); return performance.now() - t0; };
const cpuMs = (fn: () => void): number => { const c0 = process.cpuUsage(); fn(); const c = process.cpuUsage(c0); return (c.user + c.system) / 1000; };
const load0 = loadavg()[0];
const t2: number[] = [], t1: number[] = [], c2: number[] = [], c1: number[] = [];
for (let k = 0; k < 5; k++) {
  let w = 0;
  c2.push(cpuMs(() => { w = time(() => { const v = loadVectors(V2); if (v.source.checksum !== 'verified') throw new Error('not verified'); v.dispose(); }); }));
  t2.push(w);
  c1.push(cpuMs(() => { w = time(() => { const v = loadVectors(V1); if (v.source.checksum !== 'none') throw new Error('v1?'); v.dispose(); }); }));
  t1.push(w);
}
const best = (a: number[]) => Math.min(...a);
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

// The checksum alone.
const v = loadVectors(V2);
const heap = new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength);
const kernelMs = best([0, 1, 2].map(() => time(() => wlsum32(heap))));
const plain = new Uint8Array(heap.length); plain.set(heap);
const copyMs = best([0, 1, 2].map(() => time(() => wlsum32(plain))));
const refBytes = Math.min(48_000_000, plain.length - (plain.length % STRIPE_BYTES));
const refMs = best([0, 1].map(() => time(() => wlsumStripesReference(plain, 0, refBytes, new Uint32Array(32)))));
v.dispose();

const size = statSync(V2).size;
const row = {
  bench: 'checksum', date: new Date().toISOString(), quick, vocab: V, dim: D, fileBytes: size, kernels: K.name, loadAverage: load0,
  loadMs: { v2Checked: { best: best(t2), median: median(t2), all: t2 }, v1Unchecked: { best: best(t1), median: median(t1), all: t1 } },
  cpuMs: { v2Checked: { best: best(c2), all: c2 }, v1Unchecked: { best: best(c1), all: c1 } },
  overheadMs: best(t2) - best(t1), overheadPct: (100 * (best(t2) - best(t1))) / best(t1),
  overheadCpuMs: best(c2) - best(c1),
  wlsum32: {
    heapKernelMs: kernelMs, heapGBps: heap.length / kernelMs / 1e6,
    scratchCopyMs: copyMs, scratchGBps: plain.length / copyMs / 1e6,
    referenceTsGBps: refBytes / refMs / 1e6,
  },
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
};
console.log(`file ${V2}: ${(size / 1e6).toFixed(0)} MB; kernels ${K.name}; load average ${load0.toFixed(1)}`);
console.log(`loadVectors, version 2 (checksum verified): best ${best(t2).toFixed(0)} ms, median ${median(t2).toFixed(0)} ms`);
console.log(`loadVectors, version 1 (no checksum):       best ${best(t1).toFixed(0)} ms, median ${median(t1).toFixed(0)} ms`);
console.log(`CPU time per load (this process): version 2 best ${best(c2).toFixed(0)} ms, version 1 best ${best(c1).toFixed(0)} ms`);
console.log(`checksum cost on load: ${row.overheadMs.toFixed(0)} ms wall (${row.overheadPct.toFixed(1)} %), ${row.overheadCpuMs.toFixed(0)} ms CPU`);
console.log(`WLSUM32 alone: ${kernelMs.toFixed(0)} ms in the WASM heap (${row.wlsum32.heapGBps.toFixed(1)} GB/s), ${copyMs.toFixed(0)} ms through the scratch copy (${row.wlsum32.scratchGBps.toFixed(1)} GB/s); TS reference ${row.wlsum32.referenceTsGBps.toFixed(2)} GB/s`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/checksum.json', JSON.stringify(row, null, 2) + '\n');
console.log('wrote bench/results/checksum.json');
