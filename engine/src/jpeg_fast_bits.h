/*
 * jpeg_fast_bits.h — the bit reader of the fast JPEG paths: a 64-bit accumulator refilled
 * eight bytes at a time while no 0xFF byte is near, byte by byte (unstuffing 0xFF00 and
 * stopping at markers) otherwise. Internal to jpeg_fast*.c.
 *
 * Invariants: bits are consumed from the top of @c acc; @c n (0..63) of them are valid.
 * Bits below those are either zero or the true next bits of the stream, so a refill may
 * OR the same bytes in again. Past a marker (or the end of the data) zero bits are fed and
 * counted in @c fake: once @c n < @c fake, real data was asked for beyond the segment.
 */
#ifndef TK_JPEG_FAST_BITS_H
#define TK_JPEG_FAST_BITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/** Reads the bits of one entropy-coded segment. */
struct fb_reader {
    uint64_t acc;       /* bits, most significant first */
    int n;              /* valid bits in acc, 0..63 */
    int fake;           /* of those, zero bits fed past the segment's end */
    const uint8_t *p;   /* next byte not yet wholly in acc */
    const uint8_t *end; /* end of the data */
    bool at_marker;     /* p stands on a marker (or the end of the data) */
};

/** Start reading entropy-coded data at @p p; @p end is the end of the whole buffer. */
void fb_start(struct fb_reader *b, const uint8_t *p, const uint8_t *end);

/** Refill byte by byte: unstuffs 0xFF00, stops at a marker and feeds zeros after it. */
void fb_refill_slow(struct fb_reader *b);

/*
 * The hot loops keep the reader in three locals (bits, count, next byte) so that the compiler
 * holds them in registers; these macros move them to and from the struct around slow calls
 * and refill them in place. @p b is the struct, the others are lvalues.
 */
#define FB_SPILL(b, A, N, P)  ((b).acc = (A), (b).n = (N), (b).p = (P))
#define FB_RELOAD(b, A, N, P) ((A) = (b).acc, (N) = (b).n, (P) = (b).p)
#define FB_REFILL(b, A, N, P)                                                                      \
    do {                                                                                           \
        if ((b).end - (P) >= 8) {                                                                  \
            uint64_t w_;                                                                           \
            memcpy(&w_, (P), sizeof(w_));                                                          \
            w_ = __builtin_bswap64(w_);                                                            \
            uint64_t t_ = ~w_;                                                                     \
            if (__builtin_expect(                                                                  \
                    ((t_ - 0x0101010101010101ULL) & ~t_ & 0x8080808080808080ULL) == 0, 1)) {       \
                (A) |= w_ >> (N);                                                                  \
                (P) += (63 - (N)) >> 3;                                                            \
                (N) |= 56;                                                                         \
                break;                                                                             \
            }                                                                                      \
        }                                                                                          \
        FB_SPILL(b, A, N, P);                                                                      \
        fb_refill_slow(&(b));                                                                      \
        FB_RELOAD(b, A, N, P);                                                                     \
    } while (0)

/** Bring @c n to at least 56. */
static inline void fb_refill(struct fb_reader *b) {
    uint64_t acc = b->acc;
    int n = b->n;
    const uint8_t *p = b->p;
    FB_REFILL(*b, acc, n, p); /* eight bytes at once when none of them is 0xFF */
    FB_SPILL(*b, acc, n, p);
}

/** The next @p k (1..32) bits, not consumed. Needs n >= k. */
static inline uint32_t fb_peek(const struct fb_reader *b, int k) {
    return (uint32_t)(b->acc >> (64 - k));
}

/** Consume @p k (0..63) bits. Needs n >= k. */
static inline void fb_skip(struct fb_reader *b, int k) {
    b->acc <<= k;
    b->n -= k;
}

/** Take @p k (0..16) bits as an unsigned value. Needs n >= k. */
static inline uint32_t fb_get(struct fb_reader *b, int k) {
    uint32_t v = (uint32_t)((b->acc >> 1) >> (63 - k)); /* k == 0 gives 0 */
    fb_skip(b, k);
    return v;
}

/** @return true when bits past the end of the segment have been consumed. */
static inline bool fb_overrun(const struct fb_reader *b) {
    return b->n < b->fake;
}

/** JPEG's EXTEND: the @p s-bit value @p v (s = 0..16) as a signed difference. */
static inline int32_t fb_extend(uint32_t v, int s) {
    return s == 0 ? 0 : (v < (1u << (s - 1)) ? (int32_t)v - (int32_t)((1u << s) - 1) : (int32_t)v);
}

/**
 * Drop what is left of the current segment's bits.
 * @return a pointer to the marker that ends it (its 0xFF), or @c end when there is none.
 */
const uint8_t *fb_finish(struct fb_reader *b);

#endif /* TK_JPEG_FAST_BITS_H */
