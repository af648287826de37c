/*
 * jpeg_fast_seq.c — sequential (baseline) scans for the fast JPEG decoder.
 *
 * Per block: the DC, then the AC symbols one by one while they can still land on a needed
 * coefficient (zig-zag index <= kmax), then the rest of the block through the skip table,
 * several symbols per lookup (jpeg_fast_huff.h). The semantics are libjpeg's decode_mcu:
 * a symbol with run r and size s > 0 moves k to k + r + 1, ZRL (0xF0) by 16, any other
 * size-0 symbol ends the block, and so does reaching k = 64.
 */
#include "errmsg.h"
#include "jpeg_fast_internal.h"

#include <string.h>

/* Where one block of the MCU goes. */
struct mcu_block {
    const struct fh_table *dc, *ac;
    int ci;     /* component index in the scan */
    size_t off; /* offset of the block's first value from the MCU's corner in the plane */
};

/* The stored slot of each zig-zag index: row * n + column in the top-left n x n, or -1. */
struct slots {
    int8_t of[64];
};

static void slots_for(int n, struct slots *s) {
    static const uint8_t natural[64] = {
        0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,  12, 19, 26, 33, 40, 48,
        41, 34, 27, 20, 13, 6,  7,  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23,
        30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};
    for (int k = 0; k < 64; k++) {
        int r = natural[k] / 8, c = natural[k] % 8;
        s->of[k] = (int8_t)(r < n && c < n ? r * n + c : -1);
    }
}

/* One lookup of the skip table; leaves the block when it ends, takes the slow road when an
 * entry cannot be trusted (no whole code in the window, or the block might end inside it). */
#define SKIP_LOOKUP(done_label, slow_label)                                                        \
    e = act->skip[acc >> (64 - FH_SKIP_BITS)];                                                     \
    kt = FH_SKIP_K(e);                                                                             \
    if (__builtin_expect(k + kt > 64, 0)) {                                                        \
        goto slow_label;                                                                           \
    }                                                                                              \
    acc <<= FH_SKIP_ADV(e);                                                                        \
    n -= (int)FH_SKIP_ADV(e);                                                                      \
    k += kt;                                                                                       \
    if (k >= 64 || (e & FH_SKIP_EOB)) {                                                            \
        goto done_label;                                                                           \
    }

/* Decode one symbol the plain way (refilled before). */
#define DECODE_SYMBOL(t, sym)                                                                      \
    do {                                                                                           \
        unsigned f_ = (t)->fast[acc >> (64 - FH_FAST_BITS)];                                       \
        if (__builtin_expect(f_ != 0, 1)) {                                                        \
            acc <<= f_ >> 8;                                                                       \
            n -= (int)(f_ >> 8);                                                                   \
            (sym) = (int)(f_ & 255);                                                               \
        } else {                                                                                   \
            FB_SPILL(b, acc, n, p);                                                                \
            (sym) = fh_decode_slow(&b, (t));                                                       \
            FB_RELOAD(b, acc, n, p);                                                               \
        }                                                                                          \
    } while (0)

/*
 * MCUs [ux0, ux1) of one MCU row. Inlined per layout (nblk, kmax constant) so the block loop
 * unrolls and the coefficient code for unneeded positions disappears at 1/8.
 */
static inline __attribute__((always_inline)) int
run_mcus(struct jf_decoder *d, struct fb_reader *bp, const struct mcu_block *blks, const int nblk,
         const int kmax, const struct slots *slots, int16_t *const *corner, const size_t *step,
         int ux0, int ux1, int32_t *pred) {
    struct fb_reader b = *bp;
    uint64_t acc;
    int n;
    const uint8_t *p;
    FB_RELOAD(b, acc, n, p);
    for (int ux = ux0; ux < ux1; ux++) {
        for (int i = 0; i < nblk; i++) {
            const struct fh_table *act = blks[i].ac;
            int ci = blks[i].ci;
            int16_t *coef = corner[ci] + (size_t)ux * step[ci] + blks[i].off;
            int s;
            FB_REFILL(b, acc, n, p);
            DECODE_SYMBOL(blks[i].dc, s);
            if (s < 0) {
                return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: corrupt entropy-coded data");
            }
            /* s <= 15 (checked at the scan's start); n >= 56 - 16 here. */
            uint32_t v = (uint32_t)((acc >> 1) >> (63 - s));
            acc <<= s;
            n -= s;
            int32_t half = (int32_t)((1u << s) >> 1);
            int32_t diff = (int32_t)v + ((((int32_t)v - half) >> 31) & (int32_t)(1u - (1u << s)));
            if (__builtin_add_overflow(pred[ci], diff, &pred[ci])) {
                return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: DC coefficient out of range");
            }
            coef[0] = (int16_t)(uint16_t)(uint32_t)pred[ci]; /* as libjpeg: (JCOEF) */
            unsigned k = 1, kt, e;
            /* The needed AC coefficients: decoded one symbol at a time, with their values. */
            while (kmax > 0 && k <= (unsigned)kmax) {
                FB_REFILL(b, acc, n, p);
                int fa = act->fast_ac[acc >> (64 - FH_FAST_BITS)];
                if (__builtin_expect(fa != 0, 1)) { /* symbol and value in one lookup */
                    acc <<= fa & 15;
                    n -= fa & 15;
                    k += (unsigned)(fa >> 4) & 15;
                    if (k <= (unsigned)kmax && slots->of[k] >= 0) {
                        coef[slots->of[k]] = (int16_t)(fa >> 8);
                    }
                    k++;
                    continue;
                }
                int rs;
                DECODE_SYMBOL(act, rs);
                if (rs < 0) {
                    return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: corrupt entropy-coded data");
                }
                int r = rs >> 4, size = rs & 15;
                if (size == 0) {
                    if (r != 15) {
                        goto block_done; /* EOB */
                    }
                    k += 16;
                    continue;
                }
                k += (unsigned)r;
                uint32_t bits = (uint32_t)((acc >> 1) >> (63 - size));
                acc <<= size;
                n -= size;
                if (k <= (unsigned)kmax && slots->of[k] >= 0) {
                    coef[slots->of[k]] = (int16_t)fb_extend(bits, size);
                }
                k++;
            }
            if (k >= 64) {
                goto block_done;
            }
            /* The rest: skipped, three lookups per refill (each takes at most 18 bits). */
            if (n < FH_SKIP_MAX_ADV) {
                FB_REFILL(b, acc, n, p);
            }
            SKIP_LOOKUP(block_done, one_symbol)
            for (;;) {
                FB_REFILL(b, acc, n, p);
                SKIP_LOOKUP(block_done, one_symbol)
                SKIP_LOOKUP(block_done, one_symbol)
                SKIP_LOOKUP(block_done, one_symbol)
                continue;
            one_symbol: /* the exact rules, one symbol */
                FB_REFILL(b, acc, n, p);
                {
                    int rs;
                    DECODE_SYMBOL(act, rs);
                    if (rs < 0) {
                        return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: corrupt entropy-coded data");
                    }
                    int r = rs >> 4, size = rs & 15;
                    acc <<= size;
                    n -= size;
                    if (size != 0) {
                        k += (unsigned)r + 1;
                    } else if (r == 15) {
                        k += 16;
                    } else {
                        break;
                    }
                    if (k >= 64) {
                        break;
                    }
                }
            }
        block_done:;
        }
    }
    FB_SPILL(b, acc, n, p);
    *bp = b;
    return TK_OK;
}

/* The MCUs [ux0, ux1) of one row, through the instance of run_mcus for this layout. */
static int run_span(struct jf_decoder *d, struct fb_reader *b, const struct mcu_block *blks,
                    int nblk, const struct slots *slots, int16_t *const *corner, const size_t *step,
                    int ux0, int ux1, int32_t *pred) {
    if (d->kmax == 0) {
        switch (nblk) {
        case 1:
            return run_mcus(d, b, blks, 1, 0, slots, corner, step, ux0, ux1, pred);
        case 3:
            return run_mcus(d, b, blks, 3, 0, slots, corner, step, ux0, ux1, pred);
        case 4:
            return run_mcus(d, b, blks, 4, 0, slots, corner, step, ux0, ux1, pred);
        case 6:
            return run_mcus(d, b, blks, 6, 0, slots, corner, step, ux0, ux1, pred);
        default:
            return run_mcus(d, b, blks, nblk, 0, slots, corner, step, ux0, ux1, pred);
        }
    }
    switch (nblk) {
    case 1:
        return run_mcus(d, b, blks, 1, 4, slots, corner, step, ux0, ux1, pred);
    case 4:
        return run_mcus(d, b, blks, 4, 4, slots, corner, step, ux0, ux1, pred);
    default:
        return run_mcus(d, b, blks, nblk, d->kmax, slots, corner, step, ux0, ux1, pred);
    }
}

int jf_expect_restart(struct jf_decoder *d, struct fb_reader *b, int *next_rst) {
    const uint8_t *m = fb_finish(b);
    if (m + 1 >= d->end || m[1] != 0xD0 + *next_rst) {
        return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: missing or out-of-order restart marker");
    }
    *next_rst = (*next_rst + 1) & 7;
    fb_start(b, m + 2, d->end);
    return TK_OK;
}

int jf_decode_sequential(struct jf_decoder *d, const struct jf_scan *sc, const uint8_t **pos) {
    bool interleaved = sc->n > 1;
    int units_x = interleaved ? d->mcus_x : sc->comp[0]->bw;
    int units_y = interleaved ? d->mcus_y : sc->comp[0]->bh;
    struct mcu_block blks[10];
    int nblk = 0;
    for (int ci = 0; ci < sc->n; ci++) {
        const struct jf_component *c = sc->comp[ci];
        int bh = interleaved ? c->v : 1, bw = interleaved ? c->h : 1;
        for (int by = 0; by < bh; by++) {
            for (int bx = 0; bx < bw; bx++) {
                blks[nblk].dc = sc->dc[ci];
                blks[nblk].ac = sc->ac[ci];
                blks[nblk].ci = ci;
                blks[nblk].off = ((size_t)by * (size_t)c->pw + (size_t)bx) * (size_t)d->n_coef;
                nblk++;
            }
        }
    }
    struct slots slots;
    slots_for(d->n, &slots);
    struct fb_reader b;
    fb_start(&b, *pos, d->end);
    int ri = d->restart_interval, left = ri, next_rst = 0;
    int32_t pred[JF_MAX_COMPONENTS] = {0};
    for (int uy = 0; uy < units_y; uy++) {
        int16_t *corner[JF_MAX_COMPONENTS]; /* the row's first MCU corner in each plane */
        size_t step[JF_MAX_COMPONENTS];     /* values from one MCU to the next */
        for (int ci = 0; ci < sc->n; ci++) {
            const struct jf_component *c = sc->comp[ci];
            int bh = interleaved ? c->v : 1, bw = interleaved ? c->h : 1;
            corner[ci] = c->coef + (size_t)uy * (size_t)bh * (size_t)c->pw * (size_t)d->n_coef;
            step[ci] = (size_t)bw * (size_t)d->n_coef;
        }
        for (int ux = 0; ux < units_x;) {
            if (ri && left == 0) {
                if (fb_overrun(&b)) {
                    return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: premature end of entropy-coded data");
                }
                int st = jf_expect_restart(d, &b, &next_rst);
                if (st != TK_OK) {
                    return st;
                }
                memset(pred, 0, sizeof(pred));
                left = ri;
            }
            int ux1 = ri && units_x - ux > left ? ux + left : units_x;
            int st = run_span(d, &b, blks, nblk, &slots, corner, step, ux, ux1, pred);
            if (st != TK_OK) {
                return st;
            }
            left -= ux1 - ux;
            ux = ux1;
        }
        if (fb_overrun(&b)) {
            return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: premature end of entropy-coded data");
        }
    }
    /* No marker after the data: libjpeg's read-ahead would hit the end of the file (a data-loss
     * warning there), so the general path decides. */
    *pos = fb_finish(&b);
    if (*pos >= d->end) {
        return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: premature end of file");
    }
    return TK_OK;
}
