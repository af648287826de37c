/* sniff.h — formats recognised from their bytes but not decoded (yet). */
#ifndef TK_SNIFF_H
#define TK_SNIFF_H

#include <stddef.h>

/**
 * Name the image format of @p data when it is one thumbkit recognises but cannot decode:
 * "HEIC", "AVIF", "WebP", "GIF", "TIFF", "JPEG XL" or "BMP". Decoded formats (tk_sniff()) and
 * unknown bytes give NULL.
 * @return a static string, or NULL
 */
const char *tk_sniff_unsupported(const void *data, size_t size);

#endif
