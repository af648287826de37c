/*
 * cpu.c — what the CPU and the OS support. AVX2 needs both the CPUID bit and
 * the OS saving YMM state on context switches (XCR0 bits 1 and 2, read with
 * XGETBV after checking OSXSAVE); otherwise AVX2 code would fault or corrupt.
 */
#include "tk_resample.h"

#ifdef TK_SIMD_X86
#include <cpuid.h>

#define XCR0_SSE_AVX_STATE 0x6u

static uint32_t xgetbv0(void) {
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    (void)hi;
    return lo;
}

enum tk_isa tk_isa_detect(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1)) {
        return TK_ISA_SCALAR;
    }
    const int os_saves_ymm = (c & bit_OSXSAVE) && (c & bit_AVX) &&
                             (xgetbv0() & XCR0_SSE_AVX_STATE) == XCR0_SSE_AVX_STATE;
    if (os_saves_ymm && __get_cpuid_max(0, 0) >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        if (b & bit_AVX2) {
            return TK_ISA_AVX2;
        }
    }
    return TK_ISA_SSE41;
}
#else
enum tk_isa tk_isa_detect(void) {
    return TK_ISA_SCALAR;
}
#endif
