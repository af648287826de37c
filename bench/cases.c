/*
 * cases.c — the benchmark cases (see cases.h). Groups, by name prefix:
 *
 *   resample/ISA/FILTER/LAYOUT/SRC/DST  tk_rs_run_isa() incl. plan creation (as the engine does)
 *   plan/FILTER/SRC/DST                 tk_rs_plan_create() alone
 *   memcpy/LAYOUT/SRC                   the same source copied once: the bandwidth reference
 *   decode/FILE/1:N                     libjpeg-turbo decode at DCT scale 1/N (RGB or gray out)
 *   encode/FORMAT/WxH                   libjpeg-turbo (q85) / libspng encode of a real photo
 *   pipeline/FILE                       tk_thumbnail(), default options (256 px JPEG q85)
 *   pipeline-noshrink/FILE              the same without shrink-on-load
 *   reduced/1:S/FILE/VARIANT/PATH       1/S decode: fast decoder vs libjpeg-turbo (cases_fast.c)
 */
#include "cases.h"
#include "cases_common.h"
#include "cases_fast.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jpeglib.h>
#include <spng.h>

#include "tk_resample.h"
#include "thumbkit.h"

#ifndef TK_BENCH_DATA_DIR
#define TK_BENCH_DATA_DIR "tests/data"
#endif

/* ---------------------------------------------------------------- helpers */

/*
 * A deterministic photo-like source: smooth gradients, a few edges and mild noise
 * (xorshift32), so no kernel meets a constant image. Alpha varies across the image.
 * Cached: consecutive cases with the same geometry share it.
 */
static struct {
    uint32_t w, h;
    int channels;
    uint8_t *px;
} g_src;

static const uint8_t *synthetic_source(uint32_t w, uint32_t h, int channels) {
    if (g_src.px != NULL && g_src.w == w && g_src.h == h && g_src.channels == channels) {
        return g_src.px;
    }
    free(g_src.px);
    g_src.px = malloc((size_t)w * h * (size_t)channels);
    if (g_src.px == NULL) {
        return NULL;
    }
    g_src.w = w;
    g_src.h = h;
    g_src.channels = channels;
    uint32_t r = 2463534242u;
    for (uint32_t y = 0; y < h; y++) {
        uint8_t *row = g_src.px + (size_t)y * w * (size_t)channels;
        for (uint32_t x = 0; x < w; x++) {
            r ^= r << 13;
            r ^= r >> 17;
            r ^= r << 5;
            int noise = (int)(r & 15) - 8;
            int edge = ((x / 97 + y / 61) & 1) ? 40 : 0;
            int v[4] = {
                (int)(x * 200u / w) + edge + noise,
                (int)(y * 200u / h) + noise,
                (int)((x + y) * 120u / (w + h)) + 60 - edge + noise,
                (int)(((x * 7u) ^ (y * 3u)) & 255u),
            };
            for (int c = 0; c < channels; c++) {
                int s = channels == 1 ? (v[0] + v[1] + v[2]) / 3 : v[c];
                row[(size_t)x * (size_t)channels + (size_t)c] = (uint8_t)(s < 0     ? 0
                                                                          : s > 255 ? 255
                                                                                    : s);
            }
        }
    }
    return g_src.px;
}

static const char *layout_name(int channels) {
    switch (channels) {
    case 1:
        return "gray";
    case 2:
        return "graya";
    case 3:
        return "rgb";
    default:
        return "rgba";
    }
}

/* ---------------------------------------------------------------- memcpy and resampler */

static const char *const filter_names[] = {"lanczos3", "catmull-rom", "bilinear", "box"};

/* The memcpy, resample and plan cases: the synthetic source and an output buffer. */
struct px_state {
    const uint8_t *src;
    uint8_t *dst;
    size_t n; /* memcpy: bytes per copy */
    uint32_t sw, sh, dw, dh;
    int channels;
    enum tk_isa isa;
    enum tk_rs_filter filter;
    int plan_only;
};

/* A state with the synthetic @p sw x @p sh source and @p dst_bytes of output (no buffers when
 * @p dst_bytes is 0). @return it, or NULL with the reason in @p err. */
static struct px_state *px_state_new(uint32_t sw, uint32_t sh, int channels, size_t dst_bytes,
                                     char *err, size_t errlen) {
    struct px_state *s = calloc(1, sizeof *s);
    if (s != NULL && dst_bytes > 0) {
        s->src = synthetic_source(sw, sh, channels);
        s->dst = malloc(dst_bytes);
        if (s->src == NULL || s->dst == NULL) {
            free(s->dst);
            free(s);
            s = NULL;
        }
    }
    if (s == NULL) {
        tk_bench_set_err(err, errlen, "out of memory");
        return NULL;
    }
    s->sw = sw;
    s->sh = sh;
    s->channels = channels;
    return s;
}

static void px_teardown(void *state) {
    struct px_state *s = state;
    if (s != NULL) {
        free(s->dst);
        free(s);
    }
}

/* p: [0] channels, [1] width, [2] height */
static int copy_setup(const struct tk_bench_case *c, void **state, struct tk_bench_info *info,
                      char *err, size_t errlen) {
    uint32_t w = (uint32_t)c->p[1], h = (uint32_t)c->p[2];
    int ch = c->p[0];
    size_t n = (size_t)w * h * (size_t)ch;
    struct px_state *s = px_state_new(w, h, ch, n, err, errlen);
    if (s == NULL) {
        return -1;
    }
    s->n = n;
    memset(s->dst, 1, s->n); /* fault the pages in before timing */
    info->bytes = (double)s->n;
    info->pixels = (double)w * h;
    *state = s;
    return 0;
}

static int copy_run(void *state, char *err, size_t errlen) {
    (void)err;
    (void)errlen;
    struct px_state *s = state;
    memcpy(s->dst, s->src, s->n);
    /* keep the copy observable so it cannot be elided */
    __asm__ __volatile__("" : : "r"(s->dst) : "memory");
    return 0;
}

/* p: [0] isa, [1] filter, [2] channels, [3] sw, [4] sh, [5] dw, [6] dh, [7] plan only */
static int rs_setup(const struct tk_bench_case *c, void **state, struct tk_bench_info *info,
                    char *err, size_t errlen) {
    const int ch = c->p[2], plan_only = c->p[7];
    const uint32_t dw = (uint32_t)c->p[5], dh = (uint32_t)c->p[6];
    struct px_state *s = px_state_new((uint32_t)c->p[3], (uint32_t)c->p[4], ch,
                                      plan_only ? 0 : (size_t)dw * dh * (size_t)ch, err, errlen);
    if (s == NULL) {
        return -1;
    }
    s->isa = (enum tk_isa)c->p[0];
    s->filter = (enum tk_rs_filter)c->p[1];
    s->dw = dw;
    s->dh = dh;
    s->plan_only = plan_only;
    info->bytes = (double)s->sw * s->sh * s->channels;
    info->pixels = (double)s->sw * s->sh;
    *state = s;
    return 0;
}

static int rs_run(void *state, char *err, size_t errlen) {
    struct px_state *s = state;
    struct tk_rs_plan *plan = NULL;
    if (tk_rs_plan_create(s->sw, s->sh, s->dw, s->dh, s->filter, &plan) != TK_RS_OK) {
        tk_bench_set_err(err, errlen, "tk_rs_plan_create failed");
        return -1;
    }
    int rc = 0;
    if (!s->plan_only) {
        rc = tk_rs_run_isa(plan, s->isa, s->src, (size_t)s->sw * (size_t)s->channels, s->dst,
                           (size_t)s->dw * (size_t)s->channels, s->channels);
        if (rc != 0) {
            tk_bench_set_err(err, errlen, "tk_rs_run_isa failed");
        }
    }
    tk_rs_plan_destroy(plan);
    __asm__ __volatile__("" : : "r"(s->dst) : "memory");
    return rc;
}

/* ---------------------------------------------------------------- libjpeg helpers */

/* libjpeg's errors: the message goes to the case's error buffer, then back to the setjmp of the
 * function that owns the libjpeg object (setjmp has to be in that function's own frame). */
struct jerr {
    struct jpeg_error_mgr pub;
    jmp_buf jmp;
    char *err;
    size_t errlen;
};

static void jerr_exit(j_common_ptr cinfo) {
    struct jerr *e = (struct jerr *)cinfo->err;
    char msg[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, msg);
    tk_bench_set_err(e->err, e->errlen, msg);
    longjmp(e->jmp, 1);
}

static void jerr_silent(j_common_ptr cinfo, int level) {
    (void)cinfo;
    (void)level;
}

/* Route errors to @p err and silence warnings. @return the manager for cinfo.err. */
static struct jpeg_error_mgr *jerr_init(struct jerr *e, char *err, size_t errlen) {
    jpeg_std_error(&e->pub);
    e->pub.error_exit = jerr_exit;
    e->pub.emit_message = jerr_silent;
    e->err = err;
    e->errlen = errlen;
    return &e->pub;
}

/* Decoder options measured by the decode-fast cases (where the time of a decode goes). */
#define DEC_IFAST   1 /* JDCT_IFAST instead of the default JDCT_ISLOW */
#define DEC_NOFANCY 2 /* do_fancy_upsampling = FALSE (box chroma upsampling) */

/* Decode @p data at scale 1/@p denom into *px (realloc'd as needed). @return 0 or -1. */
static int jpeg_decode_mem(const uint8_t *data, size_t size, int denom, int flags, uint8_t **px,
                           size_t *cap, uint32_t *w, uint32_t *h, int *channels, char *err,
                           size_t errlen) {
    struct jpeg_decompress_struct cinfo;
    struct jerr je;
    cinfo.err = jerr_init(&je, err, errlen);
    if (setjmp(je.jmp)) {
        jpeg_destroy_decompress(&cinfo);
        return -1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    cinfo.scale_num = 1;
    cinfo.scale_denom = (unsigned)denom;
    if (flags & DEC_IFAST) {
        cinfo.dct_method = JDCT_IFAST;
    }
    if (flags & DEC_NOFANCY) {
        cinfo.do_fancy_upsampling = FALSE;
    }
    if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
        cinfo.out_color_space = JCS_CMYK;
    } else if (cinfo.num_components == 1) {
        cinfo.out_color_space = JCS_GRAYSCALE;
    } else {
        cinfo.out_color_space = JCS_RGB;
    }
    jpeg_start_decompress(&cinfo);
    size_t stride = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
    size_t need = stride * cinfo.output_height;
    if (need > *cap) {
        uint8_t *p = realloc(*px, need);
        if (p == NULL) {
            jpeg_destroy_decompress(&cinfo);
            tk_bench_set_err(err, errlen, "out of memory");
            return -1;
        }
        *px = p;
        *cap = need;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = *px + (size_t)cinfo.output_scanline * stride;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    *w = cinfo.output_width;
    *h = cinfo.output_height;
    *channels = cinfo.output_components;
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return 0;
}

/* ---------------------------------------------------------------- decode */

/* p: [0] denominator, [1] DEC_* flags */
static int decode_setup(const struct tk_bench_case *c, void **state, struct tk_bench_info *info,
                        char *err, size_t errlen) {
    struct tk_bench_file_state *s = tk_bench_file_state_new(c->path, err, errlen);
    if (s == NULL) {
        return -1;
    }
    s->denom = c->p[0];
    s->flags = c->p[1];
    uint32_t w, h;
    int ch;
    if (jpeg_decode_mem(s->data, s->size, s->denom, s->flags, &s->px, &s->cap, &w, &h, &ch, err,
                        errlen) != 0) {
        tk_bench_file_teardown(s);
        return -1;
    }
    info->bytes = (double)s->size;
    info->pixels = (double)w * h * s->denom * s->denom;
    snprintf(info->label, sizeof info->label, "decoded %ux%u", w, h);
    *state = s;
    return 0;
}

static int decode_run(void *state, char *err, size_t errlen) {
    struct tk_bench_file_state *s = state;
    uint32_t w, h;
    int ch;
    return jpeg_decode_mem(s->data, s->size, s->denom, s->flags, &s->px, &s->cap, &w, &h, &ch, err,
                           errlen);
}

/* ---------------------------------------------------------------- encode */

static int jpeg_encode_mem(struct tk_bench_file_state *s, char *err, size_t errlen) {
    struct jpeg_compress_struct cinfo;
    struct jerr je;
    /* libjpeg allocates (and grows) the output buffer; it never frees one it was given */
    free(s->out);
    s->out = NULL;
    s->out_size = 0;
    cinfo.err = jerr_init(&je, err, errlen);
    if (setjmp(je.jmp)) {
        jpeg_destroy_compress(&cinfo);
        return -1;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, &s->out, &s->out_size);
    cinfo.image_width = s->w;
    cinfo.image_height = s->h;
    cinfo.input_components = s->channels;
    cinfo.in_color_space = s->channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, s->quality, TRUE);
    if (s->progressive) {
        jpeg_simple_progression(&cinfo);
    }
    jpeg_start_compress(&cinfo, TRUE);
    size_t stride = (size_t)s->w * (size_t)s->channels;
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = s->px + (size_t)cinfo.next_scanline * stride;
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    return 0;
}

static int png_encode_mem(struct tk_bench_file_state *s, char *err, size_t errlen) {
    spng_ctx *ctx = spng_ctx_new(SPNG_CTX_ENCODER);
    int rc = -1;
    if (ctx == NULL) {
        tk_bench_set_err(err, errlen, "spng_ctx_new failed");
        return -1;
    }
    struct spng_ihdr ihdr = {0};
    ihdr.width = s->w;
    ihdr.height = s->h;
    ihdr.bit_depth = 8;
    ihdr.color_type = s->channels == 1 ? SPNG_COLOR_TYPE_GRAYSCALE : SPNG_COLOR_TYPE_TRUECOLOR;
    spng_set_option(ctx, SPNG_ENCODE_TO_BUFFER, 1);
    int e = spng_set_ihdr(ctx, &ihdr);
    if (e == 0) {
        e = spng_encode_image(ctx, s->px, (size_t)s->w * s->h * (size_t)s->channels, SPNG_FMT_PNG,
                              SPNG_ENCODE_FINALIZE);
    }
    if (e == 0) {
        size_t len = 0;
        void *buf = spng_get_png_buffer(ctx, &len, &e);
        if (buf != NULL) {
            free(buf);
            rc = 0;
        }
    }
    if (rc != 0) {
        tk_bench_set_err(err, errlen, spng_strerror(e));
    }
    spng_ctx_free(ctx);
    return rc;
}

/* p: [0] denominator applied to the photo, [1] quality, [2] progressive, [3] png */
static int encode_setup(const struct tk_bench_case *c, void **state, struct tk_bench_info *info,
                        char *err, size_t errlen) {
    struct tk_bench_file_state *s = tk_bench_file_state_new(c->path, err, errlen);
    if (s == NULL) {
        return -1;
    }
    if (jpeg_decode_mem(s->data, s->size, c->p[0], 0, &s->px, &s->cap, &s->w, &s->h, &s->channels,
                        err, errlen) != 0 ||
        s->channels == 4) {
        if (s->channels == 4) {
            tk_bench_set_err(err, errlen, "CMYK source not used for encode cases");
        }
        tk_bench_file_teardown(s);
        return -1;
    }
    s->quality = c->p[1];
    s->progressive = c->p[2];
    s->png = c->p[3];
    info->bytes = (double)s->w * s->h * s->channels;
    info->pixels = (double)s->w * s->h;
    snprintf(info->label, sizeof info->label, "%ux%u from %.100s", s->w, s->h,
             tk_bench_base_name(c->path));
    *state = s;
    return 0;
}

static int encode_run(void *state, char *err, size_t errlen) {
    struct tk_bench_file_state *s = state;
    return s->png ? png_encode_mem(s, err, errlen) : jpeg_encode_mem(s, err, errlen);
}

/* ---------------------------------------------------------------- pipeline */

/* One tk_thumbnail() into @p res (the caller frees it). @return 0, or -1 with the reason in
 * @p err. */
static int pipe_once(const struct tk_bench_file_state *s, struct tk_result *res, char *err,
                     size_t errlen) {
    memset(res, 0, sizeof *res);
    enum tk_status st = tk_thumbnail(s->data, s->size, &s->opts, res);
    if (st != TK_OK) {
        snprintf(err, errlen, "%s: %s", tk_status_name(st), res->error);
        return -1;
    }
    return 0;
}

/* p: [0] shrink_on_load */
static int pipe_setup(const struct tk_bench_case *c, void **state, struct tk_bench_info *info,
                      char *err, size_t errlen) {
    struct tk_bench_file_state *s = tk_bench_file_state_new(c->path, err, errlen);
    if (s == NULL) {
        return -1;
    }
    tk_options_init(&s->opts);
    s->opts.shrink_on_load = c->p[0] != 0;
    struct tk_result res;
    if (pipe_once(s, &res, err, errlen) != 0) {
        tk_result_free(&res);
        tk_bench_file_teardown(s);
        return -1;
    }
    info->bytes = (double)s->size;
    info->pixels = (double)res.source_width * res.source_height;
    snprintf(info->label, sizeof info->label, "%ux%u 1:%d -> %ux%u %s", res.source_width,
             res.source_height, res.decode_scale, res.thumbs[0].width, res.thumbs[0].height,
             res.isa ? res.isa : "?");
    tk_result_free(&res);
    *state = s;
    return 0;
}

static int pipe_run(void *state, char *err, size_t errlen) {
    struct tk_result res;
    int r = pipe_once(state, &res, err, errlen);
    tk_result_free(&res);
    return r;
}

/* ---------------------------------------------------------------- the table */

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted list of *.jpg / *.jpeg / *.png in @p dir (caller frees each and the array). */
static size_t list_images(const char *dir, char ***out) {
    DIR *d = opendir(dir);
    char **v = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    *out = NULL;
    if (d == NULL) {
        return 0;
    }
    while ((e = readdir(d)) != NULL) {
        const char *dot = strrchr(e->d_name, '.');
        if (dot == NULL || (strcasecmp(dot, ".jpg") != 0 && strcasecmp(dot, ".jpeg") != 0 &&
                            strcasecmp(dot, ".png") != 0)) {
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **nv = realloc(v, cap * sizeof *nv);
            if (nv == NULL) {
                break;
            }
            v = nv;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        v[n] = malloc(len);
        if (v[n] == NULL) {
            break;
        }
        snprintf(v[n], len, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    qsort(v, n, sizeof *v, cmp_str);
    *out = v;
    return n;
}

static void add_memcpy(struct tk_bench_table *t, int ch, int w, int h) {
    struct tk_bench_case *c = tk_bench_table_add(t, copy_setup, copy_run, px_teardown, NULL);
    if (c == NULL) {
        return;
    }
    snprintf(c->name, sizeof c->name, "memcpy/%s/%dx%d", layout_name(ch), w, h);
    c->p[0] = ch;
    c->p[1] = w;
    c->p[2] = h;
}

size_t tk_bench_cases_build(const struct tk_bench_config *cfg, struct tk_bench_case **out) {
    struct tk_bench_table t = {0};
    const char *data = cfg && cfg->data_dir ? cfg->data_dir : TK_BENCH_DATA_DIR;
    struct tk_bench_case *c;

    /* The headline geometry: a 16 MP camera frame to a 852x567 preview. */
    static const int geoms[][4] = {
        {4928, 3279, 852, 567}, /* 16 MP photo -> preview (the goal's geometry) */
        {1800, 1200, 256, 171}, /* corpus photo, no shrink-on-load -> thumbnail */
        {900, 600, 256, 171},   /* after a 1/2 DCT shrink -> thumbnail (2.3x) */
    };
    static const int layouts[] = {3, 4, 1, 2};

    for (size_t g = 0; g < sizeof geoms / sizeof geoms[0]; g++) {
        for (size_t l = 0; l < sizeof layouts / sizeof layouts[0]; l++) {
            add_memcpy(&t, layouts[l], geoms[g][0], geoms[g][1]);
            for (int isa = 0; isa < TK_ISA_COUNT; isa++) {
                if (!tk_isa_supported((enum tk_isa)isa)) {
                    continue;
                }
                for (int f = 0; f < 4; f++) {
                    if ((c = tk_bench_table_add(&t, rs_setup, rs_run, px_teardown, NULL)) == NULL) {
                        break;
                    }
                    snprintf(c->name, sizeof c->name, "resample/%s/%s/%s/%dx%d/%dx%d",
                             tk_isa_name((enum tk_isa)isa), filter_names[f],
                             layout_name(layouts[l]), geoms[g][0], geoms[g][1], geoms[g][2],
                             geoms[g][3]);
                    c->p[0] = isa;
                    c->p[1] = f;
                    c->p[2] = layouts[l];
                    c->p[3] = geoms[g][0];
                    c->p[4] = geoms[g][1];
                    c->p[5] = geoms[g][2];
                    c->p[6] = geoms[g][3];
                }
            }
        }
        for (int f = 0; f < 4; f++) {
            if ((c = tk_bench_table_add(&t, rs_setup, rs_run, px_teardown, NULL)) == NULL) {
                break;
            }
            snprintf(c->name, sizeof c->name, "plan/%s/%dx%d/%dx%d", filter_names[f], geoms[g][0],
                     geoms[g][1], geoms[g][2], geoms[g][3]);
            c->p[1] = f;
            c->p[2] = 3;
            c->p[3] = geoms[g][0];
            c->p[4] = geoms[g][1];
            c->p[5] = geoms[g][2];
            c->p[6] = geoms[g][3];
            c->p[7] = 1;
        }
    }

    /* JPEG decode at each DCT scale. */
    char path[1024];
    size_t n_decode = tk_bench_photo_count;
    for (size_t i = 0; i <= n_decode; i++) {
        if (i < n_decode) {
            snprintf(path, sizeof path, "%s/%s", data, tk_bench_photos[i]);
        } else if (cfg && cfg->big_jpeg) {
            snprintf(path, sizeof path, "%s", cfg->big_jpeg);
        } else {
            break;
        }
        if (!tk_bench_file_exists(path)) {
            continue;
        }
        for (int d = 1; d <= 8; d *= 2) {
            if ((c = tk_bench_table_add(&t, decode_setup, decode_run, tk_bench_file_teardown,
                                        path)) == NULL) {
                break;
            }
            snprintf(c->name, sizeof c->name, "decode/%.120s/1:%d", tk_bench_base_name(path), d);
            c->p[0] = d;
        }
        /* Where a decode's time goes: the faster IDCT and plain chroma upsampling, on the
         * first (baseline) photos only, at the scales the pipeline uses. */
        for (int d = 1; d <= 4 && i < 3; d *= 2) {
            static const char *const fname[] = {"", "ifast", "nofancy", "ifast+nofancy"};
            for (int fl = 1; fl <= 3; fl++) {
                if ((c = tk_bench_table_add(&t, decode_setup, decode_run, tk_bench_file_teardown,
                                            path)) == NULL) {
                    break;
                }
                snprintf(c->name, sizeof c->name, "decode-%s/%.100s/1:%d", fname[fl],
                         tk_bench_base_name(path), d);
                c->p[0] = d;
                c->p[1] = fl;
            }
        }
    }

    tk_bench_add_fast_cases(&t, data); /* reduced/...: the fast decoder vs libjpeg-turbo */

    /* Encode a real photo at thumbnail and preview sizes (decoded at 1/8 and 1/4). */
    snprintf(path, sizeof path, "%s/jpeg/sharp__2569067123_aca715a2ee_o.jpg", data);
    if (!tk_bench_file_exists(path)) {
        snprintf(path, sizeof path, "%s/exif-orientation/Landscape_1.jpg", data);
    }
    if (tk_bench_file_exists(path)) {
        static const struct {
            const char *fmt;
            int denom, quality, progressive, png;
        } enc[] = {
            {"jpeg-q85", 8, 85, 0, 0},
            {"jpeg-q85", 4, 85, 0, 0},
            {"jpeg-q85-progressive", 8, 85, 1, 0},
            {"png", 8, 0, 0, 1},
        };
        for (size_t i = 0; i < sizeof enc / sizeof enc[0]; i++) {
            if ((c = tk_bench_table_add(&t, encode_setup, encode_run, tk_bench_file_teardown,
                                        path)) == NULL) {
                break;
            }
            snprintf(c->name, sizeof c->name, "encode/%s/1:%d", enc[i].fmt, enc[i].denom);
            c->p[0] = enc[i].denom;
            c->p[1] = enc[i].quality;
            c->p[2] = enc[i].progressive;
            c->p[3] = enc[i].png;
        }
    }

    /* The whole pipeline per corpus image (default options: 256 px fit-inside JPEG q85). */
    static const char *const pipe_dirs[] = {"jpeg", "exif-orientation"};
    for (size_t d = 0; d <= sizeof pipe_dirs / sizeof pipe_dirs[0]; d++) {
        char **files = NULL;
        size_t n = 0;
        if (d < sizeof pipe_dirs / sizeof pipe_dirs[0]) {
            snprintf(path, sizeof path, "%s/%s", data, pipe_dirs[d]);
            n = list_images(path, &files);
        } else if (cfg && cfg->big_jpeg && tk_bench_file_exists(cfg->big_jpeg)) {
            files = malloc(sizeof *files);
            if (files != NULL && (files[0] = strdup(cfg->big_jpeg)) != NULL) {
                n = 1;
            }
        }
        for (size_t i = 0; i < n; i++) {
            for (int shrink = 1; shrink >= 0; shrink--) {
                /* the no-shrink variant only for the photos used by the decode cases */
                if (!shrink) {
                    int photo = d == sizeof pipe_dirs / sizeof pipe_dirs[0];
                    for (size_t k = 0; k < n_decode && !photo; k++) {
                        photo = strcmp(tk_bench_base_name(tk_bench_photos[k]),
                                       tk_bench_base_name(files[i])) == 0;
                    }
                    if (!photo) {
                        continue;
                    }
                }
                if ((c = tk_bench_table_add(&t, pipe_setup, pipe_run, tk_bench_file_teardown,
                                            files[i])) == NULL) {
                    break;
                }
                snprintf(c->name, sizeof c->name, "%s/%.120s",
                         shrink ? "pipeline" : "pipeline-noshrink", tk_bench_base_name(files[i]));
                c->p[0] = shrink;
            }
            free(files[i]);
        }
        free(files);
    }

    if (t.failed) {
        free(t.v);
        *out = NULL;
        return 0;
    }
    *out = t.v;
    return t.n;
}

void tk_bench_cases_free(struct tk_bench_case *cases) {
    free(cases);
    free(g_src.px);
    memset(&g_src, 0, sizeof g_src);
}

const char *tk_bench_context(void) {
    static char buf[256];
    snprintf(buf, sizeof buf, "libjpeg:%d simd-detected:%s engine:%s", JPEG_LIB_VERSION,
             tk_isa_name(tk_isa_detect()), tk_version());
    return buf;
}
