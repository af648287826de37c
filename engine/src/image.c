/* image.c — tk_image allocation and release. */
#include "image.h"

#include <stdlib.h>
#include <string.h>

enum tk_status tk_image_alloc(struct tk_image *img, uint32_t w, uint32_t h, enum tk_layout layout) {
    memset(img, 0, sizeof(*img));
    if (w == 0 || h == 0) {
        return TK_ERR_INVALID_ARGUMENT;
    }
    size_t stride = (size_t)w * (size_t)layout;
    if (stride / (size_t)layout != w || (size_t)h > SIZE_MAX / stride) {
        return TK_ERR_TOO_LARGE;
    }
    img->pixels = malloc(stride * h);
    if (img->pixels == NULL) {
        return TK_ERR_NO_MEMORY;
    }
    img->width = w;
    img->height = h;
    img->stride = stride;
    img->layout = layout;
    return TK_OK;
}

void tk_image_free(struct tk_image *img) {
    if (img == NULL) {
        return;
    }
    free(img->pixels);
    memset(img, 0, sizeof(*img));
}
