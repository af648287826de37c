/*
 * cpu.c — what the CPU and the OS support. AVX2 needs both the CPUID bit and
 * the OS saving YMM state on context switches (XCR0 bits 1 and 2, read with
 * XGETBV after checking OSXSAVE); otherwise AVX2 code would fault or corrupt.
 * AVX-512 also needs the OS to save the opmask and all ZMM state (XCR0 bits
 * 5, 6 and 7), and the kernels use AVX512F, BW, VL, VNNI and VBMI
 * (kernels_avx512.c).
 * On arm64, NEON (Advanced SIMD) is part of the base architecture; the kernel
 * still reports it in AT_HWCAP, which is what is read, as the kernel knows best.
 */
#include "tk_resample.h"

#ifdef TK_SIMD_X86
#include <cpuid.h>

#define XCR0_SSE_AVX_STATE 0x6u
#define XCR0_AVX512_STATE  0xE6u /* SSE, AVX, opmask, ZMM0-15 upper halves, ZMM16-31 */
#define AVX512_EBX         (bit_AVX512F | bit_AVX512BW | bit_AVX512VL)
#define AVX512_ECX         (bit_AVX512VBMI | bit_AVX512VNNI)

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
    const uint32_t xcr0 = (c & bit_OSXSAVE) && (c & bit_AVX) ? xgetbv0() : 0;
    const int os_saves_ymm = (xcr0 & XCR0_SSE_AVX_STATE) == XCR0_SSE_AVX_STATE;
    const int os_saves_zmm = (xcr0 & XCR0_AVX512_STATE) == XCR0_AVX512_STATE;
    if (!os_saves_ymm || __get_cpuid_max(0, 0) < 7) {
        return TK_ISA_SSE41;
    }
    __cpuid_count(7, 0, a, b, c, d);
    if (!(b & bit_AVX2)) {
        return TK_ISA_SSE41;
    }
    if (os_saves_zmm && (b & AVX512_EBX) == AVX512_EBX && (c & AVX512_ECX) == AVX512_ECX) {
        return TK_ISA_AVX512;
    }
    return TK_ISA_AVX2;
}
#elif defined(TK_SIMD_NEON)
#include <asm/hwcap.h>
#include <sys/auxv.h>

enum tk_isa tk_isa_detect(void) {
    return (getauxval(AT_HWCAP) & HWCAP_ASIMD) ? TK_ISA_NEON : TK_ISA_SCALAR;
}
#else
enum tk_isa tk_isa_detect(void) {
    return TK_ISA_SCALAR;
}
#endif
