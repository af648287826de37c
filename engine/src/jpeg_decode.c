/* jpeg_decode.c — JPEG header probe and decode with libjpeg DCT scaling. */
#include "decode.h"
#include "errmsg.h"
#include "exif.h"
#include "image.h"
#include "jpeg_fast.h"
#include "jpeg_scans.h"
#include "jpeg_err.h"
#include "testing.h"

#include <jerror.h>

#include <stdlib.h>
#include <string.h>

#define EXIF_MARKER (JPEG_APP0 + 1)
#define ICC_MARKER  (JPEG_APP0 + 2)
/* Real progressive files have about 10 scans; thousands of tiny scans are a known way to
 * make libjpeg spend minutes on a small file. The pipeline refuses them before decoding
 * (jpeg_scans.h); this is the same limit for a caller that decodes directly. */
#define MAX_SCANS TK_JPEG_MAX_SCANS
/* Rows handed to libjpeg per jpeg_read_scanlines call. */
#define ROW_BATCH 16

/* Everything a decode owns lives here, outside the frame that calls setjmp,
 * so its values are well defined after a longjmp. */
struct jdec {
    struct jpeg_decompress_struct cinfo;
    struct tk_jpeg_err jerr;
    struct jpeg_progress_mgr progress;
    bool created;
    uint8_t *cmyk_row;
    struct tk_image img;
};

static void on_progress(j_common_ptr cinfo) {
    if (((j_decompress_ptr)cinfo)->input_scan_number > MAX_SCANS) {
        char msg[64];
        snprintf(msg, sizeof(msg), "more than %d scans in a progressive image", MAX_SCANS);
        tk_jpeg_err_raise(cinfo, msg);
    }
}

static void jdec_open(struct jdec *d, const uint8_t *data, size_t size) {
    jpeg_create_decompress(&d->cinfo);
    d->created = true;
    d->progress.progress_monitor = on_progress;
    d->cinfo.progress = &d->progress;
    jpeg_mem_src(&d->cinfo, data, (unsigned long)size);
}

static void jdec_close(struct jdec *d) {
    if (d->created) {
        jpeg_destroy_decompress(&d->cinfo);
    }
    free(d->cmyk_row);
    d->cmyk_row = NULL;
}

static enum tk_status caught(const struct jdec *d, char *err, size_t errlen) {
    enum tk_status st = tk_jpeg_err_status(&d->jerr);
    const char *why = "";
    if (st == TK_ERR_UNSUPPORTED) {
        why = d->jerr.code == JERR_BAD_PRECISION ? " (only 8-bit JPEG is supported)"
              : d->jerr.code == JERR_SOF_UNSUPPORTED
                  ? " (lossless and hierarchical JPEG are not supported)"
                  : "";
    }
    tk_errf(err, errlen, "JPEG: %s%s", d->jerr.msg, why);
    return st;
}

static enum tk_status check_pixels(const struct jdec *d, uint64_t max_pixels, char *err,
                                   size_t errlen) {
    uint64_t px = (uint64_t)d->cinfo.image_width * d->cinfo.image_height;
    if (px > max_pixels) {
        tk_err_too_many_pixels(err, errlen, d->cinfo.image_width, d->cinfo.image_height,
                               max_pixels);
        return TK_ERR_TOO_LARGE;
    }
    return TK_OK;
}

static int orientation_of(const struct jpeg_decompress_struct *cinfo) {
    for (jpeg_saved_marker_ptr m = cinfo->marker_list; m != NULL; m = m->next) {
        if (m->marker != EXIF_MARKER) {
            continue;
        }
        int o = tk_exif_orientation_app1(m->data, m->data_length);
        if (o != 0) {
            return o; /* the first Exif APP1 decides */
        }
    }
    return 1;
}

/* The ICC profile, however many APP2 segments carry it (libjpeg-turbo puts them in order). */
static void read_icc(struct jdec *d, struct tk_colour_src *colour) {
    JOCTET *icc = NULL;
    unsigned int len = 0;
    if (jpeg_read_icc_profile(&d->cinfo, &icc, &len) && icc != NULL) {
        colour->kind = TK_COLOUR_ICC;
        colour->icc = icc;
        colour->icc_size = len;
        colour->cmyk_inverted = d->cinfo.saw_Adobe_marker != 0;
    }
}

static enum tk_status probe_run(struct jdec *d, const uint8_t *data, size_t size,
                                uint64_t max_pixels, struct tk_source_info *info, char *err,
                                size_t errlen) {
    d->cinfo.err = tk_jpeg_err_init(&d->jerr); /* before setjmp: it clears the jmp_buf */
    if (setjmp(d->jerr.jump)) {
        return caught(d, err, errlen);
    }
    jdec_open(d, data, size);
    jpeg_save_markers(&d->cinfo, EXIF_MARKER, 0xFFFF);
    jpeg_save_markers(&d->cinfo, ICC_MARKER, 0xFFFF);
    jpeg_read_header(&d->cinfo, TRUE);
    enum tk_status st = check_pixels(d, max_pixels, err, errlen);
    if (st != TK_OK) {
        return st;
    }
    info->width = d->cinfo.image_width;
    info->height = d->cinfo.image_height;
    info->orientation = orientation_of(&d->cinfo);
    info->components = d->cinfo.num_components;
    info->progressive = d->cinfo.progressive_mode != 0;
    info->cmyk = d->cinfo.jpeg_color_space == JCS_CMYK || d->cinfo.jpeg_color_space == JCS_YCCK;
    read_icc(d, &info->colour);
    return TK_OK;
}

enum tk_status tk_jpeg_probe(const uint8_t *data, size_t size, uint64_t max_pixels,
                             struct tk_source_info *info, char *err, size_t errlen) {
    struct jdec d;
    memset(&d, 0, sizeof(d));
    memset(info, 0, sizeof(*info));
    enum tk_status st = probe_run(&d, data, size, max_pixels, info, err, errlen);
    jdec_close(&d);
    if (st != TK_OK) {
        tk_source_info_free(info);
    }
    return st;
}

/* Naive CMYK -> RGB (no ICC): R = (1-C)(1-K). Adobe writes inverted CMYK, where
 * a stored value is already 1-C, so only the plain convention inverts here. */
static void cmyk_row_to_rgb(const uint8_t *src, uint8_t *dst, uint32_t w, bool inverted) {
    for (uint32_t x = 0; x < w; x++) {
        unsigned c = src[0], m = src[1], y = src[2], k = src[3];
        if (!inverted) {
            c = 255 - c;
            m = 255 - m;
            y = 255 - y;
            k = 255 - k;
        }
        dst[0] = (uint8_t)((c * k + 127) / 255);
        dst[1] = (uint8_t)((m * k + 127) / 255);
        dst[2] = (uint8_t)((y * k + 127) / 255);
        src += 4;
        dst += 3;
    }
}

static void read_rows_direct(struct jdec *d) {
    JSAMPROW rows[ROW_BATCH];
    while (d->cinfo.output_scanline < d->cinfo.output_height) {
        JDIMENSION y = d->cinfo.output_scanline;
        JDIMENSION n = d->cinfo.output_height - y;
        n = n > ROW_BATCH ? ROW_BATCH : n;
        for (JDIMENSION i = 0; i < n; i++) {
            rows[i] = d->img.pixels + (size_t)(y + i) * d->img.stride;
        }
        if (jpeg_read_scanlines(&d->cinfo, rows, n) == 0) {
            tk_jpeg_err_raise((j_common_ptr)&d->cinfo, "decoder returned no rows");
        }
    }
}

static void read_rows_cmyk(struct jdec *d, const struct tk_colour_xf *xf) {
    bool inverted = d->cinfo.saw_Adobe_marker != 0;
    while (d->cinfo.output_scanline < d->cinfo.output_height) {
        JDIMENSION y = d->cinfo.output_scanline;
        JSAMPROW row = d->cmyk_row;
        if (jpeg_read_scanlines(&d->cinfo, &row, 1) != 1) {
            /* only a suspending source returns 0; never loop on it */
            tk_jpeg_err_raise((j_common_ptr)&d->cinfo, "decoder returned no rows");
        }
        uint8_t *rgb = d->img.pixels + (size_t)y * d->img.stride;
        if (xf != NULL) {
            tk_colour_cmyk_row(xf, d->cmyk_row, rgb, d->img.width);
        } else {
            cmyk_row_to_rgb(d->cmyk_row, rgb, d->img.width, inverted);
        }
    }
}

static enum tk_status libjpeg_run(struct jdec *d, const uint8_t *data, size_t size,
                                  const struct tk_jpeg_request *req, char *err, size_t errlen) {
    d->cinfo.err = tk_jpeg_err_init(&d->jerr); /* before setjmp: it clears the jmp_buf */
    if (setjmp(d->jerr.jump)) {
        return caught(d, err, errlen);
    }
    jdec_open(d, data, size);
    jpeg_read_header(&d->cinfo, TRUE);
    enum tk_status st = check_pixels(d, req->max_pixels, err, errlen);
    if (st != TK_OK) {
        return st;
    }
    bool cmyk = d->cinfo.jpeg_color_space == JCS_CMYK || d->cinfo.jpeg_color_space == JCS_YCCK;
    d->cinfo.out_color_space = d->cinfo.jpeg_color_space == JCS_GRAYSCALE ? JCS_GRAYSCALE
                               : cmyk                                     ? JCS_CMYK
                                                                          : JCS_RGB;
    d->cinfo.scale_num = 1;
    d->cinfo.scale_denom = (unsigned)req->scale_denom;
    d->cinfo.dct_method = JDCT_ISLOW;
    jpeg_calc_output_dimensions(&d->cinfo);

    enum tk_layout layout =
        d->cinfo.out_color_space == JCS_GRAYSCALE ? TK_LAYOUT_GRAY : TK_LAYOUT_RGB;
    st = tk_image_alloc(&d->img, d->cinfo.output_width, d->cinfo.output_height, layout);
    if (st == TK_OK && cmyk) {
        size_t w = d->cinfo.output_width;
        d->cmyk_row = w <= SIZE_MAX / 4 ? malloc(w * 4) : NULL;
        st = d->cmyk_row != NULL ? TK_OK : TK_ERR_NO_MEMORY;
    }
    if (st != TK_OK) {
        tk_errf(err, errlen, "JPEG: cannot allocate a %ux%u image", (unsigned)d->cinfo.output_width,
                (unsigned)d->cinfo.output_height);
        return st;
    }
    jpeg_start_decompress(&d->cinfo);
    if ((int)d->cinfo.output_components != (cmyk ? 4 : (int)layout)) {
        tk_errf(err, errlen, "JPEG: unexpected %d output components", d->cinfo.output_components);
        return TK_ERR_UNSUPPORTED;
    }
    if (cmyk) {
        read_rows_cmyk(d, req->cmyk_xf);
    } else {
        read_rows_direct(d);
    }
    /* Not jpeg_finish_decompress: every pixel is in, and trailing bytes after
     * the last scan cannot change them. */
    jpeg_abort_decompress(&d->cinfo);
    return TK_OK;
}

enum tk_status tk_jpeg_decode_general(const uint8_t *data, size_t size,
                                      const struct tk_jpeg_request *req, struct tk_image *out,
                                      char *err, size_t errlen) {
    memset(out, 0, sizeof(*out));
    int s = req->scale_denom;
    if (s != 1 && s != 2 && s != 4 && s != 8) {
        tk_errf(err, errlen, "JPEG: invalid scale 1/%d", s);
        return TK_ERR_INVALID_ARGUMENT;
    }
    struct jdec d;
    memset(&d, 0, sizeof(d));
    enum tk_status st = libjpeg_run(&d, data, size, req, err, errlen);
    jdec_close(&d);
    if (st == TK_OK) {
        *out = d.img;
    } else {
        tk_image_free(&d.img);
    }
    return st;
}

enum tk_status tk_jpeg_decode(const uint8_t *data, size_t size, const struct tk_jpeg_request *req,
                              struct tk_image *out, struct tk_jpeg_stats *stats, char *err,
                              size_t errlen) {
    struct tk_jpeg_stats ignored;
    stats = stats != NULL ? stats : &ignored;
    memset(stats, 0, sizeof(*stats));
    /* Path choice: reduced scales need only the lowest coefficients of each block, which the
     * fast decoder gets without materialising the rest (jpeg_fast.h; baseline files at 1/2 it
     * leaves to libjpeg). Where it finds fault, libjpeg gets the final say on the same bytes. */
    int s = req->scale_denom;
    if (s == 8 || s == 4 || s == 2) {
        bool eligible = false;
        struct tk_jpeg_fast_request fast = {
            .scale_denom = s,
            .codings = TK_JPEG_FAST_BASELINE | TK_JPEG_FAST_PROGRESSIVE,
            .max_pixels = req->max_pixels,
            .entropy_ms = &stats->entropy_ms,
            .clock_ms = req->clock_ms,
        };
        enum tk_status st = tk_jpeg_fast_decode(data, size, &fast, out, &eligible, err, errlen);
        if ((st == TK_OK && eligible) || (st != TK_OK && st != TK_ERR_CORRUPT)) {
            stats->fast = st == TK_OK;
            return st;
        }
        stats->entropy_ms = 0;
    }
    return tk_jpeg_decode_general(data, size, req, out, err, errlen);
}
