// AssemblyScript kernels entry (compiled twice: plain SIMD and relaxed SIMD). Placeholder kernel set
// that the kernels work replaces with the full GEMM / elementwise set.
export function dot(n: i32, x: usize, y: usize): f32 {
  let s: f32 = 0;
  for (let i = 0; i < n; i++) s += load<f32>(x + (<usize>i << 2)) * load<f32>(y + (<usize>i << 2));
  return s;
}
