/* Native FMA-throughput probe for bench/fma-peak.bench.ts: 12 independent fused multiply-adds per iteration on
 * 128-bit (xmm, SSE/AVX width = WASM SIMD width), 256-bit (ymm, AVX2) and 512-bit (zmm, AVX-512) vectors, one thread.
 * Each width is compiled with its own target attribute and only run if the CPU supports it.
 * Prints one JSON line: {"xmm128": GFLOP/s, "ymm256": ..., "zmm512": ...} (null where unsupported).
 * Build: gcc -O2 -o fma_peak fma_peak.c   (the bench does this in a temporary directory) */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

/* The empty asm keeps the 12 accumulators in registers and stops the compiler from merging or folding the chains. */
#define BODY(T, FMA, SET, ADD, STORE)                                                                               \
  T a = SET(1.0000001f), b = SET(0.9999999f), c0 = SET(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0,  \
    c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;                                                                 \
  for (long i = 0; i < n; i++) {                                                                                   \
    c0 = FMA(a, b, c0); c1 = FMA(a, b, c1); c2 = FMA(a, b, c2); c3 = FMA(a, b, c3);                                \
    c4 = FMA(a, b, c4); c5 = FMA(a, b, c5); c6 = FMA(a, b, c6); c7 = FMA(a, b, c7);                                \
    c8 = FMA(a, b, c8); c9 = FMA(a, b, c9); c10 = FMA(a, b, c10); c11 = FMA(a, b, c11);                            \
    __asm__ volatile("" : "+x"(c0), "+x"(c1), "+x"(c2), "+x"(c3), "+x"(c4), "+x"(c5), "+x"(c6), "+x"(c7),         \
                     "+x"(c8), "+x"(c9), "+x"(c10), "+x"(c11));                                                    \
  }                                                                                                                \
  T s = ADD(ADD(ADD(c0, c1), ADD(c2, c3)), ADD(ADD(ADD(c4, c5), ADD(c6, c7)), ADD(ADD(c8, c9), ADD(c10, c11))));   \
  float o[16];                                                                                                     \
  STORE(o, s);                                                                                                     \
  return o[0];

__attribute__((target("fma"))) static float k128(long n) { BODY(__m128, _mm_fmadd_ps, _mm_set1_ps, _mm_add_ps, _mm_storeu_ps) }
__attribute__((target("avx2,fma"))) static float k256(long n) { BODY(__m256, _mm256_fmadd_ps, _mm256_set1_ps, _mm256_add_ps, _mm256_storeu_ps) }
__attribute__((target("avx512f"))) static float k512(long n) { BODY(__m512, _mm512_fmadd_ps, _mm512_set1_ps, _mm512_add_ps, _mm512_storeu_ps) }

static double best(int k, long n) {
  volatile float sink = 0;
  double b = 1e30;
  for (int r = 0; r < 5; r++) {
    double t = now();
    sink += k == 0 ? k128(n) : k == 1 ? k256(n) : k512(n);
    t = now() - t;
    if (t < b) b = t;
  }
  (void)sink;
  return b;
}

int main(void) {
  const long n = 20000000;
  const int lanes[3] = {4, 8, 16};
  const char *names[3] = {"xmm128", "ymm256", "zmm512"};
  const int ok[3] = {__builtin_cpu_supports("fma"), __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"),
                     __builtin_cpu_supports("avx512f")};
  printf("{");
  for (int k = 0; k < 3; k++) {
    if (ok[k]) printf("%s\"%s\": %.2f", k ? ", " : "", names[k], n * 12.0 * lanes[k] * 2 / best(k, n) / 1e9);
    else printf("%s\"%s\": null", k ? ", " : "", names[k]);
  }
  printf("}\n");
  return 0;
}
