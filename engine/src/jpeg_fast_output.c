/*
 * jpeg_fast_output.c — coefficient planes to pixels for the fast JPEG decoder.
 *
 * 1/8: libjpeg-turbo's own arithmetic — its 1x1 IDCT with the range-limit table, plain
 * replication for 4:2:2 and 4:4:0 (libjpeg-turbo turns fancy upsampling off at 1/8) and the
 * fixed-point YCbCr->RGB tables of jdcolor.c. 4:2:0 chroma, which libjpeg-turbo rebuilds with
 * AC coefficients, is upsampled with its "fancy" triangle filter instead.
 * 1/4 and 1/2: box averages of the band-limited block (jpeg_fast.h), fancy upsampling.
 */
#include "image.h"
#include "jpeg_fast_internal.h"

#include <stdlib.h>
#include <string.h>

/*
 * libjpeg's 1x1 IDCT: DESCALE(DC * q, 3) looked up in the IDCT range-limit table with a
 * 10-bit mask, which clamps [-512, 511] and wraps beyond: x + 128 below 128, 255 up to 511,
 * 0 up to 895, x - 896 above. Built once per image into @p range.
 */
static void build_range_limit(uint8_t range[1024]) {
    for (int x = 0; x < 1024; x++) {
        range[x] = (uint8_t)(x < 128 ? x + 128 : x < 512 ? 255 : x < 896 ? 0 : x - 896);
    }
}

static uint8_t idct_1x1(const uint8_t range[1024], int16_t coef, int quant) {
    return range[(((int)coef * quant + 4) >> 3) & 1023];
}

/*
 * Box-average weights, 13-bit fixed point: W[i][u] = C(u)/2 * mean of cos((2x+1)u*pi/16) over
 * the 8/n pixels x of output sample i, C(0) = 1/sqrt(2), else 1. Row i of an n-point table.
 */
static const int16_t box2[2][2] = {{2896, 2624}, {2896, -2624}};
static const int16_t box4[4][4] = {{2896, 3711, 2676, 1303},
                                   {2896, 1537, -2676, -3146},
                                   {2896, -1537, -2676, 3146},
                                   {2896, -3711, 2676, -1303}};

#define BOX_BITS   13
#define PASS1_BITS 2
/* Far beyond any coefficient of 8-bit data; keeps every sum inside int32. */
#define COEF_LIMIT 8191

static uint8_t clamp255(int v) {
    return (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
}

static int dequant(int16_t coef, uint16_t quant) {
    int x = coef * (int)quant;
    return x > COEF_LIMIT ? COEF_LIMIT : (x < -COEF_LIMIT ? -COEF_LIMIT : x);
}

/*
 * Box IDCT, n = 2: out[i][j] = sum over v, u of W[i][v] W[j][u] F[v][u] q[v][u], computed as a
 * vertical pass (descaled to PASS1_BITS fraction bits) then a horizontal one, + 128, clamped.
 */
static void idct_2x2(const int16_t *coef, const uint16_t quant[64], uint8_t *out, size_t stride) {
    int a = dequant(coef[0], quant[0]), b = dequant(coef[1], quant[1]);
    int c = dequant(coef[2], quant[8]), e = dequant(coef[3], quant[9]);
    const int w0 = box2[0][0], w1 = box2[0][1], r1 = 1 << (BOX_BITS - PASS1_BITS - 1);
    const int sh1 = BOX_BITS - PASS1_BITS;
    int t00 = (w0 * a + w1 * c + r1) >> sh1, t10 = (w0 * a - w1 * c + r1) >> sh1;
    int t01 = (w0 * b + w1 * e + r1) >> sh1, t11 = (w0 * b - w1 * e + r1) >> sh1;
    const int r2 = 1 << (BOX_BITS + PASS1_BITS - 1), sh2 = BOX_BITS + PASS1_BITS;
    out[0] = clamp255(((w0 * t00 + w1 * t01 + r2) >> sh2) + 128);
    out[1] = clamp255(((w0 * t00 - w1 * t01 + r2) >> sh2) + 128);
    out[stride] = clamp255(((w0 * t10 + w1 * t11 + r2) >> sh2) + 128);
    out[stride + 1] = clamp255(((w0 * t10 - w1 * t11 + r2) >> sh2) + 128);
}

/* One 4-point pass of the box IDCT, split into even and odd halves. */
static void box4_1d(int f0, int f1, int f2, int f3, int out[4]) {
    int e0 = box4[0][0] * f0 + box4[0][2] * f2, e1 = box4[0][0] * f0 - box4[0][2] * f2;
    int o0 = box4[0][1] * f1 + box4[0][3] * f3, o1 = box4[1][1] * f1 + box4[1][3] * f3;
    out[0] = e0 + o0;
    out[1] = e1 + o1;
    out[2] = e1 - o1;
    out[3] = e0 - o0;
}

/* Box IDCT, n = 4: the same two passes as idct_2x2(). */
static void idct_4x4(const int16_t *coef, const uint16_t quant[64], uint8_t *out, size_t stride) {
    int tmp[4][4]; /* [sample row][frequency column] */
    for (int u = 0; u < 4; u++) {
        int col[4];
        box4_1d(dequant(coef[u], quant[u]), dequant(coef[4 + u], quant[8 + u]),
                dequant(coef[8 + u], quant[16 + u]), dequant(coef[12 + u], quant[24 + u]), col);
        for (int i = 0; i < 4; i++) {
            tmp[i][u] = (col[i] + (1 << (BOX_BITS - PASS1_BITS - 1))) >> (BOX_BITS - PASS1_BITS);
        }
    }
    for (int i = 0; i < 4; i++) {
        int row[4];
        box4_1d(tmp[i][0], tmp[i][1], tmp[i][2], tmp[i][3], row);
        for (int j = 0; j < 4; j++) {
            int px = (row[j] + (1 << (BOX_BITS + PASS1_BITS - 1))) >> (BOX_BITS + PASS1_BITS);
            out[(size_t)i * stride + (size_t)j] = clamp255(px + 128);
        }
    }
}

/* A component's samples at this scale: n x n per block, @p w x @p h of them kept. */
static void plane_samples(const struct jf_decoder *d, const struct jf_component *c, uint8_t *dst,
                          int w, int h) {
    int n = d->n;
    if (n == 1) {
        uint8_t range[1024];
        build_range_limit(range);
        int q = c->quant[0];
        for (int y = 0; y < h; y++) {
            const int16_t *row = c->coef + (size_t)y * (size_t)c->pw;
            uint8_t *out = dst + (size_t)y * (size_t)w;
            for (int x = 0; x < w; x++) {
                out[x] = idct_1x1(range, row[x], q);
            }
        }
        return;
    }
    /* Whole blocks go straight to the plane; a partial last column or row via a scratch block. */
    uint8_t block[16];
    for (int by = 0; by * n < h; by++) {
        const int16_t *coef = c->coef + (size_t)by * (size_t)c->pw * (size_t)d->n_coef;
        uint8_t *row = dst + (size_t)by * (size_t)n * (size_t)w;
        bool full_rows = by * n + n <= h;
        for (int bx = 0; bx * n < w; bx++, coef += d->n_coef) {
            bool whole = full_rows && bx * n + n <= w;
            uint8_t *o = whole ? row + (size_t)bx * (size_t)n : block;
            size_t stride = whole ? (size_t)w : (size_t)n;
            if (n == 2) {
                idct_2x2(coef, c->quant, o, stride);
            } else {
                idct_4x4(coef, c->quant, o, stride);
            }
            if (!whole) {
                for (int i = 0; i < n && by * n + i < h; i++) {
                    for (int j = 0; j < n && bx * n + j < w; j++) {
                        row[(size_t)i * (size_t)w + (size_t)(bx * n + j)] = block[i * n + j];
                    }
                }
            }
        }
    }
}

/* libjpeg's h2v1 "fancy" upsampling: 3/4 of the nearer sample, 1/4 of the further one. */
static void fancy_h2(const uint8_t *in, int in_w, uint8_t *out) {
    if (in_w == 1) {
        out[0] = out[1] = in[0];
        return;
    }
    out[0] = in[0];
    out[1] = (uint8_t)((in[0] * 3 + in[1] + 2) >> 2);
    for (int x = 1; x < in_w - 1; x++) {
        int v = in[x] * 3;
        out[2 * x] = (uint8_t)((v + in[x - 1] + 1) >> 2);
        out[2 * x + 1] = (uint8_t)((v + in[x + 1] + 2) >> 2);
    }
    int v = in[in_w - 1];
    out[2 * in_w - 2] = (uint8_t)((v * 3 + in[in_w - 2] + 1) >> 2);
    out[2 * in_w - 1] = (uint8_t)v;
}

/* libjpeg's h2v2 "fancy" upsampling of one output row: @p near and @p far are input rows. */
static void fancy_h2v2(const uint8_t *near, const uint8_t *far, int in_w, uint8_t *out) {
    int this_sum = near[0] * 3 + far[0];
    if (in_w == 1) {
        out[0] = out[1] = (uint8_t)((this_sum * 4 + 8) >> 4);
        return;
    }
    int next_sum = near[1] * 3 + far[1];
    out[0] = (uint8_t)((this_sum * 4 + 8) >> 4);
    out[1] = (uint8_t)((this_sum * 3 + next_sum + 7) >> 4);
    int last_sum = this_sum;
    this_sum = next_sum;
    for (int x = 1; x < in_w - 1; x++) {
        next_sum = near[x + 1] * 3 + far[x + 1];
        out[2 * x] = (uint8_t)((this_sum * 3 + last_sum + 8) >> 4);
        out[2 * x + 1] = (uint8_t)((this_sum * 3 + next_sum + 7) >> 4);
        last_sum = this_sum;
        this_sum = next_sum;
    }
    out[2 * in_w - 2] = (uint8_t)((this_sum * 3 + last_sum + 8) >> 4);
    out[2 * in_w - 1] = (uint8_t)((this_sum * 4 + 7) >> 4);
}

/* libjpeg's h1v2 "fancy" upsampling of one output row. */
static void fancy_v2(const uint8_t *near, const uint8_t *far, int w, int bias, uint8_t *out) {
    for (int x = 0; x < w; x++) {
        out[x] = (uint8_t)((near[x] * 3 + far[x] + bias) >> 2);
    }
}

/* jdcolor.c's tables: 16-bit fixed point, rounded the same way. */
#define SCALEBITS 16
#define ONE_HALF  ((int32_t)1 << (SCALEBITS - 1))
#define FIX(x)    ((int32_t)((x) * (1L << SCALEBITS) + 0.5))

/* Luma plus a chroma term lies in [-256, 511]: clamp[v + 256] is v limited to 0..255. */
#define CLAMP_OFFSET 256

struct ycc_tables {
    int cr_r[256], cb_b[256];
    int32_t cr_g[256], cb_g[256];
    uint8_t clamp[768];
};

static void build_ycc_tables(struct ycc_tables *t) {
    for (int i = 0; i < 256; i++) {
        int32_t x = i - 128;
        t->cr_r[i] = (int)((FIX(1.40200) * x + ONE_HALF) >> SCALEBITS);
        t->cb_b[i] = (int)((FIX(1.77200) * x + ONE_HALF) >> SCALEBITS);
        t->cr_g[i] = -FIX(0.71414) * x;
        t->cb_g[i] = -FIX(0.34414) * x + ONE_HALF;
    }
    for (int i = 0; i < 768; i++) {
        t->clamp[i] = clamp255(i - CLAMP_OFFSET);
    }
}

static void ycc_row(const struct ycc_tables *t, const uint8_t *y, const uint8_t *cb,
                    const uint8_t *cr, int w, uint8_t *px) {
    const uint8_t *clamp = t->clamp + CLAMP_OFFSET;
    for (int x = 0; x < w; x++) {
        int l = y[x], b = cb[x], r = cr[x];
        px[3 * x + 0] = clamp[l + t->cr_r[r]];
        px[3 * x + 1] = clamp[l + (int)((t->cb_g[b] + t->cr_g[r]) >> SCALEBITS)];
        px[3 * x + 2] = clamp[l + t->cb_b[b]];
    }
}

/* Chroma row @p y of the output (luma resolution), from a plane of cw x ch samples. */
static void chroma_row(const struct jf_decoder *d, const uint8_t *plane, int cw, int ch, int y,
                       int w, uint8_t *tmp, uint8_t *out) {
    bool fancy = d->n > 1; /* libjpeg-turbo replicates at 1/8 (1x1 IDCT) */
    if (d->vmax == 1) {
        const uint8_t *row = plane + (size_t)y * (size_t)cw;
        if (d->hmax == 1) {
            memcpy(out, row, (size_t)w);
        } else if (fancy) {
            fancy_h2(row, cw, tmp);
            memcpy(out, tmp, (size_t)w);
        } else {
            for (int x = 0; x < w; x++) {
                out[x] = row[x / 2];
            }
        }
        return;
    }
    int cy = y / 2;
    const uint8_t *near = plane + (size_t)cy * (size_t)cw;
    if (d->hmax == 1 && !fancy) { /* 4:4:0 at 1/8: rows replicated */
        memcpy(out, near, (size_t)w);
        return;
    }
    int fy = (y & 1) ? cy + 1 : cy - 1; /* the further input row, edges replicated */
    fy = fy < 0 ? 0 : (fy >= ch ? ch - 1 : fy);
    const uint8_t *far = plane + (size_t)fy * (size_t)cw;
    if (d->hmax == 1) {
        fancy_v2(near, far, w, (y & 1) ? 2 : 1, out);
    } else {
        fancy_h2v2(near, far, cw, tmp);
        memcpy(out, tmp, (size_t)w);
    }
}

enum tk_status jf_output_image(const struct jf_decoder *d, struct tk_image *out) {
    int n = d->n;
    int w = (int)(((int64_t)d->width * n + 7) / 8), h = (int)(((int64_t)d->height * n + 7) / 8);
    enum tk_layout layout = d->n_comp == 1 ? TK_LAYOUT_GRAY : TK_LAYOUT_RGB;
    enum tk_status status = tk_image_alloc(out, (uint32_t)w, (uint32_t)h, layout);
    if (status != TK_OK) {
        return status;
    }
    if (layout == TK_LAYOUT_GRAY) {
        plane_samples(d, &d->comp[0], out->pixels, w, h);
        return TK_OK;
    }
    /* Chroma planes hold ceil(w / hmax) x ceil(h / vmax) samples. */
    int cw = (w + d->hmax - 1) / d->hmax, ch = (h + d->vmax - 1) / d->vmax;
    status = TK_ERR_NO_MEMORY;
    uint8_t *luma = malloc((size_t)w * (size_t)h);
    uint8_t *cb = malloc((size_t)cw * (size_t)ch), *cr = malloc((size_t)cw * (size_t)ch);
    uint8_t *rows = malloc((size_t)(2 * cw + 2) * 3); /* two chroma rows and a scratch row */
    if (luma == NULL || cb == NULL || cr == NULL || rows == NULL) {
        goto cleanup;
    }
    plane_samples(d, &d->comp[0], luma, w, h);
    plane_samples(d, &d->comp[1], cb, cw, ch);
    plane_samples(d, &d->comp[2], cr, cw, ch);
    struct ycc_tables t;
    build_ycc_tables(&t);
    uint8_t *cb_row = rows, *cr_row = rows + 2 * cw + 2, *tmp = rows + 2 * (2 * cw + 2);
    for (int y = 0; y < h; y++) {
        chroma_row(d, cb, cw, ch, y, w, tmp, cb_row);
        chroma_row(d, cr, cw, ch, y, w, tmp, cr_row);
        ycc_row(&t, luma + (size_t)y * (size_t)w, cb_row, cr_row, w,
                out->pixels + (size_t)y * out->stride);
    }
    status = TK_OK;
cleanup:
    if (status != TK_OK) {
        tk_image_free(out);
    }
    free(luma);
    free(cb);
    free(cr);
    free(rows);
    return status;
}
