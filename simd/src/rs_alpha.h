/*
 * rs_alpha.h — premultiply and restore straight alpha (last channel of 2- and
 * 4-channel pixels). Scalar integer code only, so every ISA gets the same bytes.
 */
#ifndef TK_RS_ALPHA_H
#define TK_RS_ALPHA_H

#include <stdint.h>

/** dst = src with colour channels replaced by round(colour * alpha / 255). */
void tk_rs_premultiply_row(const uint8_t *src, uint8_t *dst, uint32_t width, int channels);

/** In place: colour = min(255, round(colour * 255 / alpha)), 0 where alpha is 0. */
void tk_rs_unpremultiply_row(uint8_t *row, uint32_t width, int channels);

#endif /* TK_RS_ALPHA_H */
