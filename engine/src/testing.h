/*
 * testing.h — engine entry points for tests and benchmarks only.
 *
 * Product code never includes this header and never calls what it declares;
 * the functions are defined beside the code they reach into (jpeg_dc.c,
 * jpeg_decode.c) so that they test exactly what ships. tests/ and bench/ may
 * include it (CONTRIBUTING.md: they may use internal headers).
 */
#ifndef TK_TESTING_H
#define TK_TESTING_H

#include "thumbkit.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tk_jpeg_request; /* decode.h; not included, so jpeg_dc.c does not depend on it */

/** Which JPEG codings tk_jpeg_dc_decode_mode() accepts. */
enum tk_jpeg_dc_mode {
    TK_JPEG_DC_PROGRESSIVE_ONLY =
        0,                        /**< progressive Huffman (SOF2): what tk_jpeg_dc_decode() does */
    TK_JPEG_DC_ALSO_BASELINE = 1, /**< also sequential Huffman (SOF0/SOF1), so tests and
                                       benchmarks can compare the decoder with libjpeg on
                                       baseline files too */
};

/**
 * tk_jpeg_dc_decode() with a choice of codings; same results and ownership.
 * @return as tk_jpeg_dc_decode()
 */
enum tk_status tk_jpeg_dc_decode_mode(const uint8_t *data, size_t size, enum tk_jpeg_dc_mode mode,
                                      uint64_t max_pixels, struct tk_image *out, bool *eligible,
                                      char *err, size_t errlen);

/**
 * tk_jpeg_decode() on the general path only (libjpeg with DCT scaling), never the
 * DC-only path: the reference the engine's path choice is compared with.
 * @return as tk_jpeg_decode()
 */
enum tk_status tk_jpeg_decode_general(const uint8_t *data, size_t size,
                                      const struct tk_jpeg_request *req, struct tk_image *out,
                                      char *err, size_t errlen);

#endif /* TK_TESTING_H */
