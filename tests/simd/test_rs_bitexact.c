/*
 * test_rs_bitexact.c — the bit-exact contract: the kernels of the ISA named
 * on the command line write exactly the bytes of the scalar reference, for
 * every filter, channel count 1..4 and many geometries (edge cases and a
 * seeded random set). Also checks that row padding of the output is untouched.
 * Exits 77 (skip) when the CPU lacks the ISA.
 */
#include "rs_test_util.h"
#include "tk_resample.h"

#include <string.h>

struct geometry {
    uint32_t sw, sh, dw, dh;
};

static const struct geometry fixed[] = {
    {1, 1, 1, 1},         {1, 1, 7, 5},     {1, 17, 1, 5},     {17, 1, 4, 1},
    {10000, 1, 7, 1},     {10000, 1, 1, 1}, {1, 10000, 1, 9},  {3001, 1999, 257, 173},
    {13, 9, 40, 31},      {5, 3, 97, 61},   {64, 64, 64, 20},  {64, 64, 20, 64},
    {2, 2, 1, 1},         {5, 7, 3, 2},     {100, 3, 33, 3},   {31, 33, 31, 33},
    {640, 480, 641, 479}, {16, 16, 8, 8},   {1000, 2, 999, 2}, {3, 1000, 3, 17},
};

#define N_RANDOM 40
#define PAD_BYTE 0xA5

static int failures;

static int run_case(enum tk_isa isa, const struct geometry *g, enum tk_rs_filter f, int ch,
                    uint64_t *rng) {
    const size_t spad = test_rng_range(rng, 0, 9), dpad = test_rng_range(rng, 1, 9);
    const size_t sstride = (size_t)g->sw * ch + spad, dstride = (size_t)g->dw * ch + dpad;
    uint8_t *src = test_xmalloc(sstride * g->sh);
    uint8_t *ref = test_xmalloc(dstride * g->dh);
    uint8_t *got = test_xmalloc(dstride * g->dh);
    test_fill_random(rng, src, g->sw, g->sh, sstride, ch);
    memset(ref, PAD_BYTE, dstride * g->dh);
    memset(got, PAD_BYTE, dstride * g->dh);

    int ok = 0;
    struct tk_rs_plan *plan = tk_rs_plan_create(g->sw, g->sh, g->dw, g->dh, f);
    if (!plan) {
        fprintf(stderr, "plan failed %ux%u->%ux%u\n", g->sw, g->sh, g->dw, g->dh);
    } else if (tk_rs_run_isa(plan, TK_ISA_SCALAR, src, sstride, ref, dstride, ch) != 0 ||
               tk_rs_run_isa(plan, isa, src, sstride, got, dstride, ch) != 0) {
        fprintf(stderr, "run failed %ux%u->%ux%u\n", g->sw, g->sh, g->dw, g->dh);
    } else if (memcmp(ref, got, dstride * g->dh) != 0) {
        size_t i = 0;
        while (ref[i] == got[i])
            i++;
        fprintf(stderr,
                "%s differs from scalar: %ux%u->%ux%u filter %d channels %d, "
                "row %zu byte %zu: %u vs %u\n",
                tk_isa_name(isa), g->sw, g->sh, g->dw, g->dh, f, ch, i / dstride, i % dstride,
                got[i], ref[i]);
    } else {
        ok = 1;
        for (uint32_t y = 0; y < g->dh && ok; y++) {
            for (size_t i = (size_t)g->dw * ch; i < dstride; i++)
                ok &= got[(size_t)y * dstride + i] == PAD_BYTE;
        }
        if (!ok)
            fprintf(stderr, "%s wrote into row padding\n", tk_isa_name(isa));
    }
    tk_rs_plan_destroy(plan);
    free(src);
    free(ref);
    free(got);
    return ok;
}

static enum tk_isa parse_isa(const char *s) {
    for (int i = TK_ISA_SCALAR; i <= TK_ISA_AVX2; i++) {
        if (strcmp(s, tk_isa_name((enum tk_isa)i)) == 0)
            return (enum tk_isa)i;
    }
    fprintf(stderr, "unknown ISA %s\n", s);
    exit(2);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s scalar|sse41|avx2\n", argv[0]);
        return 2;
    }
    const enum tk_isa isa = parse_isa(argv[1]);
    if (isa > tk_isa_detect()) {
        printf("SKIP: this CPU lacks %s\n", argv[1]);
        return TEST_SKIP;
    }

    struct geometry all[sizeof fixed / sizeof fixed[0] + N_RANDOM];
    size_t n = 0;
    uint64_t rng = 20261122;
    for (; n < sizeof fixed / sizeof fixed[0]; n++)
        all[n] = fixed[n];
    for (int i = 0; i < N_RANDOM; i++, n++) {
        all[n].sw = test_rng_range(&rng, 1, 400);
        all[n].sh = test_rng_range(&rng, 1, 200);
        all[n].dw = test_rng_range(&rng, 1, 400);
        all[n].dh = test_rng_range(&rng, 1, 200);
    }

    int cases = 0;
    for (size_t i = 0; i < n; i++) {
        for (int f = TK_RS_LANCZOS3; f <= TK_RS_BOX; f++) {
            for (int ch = 1; ch <= 4; ch++) {
                cases++;
                failures += !run_case(isa, &all[i], (enum tk_rs_filter)f, ch, &rng);
            }
        }
    }
    printf("%s vs scalar: %d cases, %d failures\n", argv[1], cases, failures);
    return failures ? 1 : 0;
}
