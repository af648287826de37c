/* budget.h — estimated peak memory of one tk_thumbnail call, from the headers alone. */
#ifndef TK_BUDGET_H
#define TK_BUDGET_H

#include <stddef.h>
#include <stdint.h>

#include "geometry.h"
#include "thumbkit.h"

/** What the decode stage will hold at its peak, besides the caller's input bytes. */
struct tk_budget_decode {
    uint32_t width, height; /**< decoded size (after shrink-on-load) */
    int channels;           /**< channels of the decoded image (4 when unsure) */
    uint64_t extra;         /**< decoder buffers alive with it: JPEG's whole-image coefficients
                                 for multi-scan files, PNG's row and block sums */
};

/**
 * The estimated peak bytes of a call that decodes as @p dec and then makes the @p n targets
 * planned in @p g (crops in source coordinates of a @p src_w x @p src_h image) from it, one
 * after another. Deliberately on the high side: it includes every resampler table and
 * intermediate image, a fixed allowance for the codecs' own state, and the encoded output.
 * @return bytes
 */
uint64_t tk_budget_estimate(const struct tk_budget_decode *dec, const struct tk_geom *g, size_t n,
                            uint32_t src_w, uint32_t src_h);

#endif
