/*
 * jpeg_dc_output.c — DC planes to pixels, reproducing libjpeg-turbo's scale-1/8
 * arithmetic: the 1x1 IDCT with its range-limit table, h2v1 upsampling,
 * and the fixed-point YCbCr->RGB tables of jdcolor.c.
 */
#include "image.h"
#include "jpeg_dc_internal.h"

#include <stdlib.h>
#include <string.h>

/*
 * libjpeg's 1x1 IDCT: DESCALE(DC * q, 3) looked up in the IDCT range-limit table
 * with a 10-bit mask, which clamps [-512, 511] and wraps beyond, exactly as here.
 */
static uint8_t idct_1x1(int16_t coef, int quant) {
    int v = ((int)coef * quant + 4) >> 3;
    int x = v & 1023;
    if (x < 128) {
        return (uint8_t)(x + 128);
    }
    if (x < 512) {
        return 255;
    }
    if (x < 896) {
        return 0;
    }
    return (uint8_t)(x - 896);
}

static void plane_to_samples(const struct dc_component *c, uint8_t *dst, int w, int h) {
    for (int y = 0; y < h; y++) {
        const int16_t *row = c->dc + (size_t)y * c->pw;
        for (int x = 0; x < w; x++) {
            dst[(size_t)y * w + x] = idct_1x1(row[x], c->quant_dc);
        }
    }
}

/*
 * 4:2:2: libjpeg-turbo switches fancy upsampling off when the smallest IDCT is
 * 1x1 (jdsample.c: do_fancy needs min_DCT_scaled_size > 1), so at 1/8 it
 * replicates each chroma sample twice.
 */
static void upsample_h2v1(const uint8_t *in, int in_w, uint8_t *out) {
    for (int x = 0; x < in_w; x++) {
        out[2 * x] = out[2 * x + 1] = in[x];
    }
}

/*
 * 2x2 triangle upsampling for 4:2:0 (the weights of libjpeg's h2v2 fancy
 * upsampler, edges replicated). libjpeg itself would use a 2x2 IDCT with AC
 * coefficients here, which this path does not have.
 */
static void upsample_h2v2(const uint8_t *in, int in_w, int in_h, uint8_t *out, int out_w,
                          int out_h) {
    for (int oy = 0; oy < out_h; oy++) {
        int near = oy / 2;
        int far = (oy & 1) ? near + 1 : near - 1;
        far = far < 0 ? 0 : (far >= in_h ? in_h - 1 : far);
        const uint8_t *rn = in + (size_t)near * in_w, *rf = in + (size_t)far * in_w;
        for (int ox = 0; ox < out_w; ox++) {
            int cx = ox / 2;
            int fx = (ox & 1) ? cx + 1 : cx - 1;
            fx = fx < 0 ? 0 : (fx >= in_w ? in_w - 1 : fx);
            int col_near = 3 * rn[cx] + rf[cx];
            int col_far = 3 * rn[fx] + rf[fx];
            out[(size_t)oy * out_w + ox] = (uint8_t)((3 * col_near + col_far + 8) >> 4);
        }
    }
}

/* jdcolor.c's tables: 16-bit fixed point, rounded the same way. */
#define SCALEBITS 16
#define ONE_HALF  ((int32_t)1 << (SCALEBITS - 1))
#define FIX(x)    ((int32_t)((x) * (1L << SCALEBITS) + 0.5))

struct ycc_tables {
    int cr_r[256], cb_b[256];
    int32_t cr_g[256], cb_g[256];
};

static void build_ycc_tables(struct ycc_tables *t) {
    for (int i = 0; i < 256; i++) {
        int32_t x = i - 128;
        t->cr_r[i] = (int)((FIX(1.40200) * x + ONE_HALF) >> SCALEBITS);
        t->cb_b[i] = (int)((FIX(1.77200) * x + ONE_HALF) >> SCALEBITS);
        t->cr_g[i] = -FIX(0.71414) * x;
        t->cb_g[i] = -FIX(0.34414) * x + ONE_HALF;
    }
}

static uint8_t clamp255(int v) {
    return (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
}

enum tk_status dc_output_image(const struct dc_decoder *d, struct tk_image *out) {
    int w = (d->width + 7) / 8, h = (d->height + 7) / 8;
    enum tk_layout layout = d->n_comp == 1 ? TK_LAYOUT_GRAY : TK_LAYOUT_RGB;
    enum tk_status status = tk_image_alloc(out, (uint32_t)w, (uint32_t)h, layout);
    if (status != TK_OK || layout == TK_LAYOUT_GRAY) {
        if (status == TK_OK) {
            plane_to_samples(&d->comp[0], out->pixels, w, h);
        }
        return status;
    }
    status = TK_ERR_NO_MEMORY;
    uint8_t *planes[3] = {NULL, NULL, NULL};
    uint8_t *small = NULL, *row = NULL;
    for (int i = 0; i < 3; i++) {
        planes[i] = malloc((size_t)w * h);
        if (!planes[i]) {
            goto cleanup;
        }
    }
    plane_to_samples(&d->comp[0], planes[0], w, h);
    for (int i = 1; i < 3; i++) {
        const struct dc_component *c = &d->comp[i];
        if (d->hmax == 1) { /* 4:4:4 */
            plane_to_samples(c, planes[i], w, h);
            continue;
        }
        free(small);
        small = malloc((size_t)c->bw * c->bh);
        row = row ? row : malloc((size_t)2 * c->bw);
        if (!small || !row) {
            goto cleanup;
        }
        plane_to_samples(c, small, c->bw, c->bh);
        if (d->vmax == 1) { /* 4:2:2 */
            for (int y = 0; y < h; y++) {
                upsample_h2v1(small + (size_t)y * c->bw, c->bw, row);
                memcpy(planes[i] + (size_t)y * w, row, (size_t)w);
            }
        } else { /* 4:2:0 */
            upsample_h2v2(small, c->bw, c->bh, planes[i], w, h);
        }
    }
    struct ycc_tables t;
    build_ycc_tables(&t);
    uint8_t *px = out->pixels;
    for (size_t k = 0, n = (size_t)w * h; k < n; k++) {
        int y = planes[0][k], cb = planes[1][k], cr = planes[2][k];
        px[3 * k + 0] = clamp255(y + t.cr_r[cr]);
        px[3 * k + 1] = clamp255(y + (int)((t.cb_g[cb] + t.cr_g[cr]) >> SCALEBITS));
        px[3 * k + 2] = clamp255(y + t.cb_b[cb]);
    }
    status = TK_OK;
cleanup:
    if (status != TK_OK) {
        tk_image_free(out);
    }
    free(small);
    free(row);
    for (int i = 0; i < 3; i++) {
        free(planes[i]);
    }
    return status;
}
