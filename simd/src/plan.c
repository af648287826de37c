/*
 * plan.c — per-axis windows and INT16 fixed-point weights for one geometry.
 *
 * Each output pixel i covers input centre (i + 0.5) * scale. When shrinking,
 * the filter is stretched by the scale so every input pixel contributes; the
 * window is clamped to the image and its weights renormalised to sum to 1.
 * Weights are then converted once to int16 at the largest precision that keeps
 * every weight in int16 and every sum of the vertical pass in int32.
 */
#include "rs_filters.h"
#include "rs_plan.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Vertical sums multiply int16 intermediates (|v| <= 2^15) by the weights and
 * add a rounding term below 2^21: with sum|w| <= 2^16 - 64 they stay below 2^31.
 * Weights sum to 2^precision, so precision 15 is the most that can ever fit. */
#define MAX_ABS_SUM   (65536L - 64)
#define MAX_PRECISION 15
#define MIN_PRECISION (TK_RS_INTER_BITS + 1)

static uint32_t round_up(uint32_t v, uint32_t m) {
    return (v + m - 1) / m * m;
}

/* Fill start/len and the normalised double weights (row i at dw + i * cap,
 * cap >= kmax + 1). With @p even_start every window starts at an even input
 * pixel, growing by a leading zero weight if needed: the SIMD horizontal
 * kernels read the source as pairs of pixels (2m, 2m+1). */
static void compute_windows(struct tk_rs_axis *ax, const struct tk_rs_filter_def *f, uint32_t kmax,
                            uint32_t cap, int even_start, double offset, double extent,
                            double *dw) {
    const double scale = extent / ax->out_size;
    const double fscale = scale > 1.0 ? scale : 1.0;
    const double support = f->support * fscale;

    ax->max_len = 0;
    for (uint32_t i = 0; i < ax->out_size; i++) {
        const double center = offset + (i + 0.5) * scale;
        double lo = floor(center - support + 0.5);
        double hi = floor(center + support + 0.5);
        if (lo < 0.0) {
            lo = 0.0;
        }
        if (hi > ax->in_size) {
            hi = ax->in_size;
        }
        uint32_t start = (uint32_t)lo;
        uint32_t len = hi > lo ? (uint32_t)(hi - lo) : 0;
        if (len > kmax) {
            len = kmax;
        }
        double *w = dw + (size_t)i * cap;
        double total = 0.0;
        f->taps(f, start, len, center, fscale, w);
        for (uint32_t k = 0; k < len; k++) {
            total += w[k];
        }
        if (len == 0 || total == 0.0) {
            /* Degenerate window: take the nearest input pixel. */
            uint32_t nearest = (uint32_t)center;
            start = nearest < ax->in_size ? nearest : ax->in_size - 1;
            len = 1;
            w[0] = 1.0;
            total = 1.0;
        }
        for (uint32_t k = 0; k < len; k++) {
            w[k] /= total;
        }
        if (even_start && start % 2) {
            memmove(w + 1, w, sizeof *w * len);
            w[0] = 0.0;
            start--;
            len++;
        }
        ax->start[i] = start;
        ax->len[i] = len;
        if (len > ax->max_len) {
            ax->max_len = len;
        }
    }
}

/* Taps whose magnitudes differ by less than this (relative) count as equal:
 * the mirror taps of a symmetric window, which the filters compute only up to
 * rounding (filters.c), so the residual's tap does not depend on it. */
#define TAP_TIE 1e-9

/* lround() without the call: trunc, then away from zero from a half on (the
 * fraction v - trunc(v) is exact in double), so the same value for every v. */
static inline long round_half_away(double v) {
    long r = (long)v;
    const double frac = v - (double)r;
    if (frac >= 0.5) {
        r++;
    } else if (frac <= -0.5) {
        r--;
    }
    return r;
}

/* Quantise at @p precision; the rounding residual goes to the largest tap (the
 * first of equal ones) so each window sums to exactly 1 << precision
 * (constant images stay constant).
 * @return false when a weight or an absolute sum would not fit. */
static bool quantise(struct tk_rs_axis *ax, const double *dw, uint32_t cap, int precision) {
    const double one = (double)(1L << precision);
    for (uint32_t i = 0; i < ax->out_size; i++) {
        const double *w = dw + (size_t)i * cap;
        int16_t *q = ax->weights + (size_t)i * ax->stride;
        long sum = 0;
        uint32_t big = 0;
        for (uint32_t k = 0; k < ax->len[i]; k++) {
            if (fabs(w[k]) > fabs(w[big]) * (1.0 + TAP_TIE)) {
                big = k;
            }
        }
        long abs_sum = 0;
        for (uint32_t k = 0; k < ax->len[i]; k++) {
            long v = round_half_away(w[k] * one);
            sum += v;
            if (k != big) {
                if (v > INT16_MAX || v < -INT16_MAX) {
                    return false;
                }
                q[k] = (int16_t)v;
                abs_sum += labs(v);
            }
        }
        long vbig = round_half_away(w[big] * one) + ((1L << precision) - sum);
        if (vbig > INT16_MAX || vbig < -INT16_MAX) {
            return false;
        }
        q[big] = (int16_t)vbig;
        abs_sum += labs(vbig);
        if (abs_sum > MAX_ABS_SUM) {
            return false;
        }
    }
    return true;
}

/* One axis resampling the input span [offset, offset + extent) of @p in pixels to @p out. */
static enum tk_rs_status axis_build(struct tk_rs_axis *ax, uint32_t in, double offset,
                                    double extent, uint32_t out, const struct tk_rs_filter_def *f,
                                    int horizontal) {
    ax->in_size = in;
    ax->out_size = out;
    ax->identity = in == out && offset == 0.0 && extent == (double)in;
    if (ax->identity) {
        return TK_RS_OK;
    }

    const double scale = extent / out;
    const double support = f->support * (scale > 1.0 ? scale : 1.0);
    uint32_t kmax = (uint32_t)ceil(support) * 2 + 1;
    if (kmax > in) {
        kmax = in;
    }
    const uint32_t cap = kmax + 1; /* room for the even-start zero tap */
    ax->stride = round_up(cap, TK_RS_TAP_ALIGN);

    enum tk_rs_status st = TK_RS_ERR_NO_MEMORY;
    double *dw = malloc(sizeof *dw * out * (size_t)cap);
    ax->start = malloc(sizeof *ax->start * out);
    ax->len = malloc(sizeof *ax->len * out);
    ax->weights = calloc((size_t)out * ax->stride, sizeof *ax->weights);
    if (!dw || !ax->start || !ax->len || !ax->weights) {
        goto cleanup;
    }

    compute_windows(ax, f, kmax, cap, horizontal, offset, extent, dw);
    st = TK_RS_ERR_UNSUPPORTED; /* unless some precision fits */
    for (int p = MAX_PRECISION; p >= MIN_PRECISION; p--) {
        memset(ax->weights, 0, sizeof *ax->weights * out * (size_t)ax->stride);
        if (quantise(ax, dw, cap, p)) {
            ax->precision = p;
            st = TK_RS_OK;
            break;
        }
    }

cleanup:
    free(dw);
    return st;
}

static void axis_free(struct tk_rs_axis *ax) {
    free(ax->start);
    free(ax->len);
    free(ax->weights);
}

enum tk_rs_status tk_rs_plan_create(uint32_t src_w, uint32_t src_h, uint32_t dst_w, uint32_t dst_h,
                                    enum tk_rs_filter filter, struct tk_rs_plan **out) {
    struct tk_rs_region all = {0.0, 0.0, (double)src_w, (double)src_h};
    return tk_rs_plan_create_region(src_w, src_h, &all, dst_w, dst_h, filter, out);
}

/* A region must have area, start inside the input and end less than a pixel past it. */
static int region_ok(double pos, double size, uint32_t in) {
    return isfinite(pos) && isfinite(size) && size > 0.0 && pos >= 0.0 && pos < in &&
           pos + size < in + 1.0;
}

enum tk_rs_status tk_rs_plan_create_region(uint32_t src_w, uint32_t src_h,
                                           const struct tk_rs_region *region, uint32_t dst_w,
                                           uint32_t dst_h, enum tk_rs_filter filter,
                                           struct tk_rs_plan **out) {
    if (!out) {
        return TK_RS_ERR_INVALID_ARGUMENT;
    }
    *out = NULL;
    const struct tk_rs_filter_def *f = tk_rs_filter_get(filter);
    if (!f || !region || src_w == 0 || src_h == 0 || dst_w == 0 || dst_h == 0 ||
        !region_ok(region->x, region->w, src_w) || !region_ok(region->y, region->h, src_h)) {
        return TK_RS_ERR_INVALID_ARGUMENT;
    }
    struct tk_rs_plan *plan = calloc(1, sizeof *plan);
    if (!plan) {
        return TK_RS_ERR_NO_MEMORY;
    }
    plan->filter = filter;
    enum tk_rs_status st = axis_build(&plan->x, src_w, region->x, region->w, dst_w, f, 1);
    if (st == TK_RS_OK) {
        st = axis_build(&plan->y, src_h, region->y, region->h, dst_h, f, 0);
    }
    if (st != TK_RS_OK) {
        tk_rs_plan_destroy(plan);
        return st;
    }
    *out = plan;
    return TK_RS_OK;
}

void tk_rs_plan_destroy(struct tk_rs_plan *plan) {
    if (!plan) {
        return;
    }
    axis_free(&plan->x);
    axis_free(&plan->y);
    free(plan);
}
