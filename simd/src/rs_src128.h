/*
 * rs_src128.h — the source side of the 128-bit kernels (SSE4.1, NEON): how 16 source bytes
 * become int16 pairs of pixels per channel, and the zero-padded copy that stands in for a
 * 16-byte load near the end of a row. Plain C, so both ISAs share it: pshufb and tbl read
 * the same table (an index of -1 writes a zero byte for both: pshufb by its high bit, tbl
 * because the index is past its table).
 */
#ifndef TK_RS_SRC128_H
#define TK_RS_SRC128_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define Z (-1) /* write a zero byte */

/** Per channel count: source bytes -> int16 pairs of pixels per channel (little-endian). */
static const int8_t tk_rs_pix_shuf128[4][16] = {
    {0, Z, 1, Z, 2, Z, 3, Z, 4, Z, 5, Z, 6, Z, 7, Z}, /* 8 taps */
    {0, Z, 2, Z, 1, Z, 3, Z, 4, Z, 6, Z, 5, Z, 7, Z}, /* 4 taps x 2 ch */
    {0, Z, 3, Z, 1, Z, 4, Z, 2, Z, 5, Z, Z, Z, Z, Z}, /* 2 taps x 3 ch */
    {0, Z, 4, Z, 1, Z, 5, Z, 2, Z, 6, Z, 3, Z, 7, Z}, /* 2 taps x 4 ch */
};
#undef Z

/**
 * Bytes @p row[off .. off+16) of a row of @p row_bytes: the row itself when all 16 are
 * inside it, else @p tmp filled with what is left of the row and zeros (their weights are
 * zero anyway), so no load reads past the end of a row.
 */
static inline const uint8_t *tk_rs_src16_at(const uint8_t *row, size_t off, size_t row_bytes,
                                            uint8_t tmp[16]) {
    if (off + 16 <= row_bytes) {
        return row + off;
    }
    memset(tmp, 0, 16);
    if (off < row_bytes) {
        memcpy(tmp, row + off, row_bytes - off);
    }
    return tmp;
}

#endif /* TK_RS_SRC128_H */
