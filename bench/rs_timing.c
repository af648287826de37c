/*
 * rs_timing.c — resampler tuning aid (a benchmark, not a test): median wall time of memcpy
 * of the source buffer and of the resampler with each ISA this CPU supports.
 *   rs_timing [src_w src_h dst_w dst_h [channels [runs [isa]]]]
 * Prints the median (and the minimum, steadier on a busy machine).
 * Defaults: 4928x3279 -> 852x567 RGB, Lanczos3, 9 runs, every supported ISA,
 * one thread. Naming one ISA helps `perf stat` on a busy machine.
 * Built for an emulator (TK_BENCH_EMULATED: a cross build, run under qemu), it times
 * nothing, since emulated time says nothing about the target CPU: it runs each ISA once
 * and reports only whether its output equals scalar's (exit 1 if not).
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

#ifdef TK_BENCH_EMULATED
/* Each supported ISA once, compared with scalar: the only thing an emulated run can tell. */
static int correctness_only(const struct tk_rs_plan *plan, const uint8_t *src, size_t sstride,
                            uint8_t *dst, size_t dstride, size_t dst_bytes, int ch) {
    printf("emulated build: correctness only, no timings (emulated time says nothing about "
           "the target CPU)\n");
    uint8_t *ref = test_xmalloc(dst_bytes);
    int bad = tk_rs_run_isa(plan, TK_ISA_SCALAR, src, sstride, ref, dstride, ch) != TK_RS_OK;
    for (int isa = TK_ISA_SCALAR + 1; isa < TK_ISA_COUNT && !bad; isa++) {
        if (!tk_isa_supported((enum tk_isa)isa)) {
            continue;
        }
        const int ok =
            tk_rs_run_isa(plan, (enum tk_isa)isa, src, sstride, dst, dstride, ch) == TK_RS_OK &&
            memcmp(ref, dst, dst_bytes) == 0;
        printf("%-8s %s\n", tk_isa_name((enum tk_isa)isa),
               ok ? "identical to scalar" : "DIFFERS from scalar");
        bad |= !ok;
    }
    free(ref);
    return bad;
}
#endif

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
#ifdef TK_BENCH_EMULATED
    printf("%ux%u -> %ux%u, %d channels, Lanczos3\n", sw, sh, dw, dh, ch);
    const int bad =
        correctness_only(plan, src, (size_t)sw * ch, dst, (size_t)dw * ch, dst_bytes, ch);
    tk_rs_plan_destroy(plan);
    free(src);
    free(copy);
    free(dst);
    return bad;
#endif
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

    for (int isa = TK_ISA_SCALAR; isa < TK_ISA_COUNT; isa++) {
        if (!tk_isa_supported((enum tk_isa)isa)) {
            continue;
        }
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
