/*
 * rs_load.h — a 16-byte load that never reads past the end of a row: the
 * kernels load whole vectors, which near the right edge would cross into
 * memory we do not own. Zeros stand in for the missing bytes (their weights
 * are zero anyway). SSE2 only, so both SIMD files can include it.
 */
#ifndef TK_RS_LOAD_H
#define TK_RS_LOAD_H

#include <emmintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline __m128i tk_rs_load16(const uint8_t *row, size_t off, size_t row_bytes) {
    if (off + 16 <= row_bytes)
        return _mm_loadu_si128((const __m128i *)(row + off));
    uint8_t tmp[16] = {0};
    if (off < row_bytes)
        memcpy(tmp, row + off, row_bytes - off);
    return _mm_loadu_si128((const __m128i *)tmp);
}

#endif /* TK_RS_LOAD_H */
