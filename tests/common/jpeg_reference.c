/* jpeg_reference.c — libjpeg-turbo as the tests' reference (see jpeg_reference.h). */
#include "jpeg_reference.h"

#include <stdlib.h>
#include <string.h>

static void on_error(j_common_ptr cinfo) {
    struct ref_jpeg_err *e = (struct ref_jpeg_err *)cinfo->err;
    e->pub.format_message(cinfo, e->msg);
    longjmp(e->jump, 1);
}

/* Count warnings silently: the caller decides whether a warning spoils the result. Only
 * this and on_error would print (through output_message), so nothing prints. */
static void on_message(j_common_ptr cinfo, int level) {
    if (level < 0) {
        cinfo->err->num_warnings++;
    }
}

struct jpeg_error_mgr *ref_jpeg_err_init(struct ref_jpeg_err *e) {
    memset(e, 0, sizeof(*e));
    jpeg_std_error(&e->pub);
    e->pub.error_exit = on_error;
    e->pub.emit_message = on_message;
    return &e->pub;
}

/* Everything a decode owns, outside the frame that calls setjmp, so its values are
 * well defined after a longjmp. */
struct decode_job {
    struct jpeg_decompress_struct cinfo;
    struct ref_jpeg_err err;
    bool created;
    uint8_t *pixels;
    uint8_t *cmyk_row;
};

static unsigned pick_scale(const struct jpeg_decompress_struct *cinfo,
                           const struct ref_jpeg_request *req) {
    if (req->scale_denom != 0) {
        return req->scale_denom;
    }
    unsigned side =
        cinfo->image_width > cinfo->image_height ? cinfo->image_width : cinfo->image_height;
    unsigned denom = 1;
    while (denom < 8 && side / (denom * 2) >= req->min_side) {
        denom *= 2;
    }
    return denom;
}

/* Naive CMYK -> RGB; Adobe (Photoshop) files store inverted CMYK. */
static void cmyk_to_rgb(const uint8_t *src, uint8_t *dst, unsigned width, bool inverted) {
    for (unsigned x = 0; x < width; x++) {
        unsigned k = inverted ? src[4 * x + 3] : 255u - src[4 * x + 3];
        for (int c = 0; c < 3; c++) {
            unsigned v = inverted ? src[4 * x + c] : 255u - src[4 * x + c];
            dst[3 * x + c] = (uint8_t)((v * k + 127) / 255);
        }
    }
}

static int decode_run(struct decode_job *j, const uint8_t *data, size_t size,
                      const struct ref_jpeg_request *req, struct ref_image *out) {
    j->cinfo.err = ref_jpeg_err_init(&j->err); /* before setjmp: it clears the jmp_buf */
    if (setjmp(j->err.jump)) {
        return -1;
    }
    jpeg_create_decompress(&j->cinfo);
    j->created = true;
    jpeg_mem_src(&j->cinfo, data, (unsigned long)size);
    jpeg_read_header(&j->cinfo, TRUE);
    j->cinfo.scale_num = 1;
    j->cinfo.scale_denom = pick_scale(&j->cinfo, req);
    bool cmyk = j->cinfo.jpeg_color_space == JCS_CMYK || j->cinfo.jpeg_color_space == JCS_YCCK;
    if (cmyk) {
        j->cinfo.out_color_space = JCS_CMYK;
    } else if (j->cinfo.num_components == 3) {
        j->cinfo.out_color_space = JCS_RGB;
    }
    out->h_samp = j->cinfo.comp_info[0].h_samp_factor;
    out->v_samp = j->cinfo.comp_info[0].v_samp_factor;
    out->components = j->cinfo.num_components;
    jpeg_start_decompress(&j->cinfo);
    size_t w = j->cinfo.output_width, h = j->cinfo.output_height;
    int ch = cmyk ? 3 : j->cinfo.output_components;
    j->pixels = malloc(w * h * (size_t)ch > 0 ? w * h * (size_t)ch : 1);
    j->cmyk_row = cmyk ? malloc(w * 4) : NULL;
    if (j->pixels == NULL || (cmyk && j->cmyk_row == NULL)) {
        snprintf(j->err.msg, sizeof(j->err.msg), "out of memory for %zux%zu pixels", w, h);
        return -1;
    }
    bool inverted = j->cinfo.saw_Adobe_marker != 0;
    while (j->cinfo.output_scanline < j->cinfo.output_height) {
        uint8_t *dst = j->pixels + (size_t)j->cinfo.output_scanline * w * (size_t)ch;
        JSAMPROW row = cmyk ? j->cmyk_row : dst;
        jpeg_read_scanlines(&j->cinfo, &row, 1);
        if (cmyk) {
            cmyk_to_rgb(j->cmyk_row, dst, (unsigned)w, inverted);
        }
    }
    jpeg_finish_decompress(&j->cinfo);
    if (req->strict && j->err.pub.num_warnings != 0) {
        snprintf(j->err.msg, sizeof(j->err.msg), "%ld libjpeg warning(s): damaged data",
                 j->err.pub.num_warnings);
        return -1;
    }
    out->width = (int)w;
    out->height = (int)h;
    out->channels = ch;
    return 0;
}

int ref_jpeg_decode(const uint8_t *data, size_t size, const struct ref_jpeg_request *req,
                    struct ref_image *out, char *err, size_t errlen) {
    struct decode_job j;
    memset(&j, 0, sizeof(j));
    memset(out, 0, sizeof(*out));
    int rc = decode_run(&j, data, size, req, out);
    if (j.created) {
        jpeg_destroy_decompress(&j.cinfo);
    }
    free(j.cmyk_row);
    if (rc == 0) {
        out->pixels = j.pixels;
    } else {
        free(j.pixels);
        memset(out, 0, sizeof(*out));
        snprintf(err, errlen, "jpeg: %s", j.err.msg);
    }
    return rc;
}

/* DC first (Al 1) and its refinement; per component AC 1-5 and 6-63 at Al 1, then both refined. */
static int split_script(jpeg_scan_info *scans, int components) {
    int n = 0;
    scans[n++] = (jpeg_scan_info){components, {0, 1, 2, 3}, 0, 0, 0, 1};
    for (int c = 0; c < components && c < 4; c++) {
        scans[n++] = (jpeg_scan_info){1, {c}, 1, 5, 0, 1};
        scans[n++] = (jpeg_scan_info){1, {c}, 6, 63, 0, 1};
    }
    scans[n++] = (jpeg_scan_info){components, {0, 1, 2, 3}, 0, 0, 1, 0};
    for (int c = 0; c < components && c < 4; c++) {
        scans[n++] = (jpeg_scan_info){1, {c}, 1, 5, 1, 0};
        scans[n++] = (jpeg_scan_info){1, {c}, 6, 63, 1, 0};
    }
    return n;
}

int ref_transcode(const uint8_t *data, size_t size, enum ref_recoding how, uint8_t **out,
                  size_t *out_size) {
    struct jpeg_decompress_struct src;
    struct jpeg_compress_struct dst;
    struct ref_jpeg_err err; /* shared: one jump target for both objects */
    unsigned char *volatile buf = NULL;
    unsigned long buf_size = 0;
    src.err = ref_jpeg_err_init(&err);
    dst.err = &err.pub;
    jpeg_create_decompress(&src);
    jpeg_create_compress(&dst);
    if (setjmp(err.jump)) {
        jpeg_destroy_compress(&dst);
        jpeg_destroy_decompress(&src);
        free(buf);
        return -1;
    }
    jpeg_mem_src(&src, data, (unsigned long)size);
    jpeg_read_header(&src, TRUE);
    jvirt_barray_ptr *coefs = jpeg_read_coefficients(&src);
    /* Count now: jpeg_write_coefficients resets the (shared) warning counter. */
    volatile long source_warnings = err.pub.num_warnings;
    jpeg_copy_critical_parameters(&src, &dst);
    jpeg_scan_info split[2 + 4 * 4];
    if (how == REF_PROGRESSIVE) {
        jpeg_simple_progression(&dst);
    } else if (how == REF_PROGRESSIVE_SPLIT) {
        dst.num_scans = split_script(split, dst.num_components);
        dst.scan_info = split;
    } else {
        dst.restart_in_rows = 1;
    }
    jpeg_mem_dest(&dst, (unsigned char **)&buf, &buf_size);
    jpeg_write_coefficients(&dst, coefs);
    jpeg_finish_compress(&dst);
    jpeg_finish_decompress(&src);
    jpeg_destroy_compress(&dst);
    jpeg_destroy_decompress(&src);
    if (source_warnings) { /* e.g. a truncated source, filled with grey by libjpeg */
        free(buf);
        return -1;
    }
    *out = buf;
    *out_size = buf_size;
    return 0;
}

int ref_make_progressive(const uint8_t *data, size_t size, uint8_t **out, size_t *out_size) {
    return ref_transcode(data, size, REF_PROGRESSIVE, out, out_size);
}

/* Copy every block of every component out of libjpeg's virtual arrays. */
static int copy_coefficients(j_decompress_ptr cinfo, jvirt_barray_ptr *arrays,
                             struct ref_coefs *out) {
    out->n_comp = cinfo->num_components;
    for (int ci = 0; ci < cinfo->num_components && ci < 4; ci++) {
        jpeg_component_info *c = &cinfo->comp_info[ci];
        struct ref_coef_plane *p = &out->comp[ci];
        p->h = c->h_samp_factor;
        p->v = c->v_samp_factor;
        p->bw = (int)c->width_in_blocks;
        p->bh = (int)c->height_in_blocks;
        for (int k = 0; k < 64 && c->quant_table != NULL; k++) {
            p->quant[k] = (uint16_t)c->quant_table->quantval[k];
        }
        p->coef = malloc((size_t)p->bw * (size_t)p->bh * 64 * sizeof(*p->coef));
        if (p->coef == NULL) {
            return -1;
        }
        for (int by = 0; by < p->bh; by++) {
            JBLOCKARRAY row = (*cinfo->mem->access_virt_barray)((j_common_ptr)cinfo, arrays[ci],
                                                                (JDIMENSION)by, 1, FALSE);
            for (int bx = 0; bx < p->bw; bx++) {
                for (int k = 0; k < 64; k++) {
                    p->coef[((size_t)by * (size_t)p->bw + (size_t)bx) * 64 + (size_t)k] =
                        row[0][bx][k];
                }
            }
        }
    }
    return 0;
}

int ref_jpeg_coefficients(const uint8_t *data, size_t size, struct ref_coefs *out, char *err,
                          size_t errlen) {
    struct jpeg_decompress_struct cinfo;
    struct ref_jpeg_err jerr;
    memset(out, 0, sizeof(*out));
    cinfo.err = ref_jpeg_err_init(&jerr);
    jpeg_create_decompress(&cinfo);
    if (setjmp(jerr.jump)) {
        snprintf(err, errlen, "jpeg: %s", jerr.msg);
        jpeg_destroy_decompress(&cinfo);
        ref_coefs_free(out);
        return -1;
    }
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    jvirt_barray_ptr *arrays = jpeg_read_coefficients(&cinfo);
    int rc = copy_coefficients(&cinfo, arrays, out);
    if (rc == 0 && jerr.pub.num_warnings != 0) {
        snprintf(err, errlen, "jpeg: %ld warning(s): damaged data", jerr.pub.num_warnings);
        rc = -1;
    }
    jpeg_destroy_decompress(&cinfo);
    if (rc != 0) {
        ref_coefs_free(out);
    }
    return rc;
}

void ref_coefs_free(struct ref_coefs *c) {
    for (int i = 0; i < 4; i++) {
        free(c->comp[i].coef);
    }
    memset(c, 0, sizeof(*c));
}
