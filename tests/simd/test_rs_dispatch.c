/*
 * test_rs_dispatch.c — the kernel choice.
 *   test_rs_dispatch <isa>     run with TK_SIMD=<isa>: the active ISA must be
 *                              <isa> (exit 77 when the CPU lacks it).
 *   test_rs_dispatch detected  run with TK_SIMD set to an unknown value: the
 *                              active ISA must be the detected one.
 *   test_rs_dispatch rules     the fallback rules of tk_isa_choose() for every
 *                              request and every machine level (x86-64 and arm64
 *                              ladders), and ISA names.
 */
#include "check.h"
#include "isa.h"
#include "rs_dispatch.h"
#include "tk_resample.h"

#include <stdlib.h>
#include <string.h>

/* What each machine level runs, written out independently of dispatch.c:
 * x86-64 scalar < sse41 < avx2 < avx512, arm64 scalar < neon. */
static int runs_on(enum tk_isa want, enum tk_isa have) {
    /* ladder[want][have]: does a machine whose best ISA is `have` run `want`? */
    static const int ladder[TK_ISA_COUNT][TK_ISA_COUNT] = {
        [TK_ISA_SCALAR] = {[TK_ISA_SCALAR] = 1,
                           [TK_ISA_SSE41] = 1,
                           [TK_ISA_AVX2] = 1,
                           [TK_ISA_AVX512] = 1,
                           [TK_ISA_NEON] = 1},
        [TK_ISA_SSE41] = {[TK_ISA_SSE41] = 1, [TK_ISA_AVX2] = 1, [TK_ISA_AVX512] = 1},
        [TK_ISA_AVX2] = {[TK_ISA_AVX2] = 1, [TK_ISA_AVX512] = 1},
        [TK_ISA_AVX512] = {[TK_ISA_AVX512] = 1},
        [TK_ISA_NEON] = {[TK_ISA_NEON] = 1},
    };
    return ladder[want][have];
}

static int rules(void) {
    static const char *const req[TK_ISA_COUNT] = {"scalar", "sse41", "avx2", "avx512", "neon"};
    for (int have = TK_ISA_SCALAR; have < TK_ISA_COUNT; have++) {
        for (int want = TK_ISA_SCALAR; want < TK_ISA_COUNT; want++) {
            /* The requested ISA where the machine has it, else the best the machine has. */
            const enum tk_isa got = tk_isa_choose(req[want], (enum tk_isa)have);
            const enum tk_isa expect = runs_on((enum tk_isa)want, (enum tk_isa)have)
                                           ? (enum tk_isa)want
                                           : (enum tk_isa)have;
            CHECKF(got == expect, "request %s on %s machine gave %s", req[want],
                   tk_isa_name((enum tk_isa)have), tk_isa_name(got));
            CHECKF(tk_isa_within((enum tk_isa)want, (enum tk_isa)have) ==
                       runs_on((enum tk_isa)want, (enum tk_isa)have),
                   "tk_isa_within(%s, %s) is wrong", req[want], req[have]);
        }
        CHECKF(tk_isa_choose(NULL, (enum tk_isa)have) == (enum tk_isa)have &&
                   tk_isa_choose("AVX-512", (enum tk_isa)have) == (enum tk_isa)have &&
                   tk_isa_choose("", (enum tk_isa)have) == (enum tk_isa)have,
               "unset/unknown request did not give the detected ISA");
    }
    /* This machine supports exactly the ladder below what it detects. */
    for (int i = TK_ISA_SCALAR; i < TK_ISA_COUNT; i++) {
        CHECKF(!tk_isa_supported((enum tk_isa)i) == !runs_on((enum tk_isa)i, tk_isa_detect()),
               "tk_isa_supported(%s) disagrees with the detected %s", req[i],
               tk_isa_name(tk_isa_detect()));
    }
    /* Names and parsing are inverses; anything else is refused. */
    for (int i = TK_ISA_SCALAR; i < TK_ISA_COUNT; i++) {
        enum tk_isa parsed = TK_ISA_SCALAR;
        CHECKF(tk_isa_parse(tk_isa_name((enum tk_isa)i), &parsed) == TK_RS_OK && (int)parsed == i,
               "%s does not parse back", tk_isa_name((enum tk_isa)i));
    }
    enum tk_isa unused;
    CHECK(tk_isa_parse("AVX2", &unused) == TK_RS_ERR_INVALID_ARGUMENT);
    CHECK(tk_isa_parse("avx512f", &unused) == TK_RS_ERR_INVALID_ARGUMENT);
    CHECK(tk_isa_parse(NULL, &unused) == TK_RS_ERR_INVALID_ARGUMENT);
    CHECK(strcmp(tk_isa_name(TK_ISA_COUNT), "unknown") == 0);
    return check_done("test_rs_dispatch rules");
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s scalar|sse41|avx2|avx512|neon|detected|rules\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[1], "rules") == 0) {
        return rules();
    }

    const enum tk_isa detected = tk_isa_detect();
    const enum tk_isa active = tk_isa_active();
    const char *env = getenv("TK_SIMD");
    printf("TK_SIMD=%s detected=%s active=%s\n", env ? env : "(unset)", tk_isa_name(detected),
           tk_isa_name(active));
    if (strcmp(argv[1], "detected") == 0) {
        CHECK(active == detected);
        return check_done("test_rs_dispatch detected");
    }

    enum tk_isa want;
    int rc = test_isa_available(argv[1], &want);
    if (rc != 0) {
        return rc;
    }
    if (!env || strcmp(env, argv[1]) != 0) {
        fprintf(stderr, "run this test with TK_SIMD=%s\n", argv[1]);
        return 2;
    }
    CHECKF(active == want, "TK_SIMD=%s but %s is active", argv[1], tk_isa_name(active));
    return check_done("test_rs_dispatch");
}
