/* exif.h — the EXIF Orientation tag, read with strict bounds checks. */
#ifndef TK_EXIF_H
#define TK_EXIF_H

#include <stddef.h>
#include <stdint.h>

/**
 * Orientation from a TIFF structure (as in a PNG eXIf chunk), either byte order.
 * @return 1..8, or 1 when the tag is absent, malformed or out of range.
 */
int tk_exif_orientation_tiff(const uint8_t *tiff, size_t len);

/**
 * Orientation from a JPEG APP1 payload ("Exif\0\0" then TIFF).
 * @return 1..8, or 0 when the payload is not Exif (so the caller can try the next APP1).
 */
int tk_exif_orientation_app1(const uint8_t *app1, size_t len);

#endif
