/*
 * rs_plan.h — internal layout of a resampling plan (per-axis windows and
 * INT16 fixed-point weights), shared by the plan builder, the driver and the
 * kernels. Not part of the public interface.
 */
#ifndef TK_RS_PLAN_H
#define TK_RS_PLAN_H

#include <stdint.h>

#include "tk_resample.h"

/*
 * Fraction bits of the 16-bit intermediate image between the two passes:
 * value * 64 keeps the overshoot of Lanczos (about -0.3..1.3 of full scale)
 * well inside int16 ([-512, 512) levels) while adding 6 bits of precision.
 */
#define TK_RS_INTER_BITS 6

/* Weights per output pixel are padded with zeros to a multiple of this, so a
 * kernel may consume 16 taps per step without a scalar tail. */
#define TK_RS_TAP_ALIGN 16

/* One axis: for each output pixel i, taps start[i] .. start[i]+len[i]-1 of the
 * input with weights weights[i*stride + k] (int16, sum exactly 1 << precision;
 * zero from len[i] to the stride). On the horizontal axis every start is even
 * (a leading zero weight is added when needed) so the SIMD kernels can read
 * the source and the weights as pairs of pixels (one int32 per weight pair). */
struct tk_rs_axis {
    uint32_t in_size;
    uint32_t out_size;
    int identity;     /* in_size == out_size: the pass is skipped, no arrays */
    int precision;    /* fraction bits of the weights */
    uint32_t stride;  /* weights per output pixel, multiple of TK_RS_TAP_ALIGN */
    uint32_t max_len; /* largest len[i] */
    uint32_t *start;
    uint32_t *len;
    int16_t *weights;
};

struct tk_rs_plan {
    struct tk_rs_axis x;
    struct tk_rs_axis y;
    enum tk_rs_filter filter;
};

#endif /* TK_RS_PLAN_H */
