/* png_encode.c — 8-bit PNG encode with libspng into memory. */
#include "encode.h"
#include "errmsg.h"

#include <stdlib.h>

#include <spng.h>

static uint8_t color_type_of(enum tk_layout l) {
    switch (l) {
    case TK_LAYOUT_GRAY:
        return SPNG_COLOR_TYPE_GRAYSCALE;
    case TK_LAYOUT_GRAY_ALPHA:
        return SPNG_COLOR_TYPE_GRAYSCALE_ALPHA;
    case TK_LAYOUT_RGB:
        return SPNG_COLOR_TYPE_TRUECOLOR;
    case TK_LAYOUT_RGBA:
        break;
    }
    return SPNG_COLOR_TYPE_TRUECOLOR_ALPHA;
}

enum tk_status tk_png_encode(const struct tk_image *img, uint8_t **out, size_t *out_size, char *err,
                             size_t errlen) {
    enum tk_status st = TK_OK;
    *out = NULL;
    *out_size = 0;
    if (img->stride != (size_t)img->width * (size_t)img->layout) {
        tk_errf(err, errlen, "PNG encoder: image rows must be contiguous");
        return TK_ERR_ENCODE;
    }
    spng_ctx *ctx = spng_ctx_new(SPNG_CTX_ENCODER);
    if (ctx == NULL) {
        tk_errf(err, errlen, "PNG encoder: cannot create an encoder");
        return TK_ERR_ENCODE;
    }
    struct spng_ihdr ihdr = {
        .width = img->width,
        .height = img->height,
        .bit_depth = 8,
        .color_type = color_type_of(img->layout),
    };
    int e = spng_set_option(ctx, SPNG_ENCODE_TO_BUFFER, 1);
    if (e == 0) {
        e = spng_set_ihdr(ctx, &ihdr);
    }
    if (e == 0) {
        e = spng_encode_image(ctx, img->pixels, img->stride * img->height, SPNG_FMT_PNG,
                              SPNG_ENCODE_FINALIZE);
    }
    if (e == 0) {
        size_t len = 0;
        void *buf = spng_get_png_buffer(ctx, &len, &e);
        if (e == 0 && buf != NULL) {
            *out = buf;
            *out_size = len;
        } else {
            free(buf);
            e = e != 0 ? e : SPNG_EMEM;
        }
    }
    if (e != 0) {
        tk_errf(err, errlen, "PNG encoder: %s", spng_strerror(e));
        st = TK_ERR_ENCODE;
    }
    spng_ctx_free(ctx);
    return st;
}
