/*
 * jpeg_fast_huff.h — Huffman tables of the fast JPEG paths.
 *
 * Every table has a one-symbol lookup of FH_FAST_BITS bits (code length and symbol) with the
 * canonical limits behind it for longer codes. AC tables also get a skip table: indexed by
 * the next FH_SKIP_BITS bits, one entry consumes as many whole AC symbols as those bits
 * hold, magnitude bits included, and says how far they advance in the block (the zig-zag
 * index) and whether they end it. Coefficients that are skipped are never materialised.
 */
#ifndef TK_JPEG_FAST_HUFF_H
#define TK_JPEG_FAST_HUFF_H

#include "jpeg_fast_bits.h"

#include <stdbool.h>
#include <stdint.h>

#define FH_FAST_BITS 10
#define FH_SKIP_BITS 12
/* Most bits one skip entry consumes: three lookups fit in the 56 bits of one refill. */
#define FH_SKIP_MAX_ADV 18

/* A skip entry: bits consumed, block advance, end of block. */
#define FH_SKIP_ADV(e) ((e)&63u)
#define FH_SKIP_K(e)   (((e) >> 8) & 127u)
#define FH_SKIP_EOB    (1u << 15)

/** A Huffman table from one DHT segment, ready for decoding. */
struct fh_table {
    bool defined;
    uint16_t fast[1 << FH_FAST_BITS]; /* (length << 8) | symbol; 0: longer code or none */
    int32_t maxcode[17];              /* largest code of each length, -1 if none */
    int32_t valoffset[17];            /* index into vals of a code of each length, minus it */
    uint8_t counts[16];
    uint8_t vals[256];
    int n_vals;
    bool ac_built; /* skip and fast_ac below are filled (fh_build_ac) */
    /* AC tables only, once fh_build_ac() ran: */
    uint16_t skip[1 << FH_SKIP_BITS];
    /* One whole AC symbol with its magnitude bits in FH_FAST_BITS: value * 256 + run * 16 +
     * bits consumed, for values in -128..127; 0 otherwise (EOB, ZRL, longer, larger). */
    int16_t fast_ac[1 << FH_FAST_BITS];
};

/**
 * Build @p t from a DHT table body: 16 counts, then @p n_vals symbols (the one-symbol lookup
 * and canonical limits; the AC tables on first use, fh_build_ac()).
 * @return false when the counts describe an impossible code.
 */
bool fh_build(struct fh_table *t, const uint8_t counts[16], const uint8_t *vals, int n_vals);

/**
 * Build the skip and one-lookup AC tables of @p t, once (a scan that skips AC symbols calls
 * it at its start; progressive scans never need them). @return false on allocation failure.
 */
bool fh_build_ac(struct fh_table *t);

/** @return true when every symbol of @p t is a DC magnitude category (0..15), as libjpeg checks. */
bool fh_dc_symbols_valid(const struct fh_table *t);

/** Decode one symbol by the canonical limits (codes longer than FH_FAST_BITS). */
int fh_decode_slow(struct fb_reader *b, const struct fh_table *t);

/**
 * Decode one symbol. Needs n >= 16 (a refill before). @return the symbol, or -1 for a code
 * that is not in the table.
 */
static inline int fh_decode(struct fb_reader *b, const struct fh_table *t) {
    unsigned e = t->fast[fb_peek(b, FH_FAST_BITS)];
    if (e != 0) {
        fb_skip(b, (int)(e >> 8));
        return (int)(e & 255);
    }
    return fh_decode_slow(b, t);
}

#endif /* TK_JPEG_FAST_HUFF_H */
