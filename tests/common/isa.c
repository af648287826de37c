/* isa.c — per-ISA test guards (see isa.h). */
#include "isa.h"

#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int test_isa_available(const char *name, enum tk_isa *isa) {
    if (tk_isa_parse(name, isa) != TK_RS_OK) {
        fprintf(stderr, "unknown ISA '%s' (scalar, sse41, avx2, avx512 or neon)\n",
                name ? name : "(null)");
        return 2;
    }
    if (!tk_isa_supported(*isa)) {
        printf("SKIP: this CPU lacks %s (best: %s)\n", name, tk_isa_name(tk_isa_detect()));
        return CHECK_SKIP;
    }
    return 0;
}

int test_isa_forced(const char *name) {
    enum tk_isa isa;
    int rc = test_isa_available(name, &isa);
    if (rc != 0) {
        return rc;
    }
    const char *env = getenv("TK_SIMD");
    if (env == NULL || strcmp(env, name) != 0) {
        fprintf(stderr, "TK_SIMD is '%s', expected '%s' (run through ctest)\n",
                env ? env : "(unset)", name);
        return 1;
    }
    if (tk_isa_active() != isa) {
        fprintf(stderr, "TK_SIMD=%s but the resampler runs %s\n", name,
                tk_isa_name(tk_isa_active()));
        return 1;
    }
    return 0;
}
