/* webp_encode.c — lossy WebP output with libwebp (quality from the options; alpha kept). */
#include "encode.h"
#include "errmsg.h"
#include "image.h"

#include <webp/encode.h>

#include <stdlib.h>
#include <string.h>

/* Gray and gray+alpha widened to RGB(A): WebP has no gray mode. */
static enum tk_status widen(const struct tk_image *img, struct tk_image *dst) {
    bool alpha = img->layout == TK_LAYOUT_GRAY_ALPHA;
    enum tk_status st =
        tk_image_alloc(dst, img->width, img->height, alpha ? TK_LAYOUT_RGBA : TK_LAYOUT_RGB);
    for (uint32_t y = 0; st == TK_OK && y < img->height; y++) {
        const uint8_t *s = img->pixels + (size_t)y * img->stride;
        uint8_t *d = dst->pixels + (size_t)y * dst->stride;
        for (uint32_t x = 0; x < img->width; x++) {
            d[0] = d[1] = d[2] = s[0];
            if (alpha) {
                d[3] = s[1];
            }
            s += alpha ? 2 : 1;
            d += alpha ? 4 : 3;
        }
    }
    return st;
}

enum tk_status tk_webp_encode(const struct tk_image *img, int quality, uint8_t **out,
                              size_t *out_size, char *err, size_t errlen) {
    *out = NULL;
    *out_size = 0;
    struct tk_image wide = {0};
    const struct tk_image *src = img;
    if (img->layout == TK_LAYOUT_GRAY || img->layout == TK_LAYOUT_GRAY_ALPHA) {
        if (widen(img, &wide) != TK_OK) {
            tk_errf(err, errlen, "WebP: cannot allocate a %ux%u image", (unsigned)img->width,
                    (unsigned)img->height);
            return TK_ERR_ENCODE;
        }
        src = &wide;
    }
    if (src->width > WEBP_MAX_DIMENSION || src->height > WEBP_MAX_DIMENSION) {
        tk_errf(err, errlen, "WebP: %ux%u is larger than WebP allows (%d per side)",
                (unsigned)src->width, (unsigned)src->height, WEBP_MAX_DIMENSION);
        tk_image_free(&wide);
        return TK_ERR_ENCODE;
    }
    uint8_t *data = NULL;
    size_t n = src->layout == TK_LAYOUT_RGBA
                   ? WebPEncodeRGBA(src->pixels, (int)src->width, (int)src->height,
                                    (int)src->stride, (float)quality, &data)
                   : WebPEncodeRGB(src->pixels, (int)src->width, (int)src->height, (int)src->stride,
                                   (float)quality, &data);
    tk_image_free(&wide);
    if (n == 0 || data == NULL) {
        WebPFree(data);
        tk_errf(err, errlen, "WebP: the encoder failed");
        return TK_ERR_ENCODE;
    }
    /* Hand out malloc'd memory like the other encoders (tk_result_free calls free). */
    *out = malloc(n);
    if (*out == NULL) {
        WebPFree(data);
        tk_errf(err, errlen, "WebP: cannot allocate %zu bytes", n);
        return TK_ERR_ENCODE;
    }
    memcpy(*out, data, n);
    WebPFree(data);
    *out_size = n;
    return TK_OK;
}
