/*
 * test_rs_bitexact.c — the bit-exact contract: the kernels of the ISA named
 * on the command line write exactly the bytes of the scalar reference, for
 * every filter, channel count 1..4 and many geometries (edge cases and a
 * seeded random set). Also checks that row padding of the output is untouched.
 * Exits 77 (skip) when the CPU lacks the ISA.
 */
#include "check.h"
#include "isa.h"
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
    struct tk_rs_plan *plan = NULL;
    if (tk_rs_plan_create(g->sw, g->sh, g->dw, g->dh, f, &plan) != TK_RS_OK) {
        fprintf(stderr, "plan failed %ux%u->%ux%u\n", g->sw, g->sh, g->dw, g->dh);
    } else if (tk_rs_run_isa(plan, TK_ISA_SCALAR, src, sstride, ref, dstride, ch) != TK_RS_OK ||
               tk_rs_run_isa(plan, isa, src, sstride, got, dstride, ch) != TK_RS_OK) {
        fprintf(stderr, "run failed %ux%u->%ux%u\n", g->sw, g->sh, g->dw, g->dh);
    } else if (memcmp(ref, got, dstride * g->dh) != 0) {
        size_t i = 0;
        while (ref[i] == got[i]) {
            i++;
        }
        fprintf(stderr,
                "%s differs from scalar: %ux%u->%ux%u filter %d channels %d, "
                "row %zu byte %zu: %u vs %u\n",
                tk_isa_name(isa), g->sw, g->sh, g->dw, g->dh, f, ch, i / dstride, i % dstride,
                got[i], ref[i]);
    } else {
        ok = 1;
        for (uint32_t y = 0; y < g->dh && ok; y++) {
            for (size_t i = (size_t)g->dw * ch; i < dstride; i++) {
                ok &= got[(size_t)y * dstride + i] == PAD_BYTE;
            }
        }
        if (!ok) {
            fprintf(stderr, "%s wrote into row padding\n", tk_isa_name(isa));
        }
    }
    tk_rs_plan_destroy(plan);
    free(src);
    free(ref);
    free(got);
    return ok;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s scalar|sse41|avx2|avx512|neon\n", argv[0]);
        return 2;
    }
    enum tk_isa isa;
    int rc = test_isa_available(argv[1], &isa);
    if (rc != 0) {
        return rc;
    }

    struct geometry all[sizeof fixed / sizeof fixed[0] + N_RANDOM];
    size_t n = 0;
    uint64_t rng = 20261122;
    for (; n < sizeof fixed / sizeof fixed[0]; n++) {
        all[n] = fixed[n];
    }
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
                CHECKF(run_case(isa, &all[i], (enum tk_rs_filter)f, ch, &rng),
                       "%s: %ux%u->%ux%u filter %d channels %d", argv[1], all[i].sw, all[i].sh,
                       all[i].dw, all[i].dh, f, ch);
            }
        }
    }
    printf("%s vs scalar: %d cases, %d failures\n", argv[1], cases, check_failures);
    return check_done("test_rs_bitexact");
}
