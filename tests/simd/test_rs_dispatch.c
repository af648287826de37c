/*
 * test_rs_dispatch.c — the kernel choice.
 *   test_rs_dispatch <isa>     run with TK_SIMD=<isa>: the active ISA must be
 *                              <isa> (exit 77 when the CPU lacks it).
 *   test_rs_dispatch detected  run with TK_SIMD set to an unknown value: the
 *                              active ISA must be the detected one.
 *   test_rs_dispatch rules     the fallback rules of tk_isa_choose() for every
 *                              request and every machine level.
 */
#include "rs_dispatch.h"
#include "rs_test_util.h"
#include "tk_resample.h"

#include <string.h>

static int rules(void) {
    static const char *const req[] = {"scalar", "sse41", "avx2"};
    int bad = 0;
    for (int have = TK_ISA_SCALAR; have <= TK_ISA_AVX2; have++) {
        for (int want = TK_ISA_SCALAR; want <= TK_ISA_AVX2; want++) {
            const enum tk_isa got = tk_isa_choose(req[want], (enum tk_isa)have);
            const enum tk_isa expect = (enum tk_isa)(want < have ? want : have);
            if (got != expect) {
                fprintf(stderr, "request %s on %s machine gave %s\n", req[want],
                        tk_isa_name((enum tk_isa)have), tk_isa_name(got));
                bad++;
            }
        }
        if (tk_isa_choose(NULL, (enum tk_isa)have) != (enum tk_isa)have ||
            tk_isa_choose("AVX-512", (enum tk_isa)have) != (enum tk_isa)have ||
            tk_isa_choose("", (enum tk_isa)have) != (enum tk_isa)have) {
            fprintf(stderr, "unset/unknown request did not give the detected ISA\n");
            bad++;
        }
    }
    return bad ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s scalar|sse41|avx2|detected|rules\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[1], "rules") == 0)
        return rules();

    const enum tk_isa detected = tk_isa_detect();
    const enum tk_isa active = tk_isa_active();
    const char *env = getenv("TK_SIMD");
    printf("TK_SIMD=%s detected=%s active=%s\n", env ? env : "(unset)", tk_isa_name(detected),
           tk_isa_name(active));
    if (strcmp(argv[1], "detected") == 0)
        return active == detected ? 0 : 1;

    enum tk_isa want = TK_ISA_SCALAR;
    while (want <= TK_ISA_AVX2 && strcmp(tk_isa_name(want), argv[1]) != 0)
        want++;
    if (want > TK_ISA_AVX2) {
        fprintf(stderr, "unknown ISA %s\n", argv[1]);
        return 2;
    }
    if (want > detected) {
        printf("SKIP: this CPU lacks %s\n", argv[1]);
        return TEST_SKIP;
    }
    if (!env || strcmp(env, argv[1]) != 0) {
        fprintf(stderr, "run this test with TK_SIMD=%s\n", argv[1]);
        return 2;
    }
    return active == want ? 0 : 1;
}
