/*
 * testing.h — engine entry points for tests and benchmarks only.
 *
 * Product code never includes this header and never calls what it declares;
 * the functions are defined beside the code they reach into (jpeg_fast.c,
 * jpeg_decode.c) so that they test exactly what ships. tests/ and bench/ may
 * include it (CONTRIBUTING.md: they may use internal headers).
 */
#ifndef TK_TESTING_H
#define TK_TESTING_H

#include "thumbkit.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tk_jpeg_request;      /* decode.h */
struct tk_jpeg_fast_request; /* jpeg_fast.h */

/** One component's coefficients as the fast decoder keeps them. */
struct tk_jpeg_fast_plane {
    int h, v;           /**< sampling factors */
    int bw, bh;         /**< blocks that hold image data */
    int pw;             /**< blocks per row as stored (padded to whole MCUs) */
    int16_t *coef;      /**< per block n * n values: the top-left coefficients, row-major */
    uint16_t quant[64]; /**< the quantisation table it was decoded with, natural order */
};

/** Every component's coefficients after a fast decode (tk_jpeg_fast_decode_planes()). */
struct tk_jpeg_fast_planes {
    int n;             /**< values per block side: 1 at 1/8, 2 at 1/4, 4 at 1/2 */
    int n_comp;        /**< 1 or 3 */
    int scans;         /**< scans in the file */
    int scans_skipped; /**< progressive scans skipped undecoded (only unneeded coefficients) */
    struct tk_jpeg_fast_plane comp[3];
};

/**
 * tk_jpeg_fast_decode() stopped before the pixels: the coefficient planes, which tests
 * compare with libjpeg's own coefficients. Free with tk_jpeg_fast_planes_free().
 * @return as tk_jpeg_fast_decode()
 */
enum tk_status tk_jpeg_fast_decode_planes(const uint8_t *data, size_t size,
                                          const struct tk_jpeg_fast_request *req,
                                          struct tk_jpeg_fast_planes *out, bool *eligible,
                                          char *err, size_t errlen);

/** Free what tk_jpeg_fast_decode_planes() allocated. NULL or zeroed is fine. */
void tk_jpeg_fast_planes_free(struct tk_jpeg_fast_planes *p);

/**
 * tk_jpeg_decode() on the general path only (libjpeg with DCT scaling), never the
 * fast decoder: the reference the engine's path choice is compared with.
 * @return as tk_jpeg_decode()
 */
enum tk_status tk_jpeg_decode_general(const uint8_t *data, size_t size,
                                      const struct tk_jpeg_request *req, struct tk_image *out,
                                      char *err, size_t errlen);

/**
 * tk_thumbnail() with two choices made by the caller: the JPEG decode scale, 1/@p scale_denom
 * (1, 2, 4 or 8; 0 lets the shrink-on-load rule pick, PNG ignores it) — the scale-rule
 * measurement compares every choice (bench/scale-rule) — and @p clock_ms, which times the
 * stages in @p res (NULL: the monotonic clock, as tk_thumbnail) — a thread CPU clock gives
 * stage costs that a busy machine does not inflate (bench/peers' stage table).
 * @return as tk_thumbnail(), or TK_ERR_INVALID_ARGUMENT for another scale.
 */
enum tk_status tk_thumbnail_custom(const void *data, size_t size, const struct tk_options *opts,
                                   int scale_denom, double (*clock_ms)(void),
                                   struct tk_result *res);

#endif /* TK_TESTING_H */
