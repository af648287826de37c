/*
 * tk_resample.h — the separable resampler, the interface engine/ uses.
 *
 * Bit-exact contract: for the same plan and input, the scalar, SSE4.1, AVX2,
 * AVX-512 and NEON kernels write identical bytes. Weights are INT16 fixed point, sums are
 * exact 32-bit integer arithmetic, rounding and clamping happen in one place; no
 * floating point runs inside a kernel.
 *
 * This header includes nothing from engine/ (dependency rule: simd <- engine).
 */
#ifndef TK_RESAMPLE_H
#define TK_RESAMPLE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Result of the resampler's fallible calls. Values are stable; the engine maps
 * them to its own tk_status (this header includes nothing from engine/).
 */
enum tk_rs_status {
    TK_RS_OK = 0,
    TK_RS_ERR_INVALID_ARGUMENT = 1, /**< NULL plan or buffer, zero size, unknown filter,
                                         channels not 1..4, unknown ISA name */
    TK_RS_ERR_NO_MEMORY = 2,        /**< an allocation failed */
    TK_RS_ERR_UNSUPPORTED = 3,      /**< the filter's weights do not fit 16-bit fixed point
                                         for this geometry */
    TK_RS_ERR_ISA_UNAVAILABLE = 4,  /**< this CPU or OS cannot run the requested ISA */
};

/** Filters, in the same order as the public enum tk_filter. */
enum tk_rs_filter {
    TK_RS_LANCZOS3 = 0,
    TK_RS_CATMULL_ROM = 1,
    TK_RS_BILINEAR = 2,
    TK_RS_BOX = 3,
};

/**
 * Instruction sets with kernels. Each architecture has its own ladder (x86-64:
 * scalar < sse41 < avx2 < avx512; arm64: scalar < neon); the values only name them.
 */
enum tk_isa {
    TK_ISA_SCALAR = 0,
    TK_ISA_SSE41 = 1,
    TK_ISA_AVX2 = 2,
    TK_ISA_AVX512 = 3, /**< AVX512F, BW, VL, VNNI and VBMI (Ice Lake, Zen 4 and later) */
    TK_ISA_NEON = 4,
    TK_ISA_COUNT /**< the number of ISAs, not an ISA */
};

/** @return "scalar", "sse41", "avx2", "avx512" or "neon" ("unknown" for any other value). */
const char *tk_isa_name(enum tk_isa isa);

/**
 * The ISA named @p name as tk_isa_name() spells it, into @p out.
 * @return TK_RS_OK, or TK_RS_ERR_INVALID_ARGUMENT for NULL or an unknown name.
 */
enum tk_rs_status tk_isa_parse(const char *name, enum tk_isa *out);

/**
 * @return the best ISA this CPU and OS support: on x86-64 from CPUID and XGETBV (for the
 * YMM/ZMM state), on arm64 from the kernel's hardware capabilities (AT_HWCAP).
 */
enum tk_isa tk_isa_detect(void);

/**
 * @return nonzero when this CPU and OS can run the kernels of @p isa: scalar and
 * every ISA on the ladder of this architecture up to tk_isa_detect(). Thread-safe.
 */
int tk_isa_supported(enum tk_isa isa);

/**
 * @return the ISA in use: chosen once (pthread_once) from
 * TK_SIMD=scalar|sse41|avx2|avx512|neon if set and supported; a level this machine lacks
 * (avx512 on an AVX2-only CPU) gives the best supported level below it, an ISA of another
 * architecture or an unknown value gives tk_isa_detect(), the best supported ISA.
 */
enum tk_isa tk_isa_active(void);

/** Coefficients for one geometry and filter; immutable once built, so shareable across threads. */
struct tk_rs_plan;

/**
 * Build a plan resampling src_w x src_h to dst_w x dst_h (all >= 1) into
 * @p *out (NULL on failure; free with tk_rs_plan_destroy()).
 * @return TK_RS_OK, TK_RS_ERR_INVALID_ARGUMENT (a zero size, an unknown filter,
 * NULL @p out), TK_RS_ERR_NO_MEMORY or TK_RS_ERR_UNSUPPORTED.
 */
enum tk_rs_status tk_rs_plan_create(uint32_t src_w, uint32_t src_h, uint32_t dst_w, uint32_t dst_h,
                                    enum tk_rs_filter filter, struct tk_rs_plan **out);

/**
 * A source window in input pixels, fractional allowed: output pixel i samples the input at
 * x + (i + 0.5) * w / dst_w (and so for y). Shrink-on-load needs it: a 2322-row JPEG decoded
 * at 1/8 holds 290.25 rows of picture.
 */
struct tk_rs_region {
    double x, y, w, h;
};

/**
 * As tk_rs_plan_create() for @p region of the src_w x src_h input. The region starts inside
 * the input and may end less than a pixel past it (a partial last pixel left out of the
 * input); taps that reach past the input are dropped and the rest renormalised, as at every
 * edge.
 * @return as tk_rs_plan_create(); TK_RS_ERR_INVALID_ARGUMENT also for a NULL or bad region.
 */
enum tk_rs_status tk_rs_plan_create_region(uint32_t src_w, uint32_t src_h,
                                           const struct tk_rs_region *region, uint32_t dst_w,
                                           uint32_t dst_h, enum tk_rs_filter filter,
                                           struct tk_rs_plan **out);

/** Free a plan. NULL is fine. */
void tk_rs_plan_destroy(struct tk_rs_plan *plan);

/**
 * Resample with the active kernels. @p channels is 1 (gray), 2 (gray+alpha),
 * 3 (RGB) or 4 (RGBA); with 2 or 4 the last channel is straight alpha, which is
 * premultiplied before filtering and restored after. @p src is not modified.
 * Thread-safe: a plan may be shared; scratch memory is per call.
 * @return TK_RS_OK, TK_RS_ERR_INVALID_ARGUMENT (NULL plan or buffer, @p channels
 * not 1..4) or TK_RS_ERR_NO_MEMORY (scratch allocation).
 */
enum tk_rs_status tk_rs_run(const struct tk_rs_plan *plan, const uint8_t *src, size_t src_stride,
                            uint8_t *dst, size_t dst_stride, int channels);

/**
 * As tk_rs_run() with the kernels of @p isa (tests, benchmarks).
 * @return as tk_rs_run(), or TK_RS_ERR_ISA_UNAVAILABLE when the CPU lacks @p isa.
 */
enum tk_rs_status tk_rs_run_isa(const struct tk_rs_plan *plan, enum tk_isa isa, const uint8_t *src,
                                size_t src_stride, uint8_t *dst, size_t dst_stride, int channels);

#ifdef __cplusplus
}
#endif
#endif /* TK_RESAMPLE_H */
