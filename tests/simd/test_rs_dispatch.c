/*
 * test_rs_dispatch.c — the kernel choice.
 *   test_rs_dispatch <isa>     run with TK_SIMD=<isa>: the active ISA must be
 *                              <isa> (exit 77 when the CPU lacks it).
 *   test_rs_dispatch detected  run with TK_SIMD set to an unknown value: the
 *                              active ISA must be the detected one.
 *   test_rs_dispatch rules     the fallback rules of tk_isa_choose() for every
 *                              request and every machine level, and ISA names.
 */
#include "check.h"
#include "isa.h"
#include "rs_dispatch.h"
#include "tk_resample.h"

#include <stdlib.h>
#include <string.h>

static int rules(void) {
    static const char *const req[] = {"scalar", "sse41", "avx2", "avx512"};
    for (int have = TK_ISA_SCALAR; have <= TK_ISA_AVX512; have++) {
        for (int want = TK_ISA_SCALAR; want <= TK_ISA_AVX512; want++) {
            const enum tk_isa got = tk_isa_choose(req[want], (enum tk_isa)have);
            const enum tk_isa expect = (enum tk_isa)(want < have ? want : have);
            CHECKF(got == expect, "request %s on %s machine gave %s", req[want],
                   tk_isa_name((enum tk_isa)have), tk_isa_name(got));
        }
        CHECKF(tk_isa_choose(NULL, (enum tk_isa)have) == (enum tk_isa)have &&
                   tk_isa_choose("AVX-512", (enum tk_isa)have) == (enum tk_isa)have &&
                   tk_isa_choose("", (enum tk_isa)have) == (enum tk_isa)have,
               "unset/unknown request did not give the detected ISA");
    }
    /* Names and parsing are inverses; anything else is refused. */
    for (int i = TK_ISA_SCALAR; i <= TK_ISA_AVX512; i++) {
        enum tk_isa parsed = TK_ISA_SCALAR;
        CHECKF(tk_isa_parse(tk_isa_name((enum tk_isa)i), &parsed) == TK_RS_OK && (int)parsed == i,
               "%s does not parse back", tk_isa_name((enum tk_isa)i));
    }
    enum tk_isa unused;
    CHECK(tk_isa_parse("AVX2", &unused) == TK_RS_ERR_INVALID_ARGUMENT);
    CHECK(tk_isa_parse("avx512f", &unused) == TK_RS_ERR_INVALID_ARGUMENT);
    CHECK(tk_isa_parse(NULL, &unused) == TK_RS_ERR_INVALID_ARGUMENT);
    CHECK(strcmp(tk_isa_name((enum tk_isa)7), "unknown") == 0);
    return check_done("test_rs_dispatch rules");
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s scalar|sse41|avx2|avx512|detected|rules\n", argv[0]);
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
