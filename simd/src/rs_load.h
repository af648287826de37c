/*
 * rs_load.h — the x86 source loads of the SIMD kernel body (kernels_body.h):
 * 16 bytes of a source row, and a 16-byte load that never reads past the end
 * of a row. The kernels load whole vectors, which near the right edge would
 * cross into memory we do not own; zeros stand in for the missing bytes
 * (their weights are zero anyway). SSE2 only, so every x86 kernel file can
 * include it.
 */
#ifndef TK_RS_LOAD_H
#define TK_RS_LOAD_H

#include <emmintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/** 16 source bytes, before they are unpacked. */
typedef __m128i src16;

/** Bytes @p p[0..16): the caller knows they are inside the row. */
static inline src16 src16_load(const uint8_t *p) {
    return _mm_loadu_si128((const __m128i *)p);
}

/** Bytes @p row[off .. off+16) of a row of @p row_bytes, zeros past its end. */
static inline src16 src16_load_tail(const uint8_t *row, size_t off, size_t row_bytes) {
    if (off + 16 <= row_bytes) {
        return src16_load(row + off);
    }
    uint8_t tmp[16] = {0};
    if (off < row_bytes) {
        memcpy(tmp, row + off, row_bytes - off);
    }
    return src16_load(tmp);
}

#endif /* TK_RS_LOAD_H */
