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
};

/** @return the definition of @p f, or NULL for an unknown filter. */
const struct tk_rs_filter_def *tk_rs_filter_get(enum tk_rs_filter f);

#endif /* TK_RS_FILTERS_H */
