/* jpeg_encode.c — JPEG encode with libjpeg into a growing memory buffer. */
#include "encode.h"
#include "errmsg.h"
#include "jpeg_err.h"

#include <jerror.h>

#include <stdlib.h>
#include <string.h>

#define FIRST_CHUNK 16384

/* Our own destination instead of jpeg_mem_dest: after a longjmp its buffer is
 * still reachable here and can be freed (jpeg_mem_dest's may not be). */
struct jenc {
    struct jpeg_compress_struct cinfo;
    struct tk_jpeg_err jerr;
    struct jpeg_destination_mgr dest;
    bool created;
    uint8_t *buf;
    size_t cap;
    size_t len; /* final size, set by term */
};

static struct jenc *jenc_of(j_compress_ptr cinfo) {
    return (struct jenc *)((char *)cinfo->dest - offsetof(struct jenc, dest));
}

static void dest_init(j_compress_ptr cinfo) {
    struct jenc *e = jenc_of(cinfo);
    e->buf = malloc(FIRST_CHUNK);
    if (e->buf == NULL) {
        ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 0);
    }
    e->cap = FIRST_CHUNK;
    e->dest.next_output_byte = e->buf;
    e->dest.free_in_buffer = e->cap;
}

static boolean dest_empty(j_compress_ptr cinfo) {
    struct jenc *e = jenc_of(cinfo);
    /* libjpeg calls this only when the whole buffer is full */
    size_t cap = e->cap * 2;
    uint8_t *grown = cap > e->cap ? realloc(e->buf, cap) : NULL;
    if (grown == NULL) {
        ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 1);
    }
    e->dest.next_output_byte = grown + e->cap;
    e->dest.free_in_buffer = cap - e->cap;
    e->buf = grown;
    e->cap = cap;
    return TRUE;
}

static void dest_term(j_compress_ptr cinfo) {
    struct jenc *e = jenc_of(cinfo);
    e->len = e->cap - e->dest.free_in_buffer;
}

static enum tk_status encode_run(struct jenc *e, const struct tk_image *img, int quality,
                                 bool progressive, bool subsample) {
    e->cinfo.err = tk_jpeg_err_init(&e->jerr); /* before setjmp: it clears the jmp_buf */
    if (setjmp(e->jerr.jump)) {
        return TK_ERR_ENCODE;
    }
    jpeg_create_compress(&e->cinfo);
    e->created = true;
    e->dest.init_destination = dest_init;
    e->dest.empty_output_buffer = dest_empty;
    e->dest.term_destination = dest_term;
    e->cinfo.dest = &e->dest;

    e->cinfo.image_width = img->width;
    e->cinfo.image_height = img->height;
    bool gray = img->layout == TK_LAYOUT_GRAY;
    e->cinfo.input_components = gray ? 1 : 3;
    e->cinfo.in_color_space = gray ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&e->cinfo); /* YCbCr 4:2:0 for colour */
    jpeg_set_quality(&e->cinfo, quality, TRUE);
    if (!gray && !subsample) { /* 4:4:4: luma at the chroma's sampling */
        e->cinfo.comp_info[0].h_samp_factor = 1;
        e->cinfo.comp_info[0].v_samp_factor = 1;
    }
    e->cinfo.optimize_coding = TRUE;
    if (progressive) {
        jpeg_simple_progression(&e->cinfo);
    }
    jpeg_start_compress(&e->cinfo, TRUE);
    while (e->cinfo.next_scanline < e->cinfo.image_height) {
        JSAMPROW row = img->pixels + (size_t)e->cinfo.next_scanline * img->stride;
        jpeg_write_scanlines(&e->cinfo, &row, 1);
    }
    jpeg_finish_compress(&e->cinfo);
    return TK_OK;
}

enum tk_status tk_jpeg_encode(const struct tk_image *img, int quality, bool progressive,
                              bool subsample, uint8_t **out, size_t *out_size, char *err,
                              size_t errlen) {
    *out = NULL;
    *out_size = 0;
    if (img->layout != TK_LAYOUT_GRAY && img->layout != TK_LAYOUT_RGB) {
        tk_errf(err, errlen, "JPEG encoder: alpha must be flattened first");
        return TK_ERR_ENCODE;
    }
    struct jenc e;
    memset(&e, 0, sizeof(e));
    enum tk_status st = encode_run(&e, img, quality, progressive, subsample);
    if (st != TK_OK) {
        tk_errf(err, errlen, "JPEG encoder: %s", e.jerr.msg);
    }
    if (e.created) {
        jpeg_destroy_compress(&e.cinfo);
    }
    if (st == TK_OK) {
        *out = e.buf;
        *out_size = e.len;
    } else {
        free(e.buf);
    }
    return st;
}
