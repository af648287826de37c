/*
 * jpeg_dc.c — the DC-only JPEG decoder: marker parsing and scan decoding.
 * See jpeg_dc.h for what it does and when it applies.
 */
#include "errmsg.h"
#include "jpeg_dc_internal.h"
#include "testing.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Set the error sentence and yield the status, in one expression. */
#define FAIL(d, status, ...) (tk_errf((d)->err, (d)->errlen, __VA_ARGS__), (status))

/* The file is valid so far but not for this path: no error, and the decoder
 * stops (run() checks d->eligible after every segment). */
static enum tk_status not_eligible(struct dc_decoder *d) {
    d->eligible = false;
    return TK_OK;
}

static int read_u16(const uint8_t *p) {
    return (p[0] << 8) | p[1];
}

static enum tk_status parse_sof(struct dc_decoder *d, uint8_t marker, const uint8_t *s, int len,
                                uint64_t max_pixels) {
    if (d->n_comp) {
        return FAIL(d, TK_ERR_CORRUPT, "JPEG: more than one frame header");
    }
    bool baseline = marker == 0xC0 || marker == 0xC1;
    if (marker != 0xC2 && !(baseline && d->also_baseline)) {
        return not_eligible(d); /* lossless, arithmetic, hierarchical, or baseline when not asked */
    }
    if (len < 6) {
        return FAIL(d, TK_ERR_CORRUPT, "JPEG: frame header too short");
    }
    int precision = s[0];
    d->height = read_u16(s + 1);
    d->width = read_u16(s + 3);
    int n = s[5];
    if (precision != 8 || d->width == 0 || d->height == 0 || (n != 1 && n != 3)) {
        return not_eligible(d); /* 12-bit, DNL-defined height, CMYK: the general path decides */
    }
    if (len < 6 + 3 * n) {
        return FAIL(d, TK_ERR_CORRUPT, "JPEG: frame header too short");
    }
    if ((uint64_t)d->width * (uint64_t)d->height > max_pixels) {
        tk_err_too_many_pixels(d->err, d->errlen, (uint32_t)d->width, (uint32_t)d->height,
                               max_pixels);
        return TK_ERR_TOO_LARGE;
    }
    d->progressive = marker == 0xC2;
    d->n_comp = n;
    for (int i = 0; i < n; i++) {
        struct dc_component *c = &d->comp[i];
        c->id = s[6 + 3 * i];
        c->h = s[7 + 3 * i] >> 4;
        c->v = s[7 + 3 * i] & 15;
        c->quant_table = s[8 + 3 * i];
        c->quant_dc = -1;
        if (c->h < 1 || c->h > 4 || c->v < 1 || c->v > 4 || c->quant_table > 3) {
            return FAIL(d, TK_ERR_CORRUPT, "JPEG: bad sampling factors or quantisation table");
        }
    }
    if (n == 1) {
        d->comp[0].h = d->comp[0].v = 1; /* a lone component is never subsampled */
    } else {
        /* Supported: 4:4:4, 4:2:2, 4:2:0 with full-resolution luma first. */
        for (int i = 1; i < n; i++) {
            if (d->comp[i].h != 1 || d->comp[i].v != 1) {
                return not_eligible(d);
            }
        }
        int h0 = d->comp[0].h, v0 = d->comp[0].v;
        if (!((h0 == 1 && v0 == 1) || (h0 == 2 && v0 == 1) || (h0 == 2 && v0 == 2))) {
            return not_eligible(d);
        }
    }
    d->hmax = d->comp[0].h;
    d->vmax = d->comp[0].v;
    d->mcus_x = (d->width + 8 * d->hmax - 1) / (8 * d->hmax);
    d->mcus_y = (d->height + 8 * d->vmax - 1) / (8 * d->vmax);
    for (int i = 0; i < n; i++) {
        struct dc_component *c = &d->comp[i];
        int cw = (d->width * c->h + d->hmax - 1) / d->hmax; /* component size in samples */
        int ch = (d->height * c->v + d->vmax - 1) / d->vmax;
        c->bw = (cw + 7) / 8;
        c->bh = (ch + 7) / 8;
        c->pw = d->mcus_x * c->h;
        c->ph = d->mcus_y * c->v;
        c->dc = calloc((size_t)c->pw * (size_t)c->ph, sizeof(*c->dc));
        if (!c->dc) {
            return FAIL(d, TK_ERR_NO_MEMORY, "out of memory for %dx%d DC blocks", c->pw, c->ph);
        }
    }
    return TK_OK;
}

static enum tk_status parse_dqt(struct dc_decoder *d, const uint8_t *s, int len) {
    while (len > 0) {
        int pq = s[0] >> 4, tq = s[0] & 15;
        int size = 1 + 64 * (pq ? 2 : 1);
        if (pq > 1 || tq > 3 || len < size) {
            return FAIL(d, TK_ERR_CORRUPT, "JPEG: bad quantisation table");
        }
        d->quant_dc[tq] = pq ? read_u16(s + 1) : s[1]; /* entry 0 in zigzag order is DC */
        s += size;
        len -= size;
    }
    return TK_OK;
}

static enum tk_status parse_dht(struct dc_decoder *d, const uint8_t *s, int len) {
    while (len > 0) {
        if (len < 17) {
            return FAIL(d, TK_ERR_CORRUPT, "JPEG: Huffman table too short");
        }
        int tc = s[0] >> 4, th = s[0] & 15;
        int n_vals = 0;
        for (int i = 0; i < 16; i++) {
            n_vals += s[1 + i];
        }
        if (tc > 1 || th > 3 || n_vals > 256 || len < 17 + n_vals) {
            return FAIL(d, TK_ERR_CORRUPT, "JPEG: bad Huffman table");
        }
        struct dc_huff *h = tc ? &d->ac_tables[th] : &d->dc_tables[th];
        if (!dc_huff_build(h, s + 1, s + 17, n_vals)) {
            return FAIL(d, TK_ERR_CORRUPT, "JPEG: bad Huffman table");
        }
        s += 17 + n_vals;
        len -= 17 + n_vals;
    }
    return TK_OK;
}

static void parse_app(struct dc_decoder *d, uint8_t marker, const uint8_t *s, int len) {
    /* The colour space of a 3-component file follows libjpeg's rules: JFIF, then Adobe, then ids.
     */
    if (marker == 0xE0 && len >= 14 && memcmp(s, "JFIF", 5) == 0) {
        d->saw_jfif = true;
    } else if (marker == 0xEE && len >= 12 && memcmp(s, "Adobe", 5) == 0) {
        d->adobe_transform = s[11];
    }
}

static bool is_ycbcr(const struct dc_decoder *d) {
    if (d->n_comp == 1 || d->saw_jfif) {
        return true;
    }
    if (d->adobe_transform >= 0) {
        return d->adobe_transform == 1;
    }
    return !(d->comp[0].id == 'R' && d->comp[1].id == 'G' && d->comp[2].id == 'B');
}

struct scan {
    int n;
    struct dc_component *comp[DC_MAX_COMPONENTS];
    const struct dc_huff *dc[DC_MAX_COMPONENTS];
    const struct dc_huff *ac[DC_MAX_COMPONENTS];
    int32_t pred[DC_MAX_COMPONENTS];
    int ss, se, ah, al;
};

/* One block of a DC first scan (progressive) or of a sequential scan. */
static enum tk_status decode_block(struct dc_decoder *d, struct dc_bits *b, struct scan *sc, int ci,
                                   int16_t *coef) {
    if (sc->ah) { /* DC successive-approximation refinement: one bit */
        if (dc_bits_get(b, 1)) {
            *coef = (int16_t)(*coef | (1 << sc->al));
        }
        return TK_OK;
    }
    int s = dc_huff_decode(b, sc->dc[ci]);
    if (s < 0 || s > 15) {
        return FAIL(d, TK_ERR_CORRUPT, "JPEG: corrupt entropy-coded data");
    }
    int32_t diff = dc_extend(dc_bits_get(b, s), s);
    int32_t *pred = &sc->pred[ci];
    if ((diff > 0 && *pred > INT32_MAX - diff) || (diff < 0 && *pred < INT32_MIN - diff)) {
        return FAIL(d, TK_ERR_CORRUPT, "JPEG: DC coefficient out of range");
    }
    *pred += diff;
    /* Stored as libjpeg stores it: shifted by Al, cast to a 16-bit coefficient. */
    *coef = (int16_t)(uint16_t)((uint32_t)*pred << sc->al);

    if (!d->progressive) { /* sequential: read past the 63 AC coefficients */
        for (int k = 1; k < 64;) {
            int rs = dc_huff_decode(b, sc->ac[ci]);
            if (rs < 0) {
                return FAIL(d, TK_ERR_CORRUPT, "JPEG: corrupt entropy-coded data");
            }
            int r = rs >> 4, size = rs & 15;
            if (size) {
                dc_bits_get(b, size);
                k += r + 1;
            } else if (r == 15) {
                k += 16;
            } else {
                break;
            }
        }
    }
    return TK_OK;
}

static enum tk_status expect_restart(struct dc_decoder *d, struct dc_bits *b, int *next_rst) {
    const uint8_t *m = dc_bits_finish(b);
    if (m + 1 >= d->end || m[1] != 0xD0 + *next_rst) {
        return FAIL(d, TK_ERR_CORRUPT, "JPEG: missing or out-of-order restart marker");
    }
    *next_rst = (*next_rst + 1) & 7;
    dc_bits_start(b, m + 2, d->end);
    return TK_OK;
}

/* Decode the blocks of one DC scan; returns the position after its entropy-coded data. */
static enum tk_status decode_dc_scan(struct dc_decoder *d, struct scan *sc, const uint8_t **pos) {
    struct dc_bits b;
    dc_bits_start(&b, *pos, d->end);
    bool interleaved = sc->n > 1;
    int units_x = interleaved ? d->mcus_x : sc->comp[0]->bw;
    int units_y = interleaved ? d->mcus_y : sc->comp[0]->bh;
    int restarts_left = d->restart_interval;
    int next_rst = 0;
    enum tk_status status = TK_OK;

    for (int uy = 0; uy < units_y; uy++) {
        for (int ux = 0; ux < units_x; ux++) {
            if (d->restart_interval && restarts_left == 0) {
                if ((status = expect_restart(d, &b, &next_rst)) != TK_OK) {
                    return status;
                }
                memset(sc->pred, 0, sizeof(sc->pred));
                restarts_left = d->restart_interval;
            }
            restarts_left--;
            for (int ci = 0; ci < sc->n; ci++) {
                struct dc_component *c = sc->comp[ci];
                int bh = interleaved ? c->v : 1, bw = interleaved ? c->h : 1;
                for (int by = 0; by < bh; by++) {
                    for (int bx = 0; bx < bw; bx++) {
                        int x = ux * bw + bx, y = uy * bh + by;
                        status = decode_block(d, &b, sc, ci, &c->dc[(size_t)y * c->pw + x]);
                        if (status != TK_OK) {
                            return status;
                        }
                    }
                }
            }
            if (b.overrun) {
                return FAIL(d, TK_ERR_CORRUPT, "JPEG: premature end of entropy-coded data");
            }
        }
    }
    *pos = dc_bits_finish(&b);
    return TK_OK;
}

static enum tk_status parse_sos(struct dc_decoder *d, const uint8_t *s, int len, struct scan *sc) {
    memset(sc, 0, sizeof(*sc));
    if (!d->n_comp) {
        return FAIL(d, TK_ERR_CORRUPT, "JPEG: scan before frame header");
    }
    sc->n = len >= 1 ? s[0] : 0;
    if (sc->n < 1 || sc->n > d->n_comp || len != 4 + 2 * sc->n) {
        return FAIL(d, TK_ERR_CORRUPT, "JPEG: bad scan header");
    }
    for (int i = 0; i < sc->n; i++) {
        int id = s[1 + 2 * i], td = s[2 + 2 * i] >> 4, ta = s[2 + 2 * i] & 15;
        struct dc_component *c = NULL;
        for (int k = 0; k < d->n_comp; k++) {
            if (d->comp[k].id == id) {
                c = &d->comp[k];
            }
        }
        for (int k = 0; k < i; k++) {
            if (sc->comp[k] == c) {
                c = NULL; /* a component twice in one scan */
            }
        }
        if (!c || td > 3 || ta > 3) {
            return FAIL(d, TK_ERR_CORRUPT, "JPEG: bad scan header");
        }
        sc->comp[i] = c;
        sc->dc[i] = &d->dc_tables[td];
        sc->ac[i] = &d->ac_tables[ta];
    }
    const uint8_t *t = s + 1 + 2 * sc->n;
    sc->ss = t[0];
    sc->se = t[1];
    sc->ah = t[2] >> 4;
    sc->al = t[2] & 15;
    if (d->progressive) { /* the progression rules of libjpeg's jdphuff.c */
        bool dc_band = sc->ss == 0;
        bool bad = dc_band ? sc->se != 0 : (sc->ss > sc->se || sc->se > 63 || sc->n != 1);
        if ((sc->ah && sc->al != sc->ah - 1) || sc->al > 13 || bad) {
            return FAIL(d, TK_ERR_CORRUPT, "JPEG: bad progressive scan parameters");
        }
    } else if (sc->ss != 0 || sc->se != 63 || sc->ah || sc->al) {
        return FAIL(d, TK_ERR_CORRUPT, "JPEG: bad sequential scan parameters");
    }
    if (sc->ss != 0) {
        return TK_OK; /* AC band: skipped, needs nothing */
    }
    int interleaved_blocks = 0;
    for (int i = 0; i < sc->n; i++) {
        struct dc_component *c = sc->comp[i];
        interleaved_blocks += c->h * c->v;
        if (sc->ah == 0 && !sc->dc[i]->defined) {
            return FAIL(d, TK_ERR_CORRUPT, "JPEG: scan uses an undefined Huffman table");
        }
        if (!d->progressive && !sc->ac[i]->defined) {
            return FAIL(d, TK_ERR_CORRUPT, "JPEG: scan uses an undefined Huffman table");
        }
        if (sc->ah && !c->dc_started) {
            return FAIL(d, TK_ERR_CORRUPT, "JPEG: DC refinement before the first DC scan");
        }
        if (c->quant_dc < 0) { /* libjpeg latches the table when the component first appears */
            c->quant_dc = d->quant_dc[c->quant_table];
            if (c->quant_dc < 0) {
                return FAIL(d, TK_ERR_CORRUPT, "JPEG: undefined quantisation table");
            }
        }
        c->dc_started = true;
    }
    if (sc->n > 1 && interleaved_blocks > 10) {
        return FAIL(d, TK_ERR_CORRUPT, "JPEG: too many blocks in an MCU");
    }
    return TK_OK;
}

static enum tk_status run(struct dc_decoder *d, uint64_t max_pixels) {
    const uint8_t *p = d->data;
    if (d->end - p < 4 || p[0] != 0xFF || p[1] != 0xD8) {
        return FAIL(d, TK_ERR_CORRUPT, "JPEG: no start-of-image marker");
    }
    p += 2;
    for (;;) {
        /* Find the next marker, tolerating fill bytes and stray data between segments. */
        while (p + 1 < d->end && !(p[0] == 0xFF && p[1] != 0xFF && p[1] != 0x00)) {
            p++;
        }
        if (p + 1 >= d->end) {
            return FAIL(d, TK_ERR_CORRUPT, "JPEG: premature end of file");
        }
        uint8_t marker = p[1];
        p += 2;
        if (marker == 0xD9) {
            break;
        }
        if (marker >= 0xD0 && marker <= 0xD8) {
            continue; /* stray RSTn or SOI: libjpeg ignores them too */
        }
        if (d->end - p < 2 || read_u16(p) < 2 || read_u16(p) > d->end - p) {
            return FAIL(d, TK_ERR_CORRUPT, "JPEG: premature end of file");
        }
        const uint8_t *s = p + 2;
        int len = read_u16(p) - 2;
        p += 2 + len;
        enum tk_status status = TK_OK;
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
            marker != 0xCC) {
            status = parse_sof(d, marker, s, len, max_pixels);
        } else if (marker == 0xCC) {
            status = not_eligible(d); /* arithmetic conditioning: the general path */
        } else if (marker == 0xDB) {
            status = parse_dqt(d, s, len);
        } else if (marker == 0xC4) {
            status = parse_dht(d, s, len);
        } else if (marker == 0xDD) {
            d->restart_interval = len >= 2 ? read_u16(s) : 0;
            if (len != 2) {
                status = FAIL(d, TK_ERR_CORRUPT, "JPEG: bad restart interval");
            }
        } else if (marker >= 0xE0 && marker <= 0xEF) {
            parse_app(d, marker, s, len);
        } else if (marker == 0xDA) {
            struct scan sc;
            status = parse_sos(d, s, len, &sc);
            if (status == TK_OK && d->n_comp && !is_ycbcr(d)) {
                status = not_eligible(d); /* RGB-coded or unknown transform: the general path */
            }
            if (status == TK_OK && d->eligible) {
                if (sc.ss == 0) {
                    status = decode_dc_scan(d, &sc, &p);
                } else {
                    p = dc_skip_entropy_data(p, d->end);
                }
            }
        } else if (marker == 0xDC) {
            status = not_eligible(d); /* DNL */
        }
        if (status != TK_OK || !d->eligible) {
            return status;
        }
    }
    if (!d->n_comp) {
        return FAIL(d, TK_ERR_CORRUPT, "JPEG: no frame header");
    }
    for (int i = 0; i < d->n_comp; i++) {
        if (!d->comp[i].dc_started) {
            return FAIL(d, TK_ERR_CORRUPT, "JPEG: a component has no DC scan");
        }
    }
    return TK_OK;
}

static enum tk_status dc_decode(const uint8_t *data, size_t size, bool also_baseline,
                                uint64_t max_pixels, struct tk_image *out, bool *eligible,
                                char *err, size_t errlen) {
    struct dc_decoder d;
    memset(&d, 0, sizeof(d));
    memset(out, 0, sizeof(*out));
    d.data = data;
    d.end = data + size;
    d.also_baseline = also_baseline;
    d.eligible = true;
    d.adobe_transform = -1;
    d.err = err;
    d.errlen = errlen;
    for (int i = 0; i < 4; i++) {
        d.quant_dc[i] = -1;
    }

    enum tk_status status = run(&d, max_pixels);
    if (status == TK_OK && d.eligible) {
        status = dc_output_image(&d, out);
    }
    *eligible = d.eligible;
    for (int i = 0; i < DC_MAX_COMPONENTS; i++) {
        free(d.comp[i].dc);
    }
    return status;
}

enum tk_status tk_jpeg_dc_decode(const uint8_t *data, size_t size, uint64_t max_pixels,
                                 struct tk_image *out, bool *eligible, char *err, size_t errlen) {
    return dc_decode(data, size, false, max_pixels, out, eligible, err, errlen);
}

enum tk_status tk_jpeg_dc_decode_mode(const uint8_t *data, size_t size, enum tk_jpeg_dc_mode mode,
                                      uint64_t max_pixels, struct tk_image *out, bool *eligible,
                                      char *err, size_t errlen) {
    return dc_decode(data, size, mode == TK_JPEG_DC_ALSO_BASELINE, max_pixels, out, eligible, err,
                     errlen);
}
