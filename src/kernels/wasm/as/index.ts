// AssemblyScript kernels entry, compiled twice by scripts/build-wasm.mjs (plain SIMD and relaxed SIMD).
// Each area's AssemblyScript file is re-exported here with one `export * from './x'` line.
// Rule for all files: no `new`/arrays/static mutable data; memory comes from the JS allocator
// (src/kernels/wasm/loader.ts), since several threads instantiate this module on one shared memory.
export { relaxedSimd, heapBase } from './simd';
export * from './gemm';
export * from './elementwise';
export * from './recurrent';
export * from './w2v';
export * from './glove';
export * from './vectors';
export * from './checksum';
