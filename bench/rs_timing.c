/*
 * rs_timing.c — resampler tuning aid (a benchmark, not a test): median wall time of memcpy
 * of the source buffer and of the resampler with each ISA this CPU supports.
 *   rs_timing [src_w src_h dst_w dst_h [channels [runs [isa]]]]
 * Prints the median (and the minimum, steadier on a busy machine).
 * Defaults: 4928x3279 -> 852x567 RGB, Lanczos3, 9 runs, every supported ISA,
 * one thread. Naming one ISA helps `perf stat` on a busy machine.
 */
#include "rs_test_util.h" /* tests/simd: the seeded random pixels the resampler tests use */
#include "tk_clock.h"
#include "tk_resample.h"

#include <string.h>

static int cmp_double(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static uint32_t arg_u32(int argc, char **argv, int i, uint32_t fallback) {
    return argc > i ? (uint32_t)strtoul(argv[i], NULL, 10) : fallback;
}

#define MAX_RUNS 101

int main(int argc, char **argv) {
    const uint32_t sw = arg_u32(argc, argv, 1, 4928), sh = arg_u32(argc, argv, 2, 3279);
    const uint32_t dw = arg_u32(argc, argv, 3, 852), dh = arg_u32(argc, argv, 4, 567);
    const int ch = (int)arg_u32(argc, argv, 5, 3);
    uint32_t runs = arg_u32(argc, argv, 6, 9);
    if (!sw || !sh || !dw || !dh || ch < 1 || ch > 4 || runs < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "usage: %s [src_w src_h dst_w dst_h [channels [runs [isa]]]]\n", argv[0]);
        return 2;
    }
    const size_t src_bytes = (size_t)sw * sh * ch, dst_bytes = (size_t)dw * dh * ch;
    uint8_t *src = test_xmalloc(src_bytes), *copy = test_xmalloc(src_bytes);
    uint8_t *dst = test_xmalloc(dst_bytes);
    uint64_t rng = 1;
    test_fill_random(&rng, src, sw, sh, (size_t)sw * ch, ch);
    memset(copy, 0, src_bytes);

    struct tk_rs_plan *plan = NULL;
    if (tk_rs_plan_create(sw, sh, dw, dh, TK_RS_LANCZOS3, &plan) != TK_RS_OK) {
        fprintf(stderr, "plan failed\n");
        return 1;
    }
    printf("%ux%u -> %ux%u, %d channels, Lanczos3, median of %u runs\n", sw, sh, dw, dh, ch, runs);

    double t[MAX_RUNS];
    for (uint32_t r = 0; r < runs; r++) {
        const double t0 = tk_clock_mono_ms();
        memcpy(copy, src, src_bytes);
        t[r] = tk_clock_mono_ms() - t0;
    }
    qsort(t, runs, sizeof t[0], cmp_double);
    const double memcpy_ms = t[runs / 2];
    printf("%-8s %8.2f ms  (min %.2f)\n", "memcpy", memcpy_ms, t[0]);

    for (int isa = TK_ISA_SCALAR; isa <= (int)tk_isa_detect(); isa++) {
        if (argc > 7 && strcmp(argv[7], tk_isa_name((enum tk_isa)isa)) != 0) {
            continue;
        }
        for (uint32_t r = 0; r < runs; r++) {
            const double t0 = tk_clock_mono_ms();
            if (tk_rs_run_isa(plan, (enum tk_isa)isa, src, (size_t)sw * ch, dst, (size_t)dw * ch,
                              ch) != 0) {
                fprintf(stderr, "resample failed\n");
                return 1;
            }
            t[r] = tk_clock_mono_ms() - t0;
        }
        qsort(t, runs, sizeof t[0], cmp_double);
        printf("%-8s %8.2f ms  (min %.2f)  %.2fx memcpy\n", tk_isa_name((enum tk_isa)isa),
               t[runs / 2], t[0], t[runs / 2] / memcpy_ms);
    }
    tk_rs_plan_destroy(plan);
    free(src);
    free(copy);
    free(dst);
    return 0;
}
