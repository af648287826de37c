/* jpeg_reference.c — see jpeg_reference.h. */
#include "jpeg_reference.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

struct quiet_error {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
};

static void on_error(j_common_ptr cinfo) {
    longjmp(((struct quiet_error *)cinfo->err)->jump, 1);
}

/* Count warnings silently: a data-loss warning makes the reference invalid, as in the engine. */
static void on_message(j_common_ptr cinfo, int level) {
    if (level < 0) {
        cinfo->err->num_warnings++;
    }
}

static void quiet(struct quiet_error *q) {
    jpeg_std_error(&q->pub);
    q->pub.error_exit = on_error;
    q->pub.emit_message = on_message;
}

int ref_decode_eighth(const uint8_t *data, size_t size, struct ref_image *out) {
    struct jpeg_decompress_struct cinfo;
    struct quiet_error err;
    volatile uint8_t *pixels = NULL;
    memset(out, 0, sizeof(*out));
    cinfo.err = &err.pub;
    quiet(&err);
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        free((void *)pixels);
        return -1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    cinfo.scale_num = 1;
    cinfo.scale_denom = 8;
    if (cinfo.num_components == 3) {
        cinfo.out_color_space = JCS_RGB;
    }
    out->h_samp = cinfo.comp_info[0].h_samp_factor;
    out->v_samp = cinfo.comp_info[0].v_samp_factor;
    out->components = cinfo.num_components;
    jpeg_start_decompress(&cinfo);
    int w = (int)cinfo.output_width, h = (int)cinfo.output_height, ch = cinfo.output_components;
    pixels = malloc((size_t)w * h * ch);
    if (!pixels) {
        jpeg_destroy_decompress(&cinfo);
        return -1;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = (JSAMPROW)pixels + (size_t)cinfo.output_scanline * w * ch;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    int warnings = (int)err.pub.num_warnings;
    jpeg_destroy_decompress(&cinfo);
    if (warnings) {
        free((void *)pixels);
        return -1;
    }
    out->pixels = (uint8_t *)pixels;
    out->width = w;
    out->height = h;
    out->channels = ch;
    return 0;
}

int ref_make_progressive(const uint8_t *data, size_t size, uint8_t **out, size_t *out_size) {
    struct jpeg_decompress_struct src;
    struct jpeg_compress_struct dst;
    struct quiet_error err; /* shared: one jump target for both objects */
    unsigned char *volatile buf = NULL;
    unsigned long buf_size = 0;
    quiet(&err);
    src.err = &err.pub;
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
    jpeg_simple_progression(&dst);
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

uint8_t *ref_read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    *size = 0;
    if (f != NULL && fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        rewind(f);
        data = n > 0 ? malloc((size_t)n) : NULL;
        if (data != NULL && fread(data, 1, (size_t)n, f) == (size_t)n) {
            *size = (size_t)n;
        } else {
            free(data);
            data = NULL;
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    return data;
}
