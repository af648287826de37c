/*
 * rs_filters.h — the continuous filter kernels the plan samples.
 * Only the plan builder evaluates them (in double, once per geometry).
 */
#ifndef TK_RS_FILTERS_H
#define TK_RS_FILTERS_H

#include "tk_resample.h"

struct tk_rs_filter_def {
    double support;           /* half-width at scale 1, in input pixels */
    double (*eval)(double x); /* weight at distance x */
    /* The weights of one window: w[k] = eval((first + k - center + 0.5) / fscale)
     * for k < n, up to rounding (a filter may compute them incrementally). */
    void (*taps)(const struct tk_rs_filter_def *f, uint32_t first, uint32_t n, double center,
                 double fscale, double *w);
};

/** @return the definition of @p f, or NULL for an unknown filter. */
const struct tk_rs_filter_def *tk_rs_filter_get(enum tk_rs_filter f);

#endif /* TK_RS_FILTERS_H */
