/*
 * jpeg_dc_bits.h — entropy-coded segment reading for the DC-only decoder:
 * a bit reader that unstuffs 0xFF00 and stops at markers, and canonical
 * Huffman tables with a 9-bit lookup. Internal to jpeg_dc*.c.
 */
#ifndef TK_JPEG_DC_BITS_H
#define TK_JPEG_DC_BITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DC_LOOKUP_BITS 9

/** A Huffman table as defined by a DHT segment, ready for decoding. */
struct dc_huff {
    bool defined;
    uint8_t lookup_len[1 << DC_LOOKUP_BITS]; /* 0: code longer than DC_LOOKUP_BITS */
    uint8_t lookup_val[1 << DC_LOOKUP_BITS];
    int32_t maxcode[17];    /* largest code of each length, -1 if none */
    int32_t val_offset[17]; /* index into vals of a code of each length, minus that code */
    uint8_t vals[256];
};

/**
 * Build @p h from a DHT table body: 16 counts then the symbols (@p n_vals of them).
 * @return false when the counts describe an impossible code (over-subscribed).
 */
bool dc_huff_build(struct dc_huff *h, const uint8_t counts[16], const uint8_t *vals, int n_vals);

/** Reads the bits of one entropy-coded segment. */
struct dc_bits {
    const uint8_t *p;   /* next byte to load */
    const uint8_t *end; /* end of the whole file */
    uint64_t acc;       /* bits, most significant first */
    int n;              /* bits held in acc */
    int fake;           /* of those, zero bits fed after the segment ended */
    bool at_marker;     /* p stands on a marker (or the end of the file) */
    bool overrun;       /* a real bit was asked for after the segment ended */
};

/** Start reading entropy-coded data at @p p. */
void dc_bits_start(struct dc_bits *b, const uint8_t *p, const uint8_t *end);

/** Ensure at least 32 bits are in the accumulator (zeros past the segment's end). */
void dc_bits_fill(struct dc_bits *b);

/** Take @p k (0..16) bits as an unsigned value. */
static inline uint32_t dc_bits_get(struct dc_bits *b, int k) {
    if (k == 0) {
        return 0;
    }
    if (b->n < k) {
        dc_bits_fill(b);
    }
    uint32_t v = (uint32_t)(b->acc >> (64 - k));
    b->acc <<= k;
    b->n -= k;
    if (b->n < b->fake) {
        b->overrun = true;
        b->fake = b->n;
    }
    return v;
}

/** Decode one Huffman symbol. @return the symbol, or -1 for a code not in the table. */
int dc_huff_decode(struct dc_bits *b, const struct dc_huff *h);

/** JPEG's EXTEND: the @p s-bit value @p v as a signed coefficient difference. */
static inline int32_t dc_extend(uint32_t v, int s) {
    if (s == 0) {
        return 0;
    }
    return v < (1u << (s - 1)) ? (int32_t)v - (int32_t)((1u << s) - 1) : (int32_t)v;
}

/**
 * Drop the bits left in the current byte and anything up to the next marker.
 * @return a pointer to that marker's 0xFF, or @p b->end when there is none.
 */
const uint8_t *dc_bits_finish(struct dc_bits *b);

/**
 * Skip an entropy-coded segment without decoding it.
 * @return a pointer to the next marker that is not RSTn, or @p end.
 */
const uint8_t *dc_skip_entropy_data(const uint8_t *p, const uint8_t *end);

#endif /* TK_JPEG_DC_BITS_H */
