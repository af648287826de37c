/* jpeg_fast_huff.c — Huffman tables of the fast JPEG paths (see jpeg_fast_huff.h). */
#include "jpeg_fast_huff.h"

#include <stdlib.h>
#include <string.h>

/* Lengths and symbols of every FH_SKIP_BITS-bit prefix that starts with a whole code. */
struct prefix_codes {
    uint8_t len[1 << FH_SKIP_BITS]; /* 0: no code of at most FH_SKIP_BITS bits */
    uint8_t sym[1 << FH_SKIP_BITS];
};

/*
 * One skip entry: the symbols that lie wholly in the window @p bits (FH_SKIP_BITS wide),
 * magnitude bits included except the last symbol's, which may run past the window. Stops
 * after an end of block (EOB) or once the block is full (64 coefficients).
 */
static uint16_t skip_entry(const struct prefix_codes *pc, unsigned bits) {
    int pos = 0, k = 0;
    bool eob = false;
    while (pos < FH_SKIP_BITS && k < 64 && !eob) {
        unsigned rest = (bits << pos) & ((1u << FH_SKIP_BITS) - 1);
        int len = pc->len[rest];
        if (len == 0 || len > FH_SKIP_BITS - pos) {
            break; /* the next code does not lie wholly in the window */
        }
        int r = pc->sym[rest] >> 4, s = pc->sym[rest] & 15;
        if (pos + len + s > FH_SKIP_MAX_ADV) {
            break; /* keeps three lookups within one refill */
        }
        pos += len + s;
        if (s != 0) {
            k += r + 1;
        } else if (r == 15) {
            k += 16; /* ZRL: sixteen zeros */
        } else {
            k += 1; /* EOB: counted as one step, so "k + step <= 64" checks it is in the block */
            eob = true;
        }
    }
    if (pos == 0) {
        return 127u << 8; /* no whole code in the window: fails every "k + step <= 64" check */
    }
    return (uint16_t)((unsigned)pos | ((unsigned)k << 8) | (eob ? FH_SKIP_EOB : 0));
}

static void build_fast_ac(struct fh_table *t) {
    for (int i = 0; i < (1 << FH_FAST_BITS); i++) {
        unsigned f = t->fast[i];
        int len = (int)(f >> 8), r = (f >> 4) & 15, s = f & 15;
        t->fast_ac[i] = 0;
        if (f == 0 || s == 0 || len + s > FH_FAST_BITS) {
            continue;
        }
        unsigned bits = ((unsigned)i >> (FH_FAST_BITS - len - s)) & ((1u << s) - 1);
        int32_t v = fb_extend(bits, s);
        if (v >= -128 && v <= 127) {
            t->fast_ac[i] = (int16_t)(v * 256 + r * 16 + len + s);
        }
    }
}

bool fh_build(struct fh_table *t, const uint8_t counts[16], const uint8_t *vals, int n_vals) {
    memset(t, 0, sizeof(*t));
    if (n_vals < 0 || n_vals > 256) {
        return false;
    }
    memcpy(t->vals, vals, (size_t)n_vals);
    memcpy(t->counts, counts, sizeof(t->counts));
    t->n_vals = n_vals;

    /* Canonical codes (JPEG Annex C). As in libjpeg, every code of each length must fit and
     * none may be all ones; both are checked before any table entry is written. */
    int32_t code = 0;
    int k = 0;
    bool ok = true;
    for (int len = 1; len <= 16 && ok; len++) {
        int count = counts[len - 1];
        if (code + count >= (1 << len) || k + count > n_vals) {
            ok = false;
            break;
        }
        t->valoffset[len] = k - code;
        t->maxcode[len] = count ? code + count - 1 : -1;
        for (int i = 0; i < count; i++, k++, code++) {
            if (len <= FH_FAST_BITS) {
                int shift = FH_FAST_BITS - len;
                for (int j = 0; j < (1 << shift); j++) {
                    t->fast[(code << shift) + j] = (uint16_t)((len << 8) | vals[k]);
                }
            }
        }
        code <<= 1;
    }
    ok = ok && k == n_vals;
    if (!ok) {
        memset(t, 0, sizeof(*t));
        return false;
    }
    t->defined = true;
    return true;
}

bool fh_build_ac(struct fh_table *t) {
    if (t->ac_built) {
        return true;
    }
    struct prefix_codes *pc = calloc(1, sizeof(*pc));
    if (pc == NULL) {
        return false;
    }
    /* The canonical codes again (fh_build checked them), spread over FH_SKIP_BITS prefixes. */
    int code = 0, k = 0;
    for (int len = 1; len <= FH_SKIP_BITS; len++) {
        for (int i = 0; i < t->counts[len - 1]; i++, k++, code++) {
            int shift = FH_SKIP_BITS - len;
            memset(pc->len + (code << shift), len, (size_t)1 << shift);
            memset(pc->sym + (code << shift), t->vals[k], (size_t)1 << shift);
        }
        code <<= 1;
    }
    for (unsigned i = 0; i < (1u << FH_SKIP_BITS); i++) {
        t->skip[i] = skip_entry(pc, i);
    }
    free(pc);
    build_fast_ac(t);
    t->ac_built = true;
    return true;
}

bool fh_dc_symbols_valid(const struct fh_table *t) {
    for (int i = 0; i < t->n_vals; i++) {
        if (t->vals[i] > 15) {
            return false;
        }
    }
    return true;
}

int fh_decode_slow(struct fb_reader *b, const struct fh_table *t) {
    uint32_t code16 = fb_peek(b, 16);
    for (int len = FH_FAST_BITS + 1; len <= 16; len++) {
        int32_t code = (int32_t)(code16 >> (16 - len));
        if (code <= t->maxcode[len]) {
            fb_skip(b, len);
            int idx = t->valoffset[len] + code;
            return (idx >= 0 && idx < 256) ? t->vals[idx] : -1;
        }
    }
    return -1;
}
