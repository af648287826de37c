/*
 * dispatch.c — the one place that reads TK_SIMD and picks the kernel table,
 * once per process (pthread_once); hot loops only call through the table.
 */
#include "rs_dispatch.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static enum tk_isa detected_isa = TK_ISA_SCALAR;
static enum tk_isa active_isa = TK_ISA_SCALAR;
static const struct tk_kernels *active_kernels = &tk_kernels_scalar;

/* Each ISA's name and the level below it on its architecture's ladder
 * (x86-64: scalar < sse41 < avx2 < avx512; arm64: scalar < neon). */
static const struct {
    const char *name;
    enum tk_isa below;
} isas[TK_ISA_COUNT] = {
    [TK_ISA_SCALAR] = {"scalar", TK_ISA_SCALAR}, [TK_ISA_SSE41] = {"sse41", TK_ISA_SCALAR},
    [TK_ISA_AVX2] = {"avx2", TK_ISA_SSE41},      [TK_ISA_AVX512] = {"avx512", TK_ISA_AVX2},
    [TK_ISA_NEON] = {"neon", TK_ISA_SCALAR},
};

const char *tk_isa_name(enum tk_isa isa) {
    if ((unsigned)isa >= TK_ISA_COUNT) {
        return "unknown";
    }
    return isas[isa].name;
}

enum tk_rs_status tk_isa_parse(const char *name, enum tk_isa *out) {
    for (unsigned i = 0; name != NULL && i < TK_ISA_COUNT; i++) {
        if (strcmp(name, isas[i].name) == 0) {
            *out = (enum tk_isa)i;
            return TK_RS_OK;
        }
    }
    return TK_RS_ERR_INVALID_ARGUMENT;
}

int tk_isa_within(enum tk_isa isa, enum tk_isa top) {
    if ((unsigned)isa >= TK_ISA_COUNT || (unsigned)top >= TK_ISA_COUNT) {
        return 0;
    }
    for (;;) {
        if (top == isa) {
            return 1;
        }
        if (top == TK_ISA_SCALAR) {
            return 0;
        }
        top = isas[top].below;
    }
}

enum tk_isa tk_isa_choose(const char *request, enum tk_isa detected) {
    enum tk_isa wanted;
    if (tk_isa_parse(request, &wanted) != TK_RS_OK || !tk_isa_within(wanted, detected)) {
        return detected;
    }
    return wanted;
}

static void choose_once(void) {
    detected_isa = tk_isa_detect();
    active_isa = tk_isa_choose(getenv("TK_SIMD"), detected_isa);
    active_kernels = tk_kernels_get(active_isa);
}

enum tk_isa tk_isa_active(void) {
    pthread_once(&once, choose_once);
    return active_isa;
}

int tk_isa_supported(enum tk_isa isa) {
    pthread_once(&once, choose_once);
    return tk_isa_within(isa, detected_isa);
}

const struct tk_kernels *tk_kernels_active(void) {
    pthread_once(&once, choose_once);
    return active_kernels;
}

const struct tk_kernels *tk_kernels_get(enum tk_isa isa) {
#ifdef TK_SIMD_X86
    static const struct tk_kernels *const tables[] = {
        [TK_ISA_SCALAR] = &tk_kernels_scalar,
        [TK_ISA_SSE41] = &tk_kernels_sse41,
        [TK_ISA_AVX2] = &tk_kernels_avx2,
        [TK_ISA_AVX512] = &tk_kernels_avx512,
    };
    if ((unsigned)isa < sizeof tables / sizeof tables[0]) {
        return tables[isa];
    }
#endif
#ifdef TK_SIMD_NEON
    if (isa == TK_ISA_NEON) {
        return &tk_kernels_neon;
    }
#endif
    (void)isa;
    return &tk_kernels_scalar;
}
