/*
 * rs_units.h — the unit layout of the SIMD horizontal pass (kernels_body.h),
 * for every architecture: a unit is a pixel pair (2m, 2m+1) of one channel as
 * two little-endian int16, unit k of a row being channel k % channels of pair
 * k / channels. Byte shuffles that form four units from 16 loaded bytes
 * (x86 pshufb, NEON tbl: both write a zero byte for index 0xFF) share these
 * masks. Plain C, no intrinsics.
 */
#ifndef TK_RS_UNITS_H
#define TK_RS_UNITS_H

#include <stddef.h>
#include <stdint.h>

#define Z (-1) /* write a zero byte (the high half of every int16) */

/*
 * The byte shuffle forming four units, the first of phase q (its index mod
 * channels), from 16 bytes loaded at the first byte of the first unit's pixel
 * pair (tk_rs_unit_offset()). Index: [channels - 1][q]; with 1, 2 or 4
 * channels, groups of four units always start at phase 0. Four units span at
 * most two pixel pairs (12 bytes, RGB).
 */
static const int8_t tk_rs_unit_shuf[4][3][16] = {
    {{0, Z, 1, Z, 2, Z, 3, Z, 4, Z, 5, Z, 6, Z, 7, Z}},
    {{0, Z, 2, Z, 1, Z, 3, Z, 4, Z, 6, Z, 5, Z, 7, Z}},
    {{0, Z, 3, Z, 1, Z, 4, Z, 2, Z, 5, Z, 6, Z, 9, Z},
     {1, Z, 4, Z, 2, Z, 5, Z, 6, Z, 9, Z, 7, Z, 10, Z},
     {2, Z, 5, Z, 6, Z, 9, Z, 7, Z, 10, Z, 8, Z, 11, Z}},
    {{0, Z, 4, Z, 1, Z, 5, Z, 2, Z, 6, Z, 3, Z, 7, Z}},
};

#undef Z

/* Byte offset, from the start of a period, of the pixel pair holding unit @p u. */
static inline size_t tk_rs_unit_offset(int u, const int channels) {
    return (size_t)2 * channels * (u / channels);
}

#endif /* TK_RS_UNITS_H */
