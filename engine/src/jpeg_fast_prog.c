/*
 * jpeg_fast_prog.c — progressive scans for the fast JPEG decoder.
 *
 * The four kinds of scan follow libjpeg's jdphuff.c exactly (DC first, DC refinement, AC
 * first, AC refinement, end-of-band runs), with two differences in what is kept: values only
 * for the stored top-left n x n coefficients, and for every AC position a "nonzero" bit per
 * block, which is all an AC refinement scan needs to know about a coefficient it does not
 * store. Scans that touch only coefficients nobody needs never get here (jpeg_fast.c).
 */
#include "errmsg.h"
#include "jpeg_fast_internal.h"

#include <stdlib.h>
#include <string.h>

static const uint8_t zz_natural[64] = {
    0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,  12, 19, 26, 33, 40, 48,
    41, 34, 27, 20, 13, 6,  7,  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23,
    30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

struct prog_ctx {
    struct jf_decoder *d;
    const struct jf_scan *sc;
    struct fb_reader b;
    int8_t slot[64];    /* stored slot of each zig-zag index, or -1 */
    uint64_t slot_mask; /* zig-zag indexes that have a slot */
    int32_t pred[JF_MAX_COMPONENTS];
    uint32_t eobrun;
};

static int corrupt(struct prog_ctx *x) {
    return JF_FAIL(x->d, TK_ERR_CORRUPT, "JPEG: corrupt entropy-coded data");
}

/* Decode one Huffman symbol, or -1. Leaves at least 16 bits for its magnitude. */
static inline __attribute__((always_inline)) int symbol(struct prog_ctx *x,
                                                        const struct fh_table *t) {
    if (x->b.n < 32) {
        fb_refill(&x->b);
    }
    return fh_decode(&x->b, t);
}

/* @p k (0..16) bits as an unsigned value. */
static inline __attribute__((always_inline)) uint32_t bits(struct prog_ctx *x, int k) {
    if (x->b.n < k) {
        fb_refill(&x->b);
    }
    return fb_get(&x->b, k);
}

/* Consume @p count bits (any number). */
static void drop_bits(struct prog_ctx *x, int count) {
    while (count > 0) {
        if (x->b.n < 32) {
            fb_refill(&x->b);
        }
        int k = count < 32 ? count : 32;
        fb_skip(&x->b, k);
        count -= k;
    }
}

/* Bits set in @p x (no POPCNT instruction in baseline x86-64). */
static int popcount64(uint64_t x) {
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (int)((x * 0x0101010101010101ULL) >> 56);
}

/* Zig-zag positions lo..hi (lo <= hi + 1, both 0..64) as a bit mask. */
static uint64_t band(int lo, int hi) {
    if (lo > hi) {
        return 0;
    }
    uint64_t upto_hi = hi >= 63 ? ~0ULL : (2ULL << hi) - 1;
    return upto_hi & ~((1ULL << lo) - 1);
}

static int16_t *values_of(const struct prog_ctx *x, const struct jf_component *c, size_t blk) {
    return c->coef + blk * (size_t)x->d->n_coef;
}

/* Write a first-scan value: stored if in a slot; the nonzero bit follows the stored int16. */
static void set_first(struct prog_ctx *x, struct jf_component *c, size_t blk, int k, int32_t s) {
    int zz = k > 63 ? 63 : k; /* libjpeg's natural order maps overruns to 63 */
    int16_t v = (int16_t)(uint16_t)((uint32_t)s << x->sc->al);
    if (x->slot[zz] >= 0) {
        values_of(x, c, blk)[x->slot[zz]] = v;
    }
    uint64_t bit = 1ULL << zz;
    c->nonzero[blk] = v != 0 ? c->nonzero[blk] | bit : c->nonzero[blk] & ~bit;
}

static int ac_first(struct prog_ctx *x, struct jf_component *c, size_t blk) {
    if (x->eobrun > 0) {
        x->eobrun--;
        return TK_OK;
    }
    const struct fh_table *t = x->sc->ac[0];
    for (int k = x->sc->ss; k <= x->sc->se; k++) {
        int rs = symbol(x, t);
        if (rs < 0) {
            return corrupt(x);
        }
        int r = rs >> 4, s = rs & 15;
        if (s != 0) {
            k += r;
            set_first(x, c, blk, k, fb_extend(fb_get(&x->b, s), s));
        } else if (r == 15) {
            k += 15;
        } else {
            x->eobrun = (1u << r) - 1; /* this block is the run's first */
            if (r != 0) {
                x->eobrun += bits(x, r);
            }
            break;
        }
    }
    return TK_OK;
}

/*
 * Correction bits for the nonzero coefficients in @p nz (one bit each, lowest position
 * first): libjpeg adds 1 << Al to the magnitude when the bit is set and that bit of the
 * coefficient is clear. Only stored coefficients change; the others stay nonzero.
 */
static inline __attribute__((always_inline)) void refine_nonzero(struct prog_ctx *x, int16_t *v,
                                                                 uint64_t nz) {
    if (nz == 0) {
        return;
    }
    if ((nz & x->slot_mask) == 0) {
        int count = popcount64(nz);
        if (count <= x->b.n) {
            fb_skip(&x->b, count);
        } else {
            drop_bits(x, count);
        }
        return;
    }
    int p1 = 1 << x->sc->al;
    while (nz != 0) {
        int zz = __builtin_ctzll(nz);
        nz &= nz - 1;
        if (bits(x, 1) && x->slot[zz] >= 0) {
            int16_t *coef = &v[x->slot[zz]];
            if ((*coef & p1) == 0) {
                *coef = (int16_t)(uint16_t)(uint32_t)(*coef >= 0 ? *coef + p1 : *coef - p1);
            }
        }
    }
}

/* The position of the (r + 1)-th zero coefficient at or after k within the band, or se + 1. */
static int nth_zero(uint64_t zeros, int r, int se) {
    for (; zeros != 0; zeros &= zeros - 1, r--) {
        if (r == 0) {
            return __builtin_ctzll(zeros);
        }
    }
    return se + 1;
}

static int ac_refine(struct prog_ctx *x, struct jf_component *c, size_t blk) {
    const struct fh_table *t = x->sc->ac[0];
    int se = x->sc->se, k = x->sc->ss;
    int16_t *v = values_of(x, c, blk);
    uint64_t *nz = &c->nonzero[blk];
    if (x->eobrun == 0) {
        for (; k <= se; k++) {
            int rs = symbol(x, t);
            if (rs < 0) {
                return corrupt(x);
            }
            int r = rs >> 4, s = rs & 15;
            int newval = 0;
            if (s != 0) {
                if (s != 1) {
                    return corrupt(x); /* libjpeg warns JWRN_HUFF_BAD_CODE: data loss */
                }
                newval = fb_get(&x->b, 1) ? (1 << x->sc->al) : -(1 << x->sc->al);
            } else if (r != 15) {
                x->eobrun = 1u << r;
                if (r != 0) {
                    x->eobrun += bits(x, r);
                }
                break; /* the rest of the block is handled as part of the run */
            }
            /* Pass over nonzero coefficients (a correction bit each) up to the (r+1)-th zero
             * one, where a new coefficient goes (or ZRL's sixteen zeros end). */
            int target = nth_zero(~*nz & band(k, se), r, se);
            refine_nonzero(x, v, *nz & band(k, target - 1));
            k = target;
            if (newval != 0) {
                int zz = k > 63 ? 63 : k;
                if (x->slot[zz] >= 0) {
                    v[x->slot[zz]] = (int16_t)newval;
                }
                *nz |= 1ULL << zz;
            }
        }
    }
    if (x->eobrun > 0) {
        /* In an end-of-band run: a correction bit for each nonzero coefficient left. */
        refine_nonzero(x, v, *nz & band(k, se));
        x->eobrun--;
    }
    return TK_OK;
}

static int alloc_nonzero(struct jf_decoder *d, struct jf_component *c) {
    if (c->nonzero == NULL) {
        c->nonzero = calloc((size_t)c->pw * (size_t)c->ph, sizeof(*c->nonzero));
        if (c->nonzero == NULL) {
            return JF_FAIL(d, TK_ERR_NO_MEMORY, "out of memory for %dx%d blocks", c->pw, c->ph);
        }
    }
    return TK_OK;
}

/* The blocks of one MCU: component index in the scan and offset from the MCU's corner. */
struct mcu_layout {
    int nblk;
    int ci[10];
    size_t off[10]; /* in blocks */
};

static void layout_of(const struct jf_scan *sc, bool interleaved, struct mcu_layout *L) {
    L->nblk = 0;
    for (int ci = 0; ci < sc->n; ci++) {
        const struct jf_component *c = sc->comp[ci];
        int bh = interleaved ? c->v : 1, bw = interleaved ? c->h : 1;
        for (int by = 0; by < bh; by++) {
            for (int bx = 0; bx < bw; bx++) {
                L->ci[L->nblk] = ci;
                L->off[L->nblk] = (size_t)by * (size_t)c->pw + (size_t)bx;
                L->nblk++;
            }
        }
    }
}

/*
 * MCUs [ux0, ux1) of MCU row uy of a DC scan, the hot loop at 1/8: the bit reader in locals,
 * as in jpeg_fast_seq.c. First scans: libjpeg's decode_mcu_DC_first; refinements: one bit
 * per block, OR-ed in at bit Al.
 */
static int dc_span(struct prog_ctx *x, const struct mcu_layout *L, int uy, int ux0, int ux1) {
    const struct jf_scan *sc = x->sc;
    bool interleaved = sc->n > 1;
    int16_t *corner[JF_MAX_COMPONENTS];
    size_t step[JF_MAX_COMPONENTS];
    for (int ci = 0; ci < sc->n; ci++) {
        const struct jf_component *c = sc->comp[ci];
        int bh = interleaved ? c->v : 1, bw = interleaved ? c->h : 1;
        size_t nc = (size_t)x->d->n_coef;
        corner[ci] = c->coef + (size_t)uy * (size_t)bh * (size_t)c->pw * nc;
        step[ci] = (size_t)bw * nc;
    }
    struct fb_reader b = x->b;
    uint64_t acc;
    int n;
    const uint8_t *p;
    FB_RELOAD(b, acc, n, p);
    int al = sc->al, status = TK_OK;
    for (int ux = ux0; ux < ux1 && status == TK_OK; ux++) {
        FB_REFILL(b, acc, n, p);
        for (int i = 0; i < L->nblk; i++) {
            int ci = L->ci[i];
            int16_t *coef = corner[ci] + (size_t)ux * step[ci] + L->off[i] * (size_t)x->d->n_coef;
            if (sc->ah != 0) {
                if (n < 1) {
                    FB_REFILL(b, acc, n, p);
                }
                if (acc >> 63) {
                    coef[0] = (int16_t)(coef[0] | (1 << al));
                }
                acc <<= 1;
                n--;
                continue;
            }
            if (n < 32) {
                FB_REFILL(b, acc, n, p);
            }
            int s;
            unsigned f = sc->dc[ci]->fast[acc >> (64 - FH_FAST_BITS)];
            if (f != 0) {
                acc <<= f >> 8;
                n -= (int)(f >> 8);
                s = (int)(f & 255);
            } else {
                FB_SPILL(b, acc, n, p);
                s = fh_decode_slow(&b, sc->dc[ci]);
                FB_RELOAD(b, acc, n, p);
                if (s < 0) {
                    status = corrupt(x);
                    break;
                }
            }
            uint32_t v = (uint32_t)((acc >> 1) >> (63 - s)); /* s <= 15, n >= 16 */
            acc <<= s;
            n -= s;
            if (__builtin_add_overflow(x->pred[ci], fb_extend(v, s), &x->pred[ci])) {
                status = JF_FAIL(x->d, TK_ERR_CORRUPT, "JPEG: DC coefficient out of range");
                break;
            }
            coef[0] = (int16_t)(uint16_t)((uint32_t)x->pred[ci] << al);
        }
    }
    FB_SPILL(b, acc, n, p);
    x->b = b;
    return status;
}

/* MCUs [ux0, ux1) of MCU row uy of an AC scan (one component, one block per MCU). */
static int ac_span(struct prog_ctx *x, int uy, int ux0, int ux1) {
    struct jf_component *c = x->sc->comp[0];
    size_t row = (size_t)uy * (size_t)c->pw;
    bool first = x->sc->ah == 0;
    for (int ux = ux0; ux < ux1; ux++) {
        int st = first ? ac_first(x, c, row + (size_t)ux) : ac_refine(x, c, row + (size_t)ux);
        if (st != TK_OK) {
            return st;
        }
    }
    return TK_OK;
}

int jf_decode_progressive(struct jf_decoder *d, const struct jf_scan *sc, const uint8_t **pos) {
    struct prog_ctx x;
    memset(&x, 0, sizeof(x));
    x.d = d;
    x.sc = sc;
    for (int k = 0; k < 64; k++) {
        int r = zz_natural[k] / 8, col = zz_natural[k] % 8;
        x.slot[k] = (int8_t)(r < d->n && col < d->n ? r * d->n + col : -1);
        x.slot_mask |= x.slot[k] >= 0 ? 1ULL << k : 0;
    }
    if (sc->ss > 0) {
        int st = alloc_nonzero(d, sc->comp[0]);
        if (st != TK_OK) {
            return st;
        }
    }
    fb_start(&x.b, *pos, d->end);
    bool interleaved = sc->n > 1;
    struct mcu_layout layout;
    layout_of(sc, interleaved, &layout);
    int units_x = interleaved ? d->mcus_x : sc->comp[0]->bw;
    int units_y = interleaved ? d->mcus_y : sc->comp[0]->bh;
    int ri = d->restart_interval, left = ri, next_rst = 0;
    for (int uy = 0; uy < units_y; uy++) {
        for (int ux = 0; ux < units_x;) {
            if (ri && left == 0) {
                if (fb_overrun(&x.b)) {
                    return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: premature end of entropy-coded data");
                }
                int st = jf_expect_restart(d, &x.b, &next_rst);
                if (st != TK_OK) {
                    return st;
                }
                memset(x.pred, 0, sizeof(x.pred));
                x.eobrun = 0;
                left = ri;
            }
            int ux1 = ri && units_x - ux > left ? ux + left : units_x;
            int st = sc->ss == 0 ? dc_span(&x, &layout, uy, ux, ux1) : ac_span(&x, uy, ux, ux1);
            if (st != TK_OK) {
                return st;
            }
            left -= ux1 - ux;
            ux = ux1;
        }
        if (fb_overrun(&x.b)) {
            return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: premature end of entropy-coded data");
        }
    }
    /* No marker after the data: libjpeg's read-ahead would hit the end of the file (a data-loss
     * warning there), so the general path decides. */
    *pos = fb_finish(&x.b);
    if (*pos >= d->end) {
        return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: premature end of file");
    }
    return TK_OK;
}
