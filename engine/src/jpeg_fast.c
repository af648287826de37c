/*
 * jpeg_fast.c — the fast reduced-scale JPEG decoder: marker parsing, the progressive scan
 * plan and the decode loop. See jpeg_fast.h for what it does and when it applies.
 */
#include "errmsg.h"
#include "jpeg_fast_internal.h"
#include "jpeg_scans.h"
#include "testing.h"
#include "tk_clock.h"

#include <stdlib.h>
#include <string.h>

/* The pipeline refuses files over TK_JPEG_MAX_SCANS before any decoder runs (jpeg_scans.h);
 * this decoder, like libjpeg's path (jpeg_decode.c), still stops at the same count. */
#define MAX_SCANS TK_JPEG_MAX_SCANS
/* Progressive scans decoded (not skipped): real files have about ten. More is not eligible. */
#define MAX_DECODED_SCANS 64

/* The natural (row-major) position of each zig-zag index. */
static const uint8_t zigzag_to_natural[64] = {
    0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,  12, 19, 26, 33, 40, 48,
    41, 34, 27, 20, 13, 6,  7,  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23,
    30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

static int read_u16(const uint8_t *p) {
    return (p[0] << 8) | p[1];
}

static bool is_sof(uint8_t m) {
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

static int parse_sof(struct jf_decoder *d, uint8_t marker, const uint8_t *s, int len,
                     uint64_t max_pixels) {
    if (d->n_comp) {
        return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: more than one frame header");
    }
    bool baseline = marker == 0xC0 || marker == 0xC1;
    bool progressive = marker == 0xC2;
    if (!(baseline && (d->codings & TK_JPEG_FAST_BASELINE)) &&
        !(progressive && (d->codings & TK_JPEG_FAST_PROGRESSIVE))) {
        return JF_NOT_ELIGIBLE; /* lossless, arithmetic, hierarchical, or a coding not asked */
    }
    if (baseline && d->scale == 2) {
        return JF_NOT_ELIGIBLE; /* at 1/2 most AC symbols are needed: libjpeg-turbo does it */
    }
    if (len < 6) {
        return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: frame header too short");
    }
    int precision = s[0];
    d->height = read_u16(s + 1);
    d->width = read_u16(s + 3);
    int n = s[5];
    if (precision != 8 || d->width == 0 || d->height == 0 || (n != 1 && n != 3)) {
        return JF_NOT_ELIGIBLE; /* 12-bit, DNL-defined height, CMYK: the general path decides */
    }
    if (len < 6 + 3 * n) {
        return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: frame header too short");
    }
    if ((uint64_t)d->width * (uint64_t)d->height > max_pixels) {
        tk_err_too_many_pixels(d->err, d->errlen, (uint32_t)d->width, (uint32_t)d->height,
                               max_pixels);
        return TK_ERR_TOO_LARGE;
    }
    d->progressive = progressive;
    d->n_comp = n;
    for (int i = 0; i < n; i++) {
        struct jf_component *c = &d->comp[i];
        c->id = s[6 + 3 * i];
        c->h = s[7 + 3 * i] >> 4;
        c->v = s[7 + 3 * i] & 15;
        c->tq = s[8 + 3 * i];
        if (c->h < 1 || c->h > 4 || c->v < 1 || c->v > 4 || c->tq > 3) {
            return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: bad sampling factors or quantisation table");
        }
        for (int k = 0; k < i; k++) {
            if (d->comp[k].id == c->id) {
                return JF_NOT_ELIGIBLE; /* duplicate component ids: libjpeg decides */
            }
        }
    }
    if (n == 1) {
        d->comp[0].h = d->comp[0].v = 1; /* a lone component is never subsampled */
    } else {
        /* Supported: 4:4:4, 4:2:2, 4:4:0 and 4:2:0, luma first at full resolution. */
        for (int i = 1; i < n; i++) {
            if (d->comp[i].h != 1 || d->comp[i].v != 1) {
                return JF_NOT_ELIGIBLE;
            }
        }
        if (d->comp[0].h > 2 || d->comp[0].v > 2) {
            return JF_NOT_ELIGIBLE;
        }
    }
    d->hmax = d->comp[0].h;
    d->vmax = d->comp[0].v;
    d->mcus_x = (d->width + 8 * d->hmax - 1) / (8 * d->hmax);
    d->mcus_y = (d->height + 8 * d->vmax - 1) / (8 * d->vmax);
    for (int i = 0; i < n; i++) {
        struct jf_component *c = &d->comp[i];
        int cw = (d->width * c->h + d->hmax - 1) / d->hmax; /* component size in samples */
        int ch = (d->height * c->v + d->vmax - 1) / d->vmax;
        c->bw = (cw + 7) / 8;
        c->bh = (ch + 7) / 8;
        c->pw = d->mcus_x * c->h;
        c->ph = d->mcus_y * c->v;
        memset(c->coef_bits, -1, sizeof(c->coef_bits));
        size_t blocks = (size_t)c->pw * (size_t)c->ph;
        c->coef = calloc(blocks * (size_t)d->n_coef, sizeof(*c->coef));
        if (c->coef == NULL) {
            return JF_FAIL(d, TK_ERR_NO_MEMORY, "out of memory for %dx%d blocks", c->pw, c->ph);
        }
    }
    return TK_OK;
}

static int parse_dqt(struct jf_decoder *d, const uint8_t *s, int len) {
    while (len > 0) {
        int pq = s[0] >> 4, tq = s[0] & 15;
        int size = 1 + 64 * (pq ? 2 : 1);
        if (pq > 1 || tq > 3 || len < size) {
            return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: bad quantisation table");
        }
        for (int k = 0; k < 64; k++) {
            int q = pq ? read_u16(s + 1 + 2 * k) : s[1 + k];
            d->quant[tq][zigzag_to_natural[k]] = (uint16_t)q;
        }
        d->quant_defined[tq] = true;
        s += size;
        len -= size;
    }
    return TK_OK;
}

static int parse_dht(struct jf_decoder *d, const uint8_t *s, int len) {
    while (len > 0) {
        if (len < 17) {
            return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: Huffman table too short");
        }
        int tc = s[0] >> 4, th = s[0] & 15;
        int n_vals = 0;
        for (int i = 0; i < 16; i++) {
            n_vals += s[1 + i];
        }
        if (tc > 1 || th > 3 || n_vals > 256 || len < 17 + n_vals) {
            return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: bad Huffman table");
        }
        struct fh_table *h = tc ? &d->ac_tables[th] : &d->dc_tables[th];
        if (!fh_build(h, s + 1, s + 17, n_vals)) {
            return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: bad Huffman table");
        }
        s += 17 + n_vals;
        len -= 17 + n_vals;
    }
    return TK_OK;
}

static void parse_app(struct jf_decoder *d, uint8_t marker, const uint8_t *s, int len) {
    /* The colour space of a 3-component file follows libjpeg: JFIF, then Adobe, then ids. */
    if (marker == 0xE0 && len >= 14 && memcmp(s, "JFIF", 5) == 0) {
        d->saw_jfif = true;
    } else if (marker == 0xEE && len >= 12 && memcmp(s, "Adobe", 5) == 0) {
        d->adobe_transform = s[11];
    }
}

static bool is_ycbcr(const struct jf_decoder *d) {
    if (d->n_comp == 1 || d->saw_jfif) {
        return true;
    }
    if (d->adobe_transform >= 0) {
        return d->adobe_transform == 1;
    }
    return !(d->comp[0].id == 'R' && d->comp[1].id == 'G' && d->comp[2].id == 'B');
}

/* The scan header alone: components, tables, band. No state changes. */
static int read_scan_header(struct jf_decoder *d, const uint8_t *s, int len, struct jf_scan *sc) {
    memset(sc, 0, sizeof(*sc));
    if (!d->n_comp) {
        return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: scan before frame header");
    }
    sc->n = len >= 1 ? s[0] : 0;
    if (sc->n < 1 || sc->n > d->n_comp || len != 4 + 2 * sc->n) {
        return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: bad scan header");
    }
    for (int i = 0; i < sc->n; i++) {
        int id = s[1 + 2 * i], td = s[2 + 2 * i] >> 4, ta = s[2 + 2 * i] & 15;
        struct jf_component *c = NULL;
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
        if (c == NULL || td > 3 || ta > 3) {
            return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: bad scan header");
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
            return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: bad progressive scan parameters");
        }
    } else if (sc->ss != 0 || sc->se != 63 || sc->ah || sc->al) {
        return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: bad sequential scan parameters");
    }
    return TK_OK;
}

/* Check a scan that will be decoded and latch what libjpeg latches at its start. */
static int start_scan(struct jf_decoder *d, struct jf_scan *sc) {
    int blocks_in_mcu = 0;
    for (int i = 0; i < sc->n; i++) {
        struct jf_component *c = sc->comp[i];
        blocks_in_mcu += c->h * c->v;
        bool dc_first = sc->ss == 0 && sc->ah == 0;
        if (dc_first && !sc->dc[i]->defined) {
            return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: scan uses an undefined Huffman table");
        }
        if (dc_first && !fh_dc_symbols_valid(sc->dc[i])) {
            return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: bad Huffman table");
        }
        if ((!d->progressive || sc->ss > 0) && !sc->ac[i]->defined) {
            return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: scan uses an undefined Huffman table");
        }
        /* Sequential scans skip AC symbols through the skip table, built on first use. */
        if (!d->progressive && !fh_build_ac(&d->ac_tables[sc->ac[i] - d->ac_tables])) {
            return JF_FAIL(d, TK_ERR_NO_MEMORY, "out of memory for a Huffman table");
        }
        if (d->progressive && sc->ss == 0 && sc->ah && !c->dc_started) {
            return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: DC refinement before the first DC scan");
        }
        if (!d->progressive && c->dc_started) {
            return JF_NOT_ELIGIBLE; /* a component in two sequential scans: libjpeg decides */
        }
        if (!c->quant_latched) { /* libjpeg latches the table when the component first appears */
            if (!d->quant_defined[c->tq]) {
                return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: undefined quantisation table");
            }
            memcpy(c->quant, d->quant[c->tq], sizeof(c->quant));
            c->quant_latched = true;
        }
        if (sc->ss == 0) {
            c->dc_started = true;
        }
    }
    if (sc->n > 1 && blocks_in_mcu > 10) {
        return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: too many blocks in an MCU");
    }
    return TK_OK;
}

/* Skip an entropy-coded segment. @return the next marker that is not RSTn, or @p end. */
static const uint8_t *skip_entropy_data(const uint8_t *p, const uint8_t *end) {
    while (p < end) {
        const uint8_t *ff = memchr(p, 0xFF, (size_t)(end - p));
        if (ff == NULL || ff + 1 >= end) {
            return end;
        }
        uint8_t m = ff[1];
        if (m == 0x00 || m == 0xFF || (m >= 0xD0 && m <= 0xD7)) {
            p = ff + 1; /* stuffed byte, fill byte or a restart inside the segment */
            continue;
        }
        return ff;
    }
    return end;
}

/* Find the next marker at or after @p p, tolerating fill bytes and stray data. */
static const uint8_t *next_marker(const uint8_t *p, const uint8_t *end) {
    while (p + 1 < end && !(p[0] == 0xFF && p[1] != 0xFF && p[1] != 0x00)) {
        p++;
    }
    return p;
}

/*
 * Progressive scan plan: which AC scans must be decoded. A scan whose band reaches down to a
 * tracked coefficient is needed; a needed refinement scan needs the nonzero history of its
 * whole band, so the tracked range grows to its end, which can make more scans needed.
 * @p tracked receives, per component, the highest zig-zag index to track.
 */
struct scan_band {
    int comp, ss, se, ah;
};

static void plan_tracking(const struct jf_decoder *d, const struct scan_band *bands, int n_bands,
                          int tracked[JF_MAX_COMPONENTS]) {
    for (int c = 0; c < d->n_comp; c++) {
        tracked[c] = d->kmax;
    }
    for (bool grew = true; grew;) {
        grew = false;
        for (int i = 0; i < n_bands; i++) {
            const struct scan_band *b = &bands[i];
            if (b->ss <= tracked[b->comp] && b->ah > 0 && b->se > tracked[b->comp]) {
                tracked[b->comp] = b->se;
                grew = true;
            }
        }
    }
}

/* Read every AC scan header after @p p (the first SOS) to plan which to decode. */
static int prescan_bands(struct jf_decoder *d, const uint8_t *p, int tracked[JF_MAX_COMPONENTS]) {
    struct scan_band bands[MAX_SCANS];
    int n_bands = 0;
    while (p + 4 <= d->end) {
        p = next_marker(p, d->end);
        if (p + 4 > d->end || p[1] == 0xD9) {
            break;
        }
        uint8_t marker = p[1];
        if (marker >= 0xD0 && marker <= 0xD8) {
            p += 2;
            continue;
        }
        int len = read_u16(p + 2);
        if (len < 2 || len > d->end - p - 2) {
            break; /* the main pass reports it */
        }
        const uint8_t *s = p + 4;
        p += 2 + len;
        if (marker != 0xDA) {
            continue;
        }
        struct jf_scan sc;
        if (read_scan_header(d, s, len - 2, &sc) != TK_OK || n_bands >= MAX_SCANS) {
            break;
        }
        if (sc.ss > 0) {
            bands[n_bands++] = (struct scan_band){(int)(sc.comp[0] - d->comp), sc.ss, sc.se, sc.ah};
        }
        p = skip_entropy_data(p, d->end);
    }
    plan_tracking(d, bands, n_bands, tracked);
    return TK_OK;
}

static int decode_scan(struct jf_decoder *d, const uint8_t *s, int len, const uint8_t **p,
                       const int tracked[JF_MAX_COMPONENTS], int *decoded, bool *done) {
    struct jf_scan sc;
    int status = read_scan_header(d, s, len, &sc);
    if (status == TK_OK && !is_ycbcr(d)) {
        return JF_NOT_ELIGIBLE; /* RGB-coded or unknown transform: the general path */
    }
    if (status != TK_OK) {
        return status;
    }
    if (++d->scans > MAX_SCANS) {
        return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: more than %d scans", MAX_SCANS);
    }
    /* Checked and latched as libjpeg does at every scan's start, skipped or not: a missing
     * table is fatal to libjpeg even in a scan we would not read. */
    status = start_scan(d, &sc);
    if (status != TK_OK) {
        return status;
    }
    if (d->progressive && sc.ss > 0 && sc.ss > tracked[sc.comp[0] - d->comp]) {
        *p = skip_entropy_data(*p, d->end); /* only coefficients nobody needs */
        d->scans_skipped++;
        return TK_OK;
    }
    if (d->progressive && ++*decoded > MAX_DECODED_SCANS) {
        return JF_NOT_ELIGIBLE;
    }
    if (!d->progressive) {
        status = jf_decode_sequential(d, &sc, p);
        /* One scan with every component is the whole image: like libjpeg, read no further. */
        *done = status == TK_OK && sc.n == d->n_comp;
        return status;
    }
    return jf_decode_progressive(d, &sc, p);
}

static int run(struct jf_decoder *d, uint64_t max_pixels) {
    const uint8_t *p = d->data;
    int tracked[JF_MAX_COMPONENTS] = {0};
    bool planned = false;
    int decoded = 0;
    if (d->end - p < 4 || p[0] != 0xFF || p[1] != 0xD8) {
        return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: no start-of-image marker");
    }
    p += 2;
    for (bool done = false; !done;) {
        p = next_marker(p, d->end);
        if (p + 1 >= d->end) {
            return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: premature end of file");
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
            return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: premature end of file");
        }
        const uint8_t *s = p + 2;
        int len = read_u16(p) - 2;
        p += 2 + len;
        int status = TK_OK;
        if (is_sof(marker)) {
            status = parse_sof(d, marker, s, len, max_pixels);
        } else if (marker == 0xCC || marker == 0xDC) {
            status = JF_NOT_ELIGIBLE; /* arithmetic conditioning, DNL: the general path */
        } else if (marker == 0xDB) {
            status = parse_dqt(d, s, len);
        } else if (marker == 0xC4) {
            status = parse_dht(d, s, len);
        } else if (marker == 0xDD) {
            d->restart_interval = len >= 2 ? read_u16(s) : 0;
            if (len != 2) {
                status = JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: bad restart interval");
            }
        } else if (marker >= 0xE0 && marker <= 0xEF) {
            parse_app(d, marker, s, len);
        } else if (marker == 0xDA) {
            if (d->progressive && !planned && d->kmax > 0) {
                status = prescan_bands(d, p, tracked);
            }
            planned = true;
            if (status == TK_OK) {
                status = decode_scan(d, s, len, &p, tracked, &decoded, &done);
            }
        }
        if (status != TK_OK) {
            return status;
        }
    }
    if (!d->n_comp) {
        return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: no frame header");
    }
    for (int i = 0; i < d->n_comp; i++) {
        if (!d->comp[i].dc_started) {
            return JF_FAIL(d, TK_ERR_CORRUPT, "JPEG: a component has no DC scan");
        }
    }
    return TK_OK;
}

static void free_planes(struct jf_decoder *d) {
    for (int i = 0; i < JF_MAX_COMPONENTS; i++) {
        free(d->comp[i].coef);
        free(d->comp[i].nonzero);
    }
}

/* Parse and entropy-decode into a new decoder (*@p out; free with free_planes() and free()). */
static int decode_coefficients(const uint8_t *data, size_t size,
                               const struct tk_jpeg_fast_request *req, struct jf_decoder **out,
                               char *err, size_t errlen) {
    *out = NULL;
    int n = req->scale_denom == 8 ? 1 : req->scale_denom == 4 ? 2 : req->scale_denom == 2 ? 4 : 0;
    if (n == 0) {
        tk_errf(err, errlen, "JPEG: the fast decoder has no scale 1/%d", req->scale_denom);
        return TK_ERR_INVALID_ARGUMENT;
    }
    struct jf_decoder *d = calloc(1, sizeof(*d));
    if (d == NULL) {
        tk_errf(err, errlen, "out of memory for the JPEG decoder");
        return TK_ERR_NO_MEMORY;
    }
    d->data = data;
    d->end = data + size;
    d->codings = req->codings;
    d->scale = req->scale_denom;
    d->n = n;
    d->kmax = n == 1 ? 0 : n == 2 ? 4 : 24;
    d->n_coef = n * n;
    d->adobe_transform = -1;
    d->err = err;
    d->errlen = errlen;
    *out = d;
    double (*clock_ms)(void) = req->clock_ms != NULL ? req->clock_ms : tk_clock_mono_ms;
    double t0 = clock_ms();
    int status = run(d, req->max_pixels);
    if (req->entropy_ms != NULL) {
        *req->entropy_ms = clock_ms() - t0;
    }
    return status;
}

/* What to make of the decoded coefficients: pixels, or (tests) the planes themselves. */
typedef int (*finish_fn)(struct jf_decoder *d, void *out);

static int finish_pixels(struct jf_decoder *d, void *out) {
    return jf_output_image(d, out);
}

static int finish_planes(struct jf_decoder *d, void *out) {
    struct tk_jpeg_fast_planes *p = out;
    p->n = d->n;
    p->n_comp = d->n_comp;
    p->scans = d->scans;
    p->scans_skipped = d->scans_skipped;
    for (int i = 0; i < d->n_comp; i++) {
        struct jf_component *c = &d->comp[i];
        p->comp[i] = (struct tk_jpeg_fast_plane){
            .h = c->h, .v = c->v, .bw = c->bw, .bh = c->bh, .pw = c->pw, .coef = c->coef};
        memcpy(p->comp[i].quant, c->quant, sizeof(c->quant));
        c->coef = NULL; /* handed over */
    }
    return TK_OK;
}

/* Decode, then @p finish on success; the eligibility and status rules of tk_jpeg_fast_decode. */
static enum tk_status decode_then(const uint8_t *data, size_t size,
                                  const struct tk_jpeg_fast_request *req, finish_fn finish,
                                  void *out, bool *eligible, char *err, size_t errlen) {
    *eligible = true;
    struct jf_decoder *d;
    int status = decode_coefficients(data, size, req, &d, err, errlen);
    if (status == JF_NOT_ELIGIBLE) {
        *eligible = false;
        status = TK_OK;
    } else if (status == TK_OK) {
        status = finish(d, out);
    }
    if (d != NULL) {
        free_planes(d);
        free(d);
    }
    return (enum tk_status)status;
}

enum tk_status tk_jpeg_fast_decode(const uint8_t *data, size_t size,
                                   const struct tk_jpeg_fast_request *req, struct tk_image *out,
                                   bool *eligible, char *err, size_t errlen) {
    memset(out, 0, sizeof(*out));
    return decode_then(data, size, req, finish_pixels, out, eligible, err, errlen);
}

/* Tests only (testing.h): the coefficient planes instead of pixels. */
enum tk_status tk_jpeg_fast_decode_planes(const uint8_t *data, size_t size,
                                          const struct tk_jpeg_fast_request *req,
                                          struct tk_jpeg_fast_planes *out, bool *eligible,
                                          char *err, size_t errlen) {
    memset(out, 0, sizeof(*out));
    return decode_then(data, size, req, finish_planes, out, eligible, err, errlen);
}

void tk_jpeg_fast_planes_free(struct tk_jpeg_fast_planes *p) {
    if (p == NULL) {
        return;
    }
    for (int i = 0; i < 3; i++) {
        free(p->comp[i].coef);
    }
    memset(p, 0, sizeof(*p));
}
