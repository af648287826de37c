/* image.h — allocation of tk_image buffers. */
#ifndef TK_IMAGE_H
#define TK_IMAGE_H

#include "thumbkit.h"

/**
 * Allocate a contiguous (stride == width * layout) image of @p w x @p h.
 * @return TK_OK, TK_ERR_TOO_LARGE when the size overflows size_t, or TK_ERR_NO_MEMORY.
 */
enum tk_status tk_image_alloc(struct tk_image *img, uint32_t w, uint32_t h, enum tk_layout layout);

/** @return true when @p layout has an alpha channel. */
static inline int tk_layout_has_alpha(enum tk_layout layout) {
    return layout == TK_LAYOUT_GRAY_ALPHA || layout == TK_LAYOUT_RGBA;
}

#endif
