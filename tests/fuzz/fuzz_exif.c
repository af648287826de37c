/*
 * fuzz_exif.c — libFuzzer target: the EXIF Orientation reader, on a JPEG APP1 payload and on
 * a bare TIFF block (PNG eXIf), the two ways untrusted EXIF reaches it.
 */
#include "exif.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int a = tk_exif_orientation_app1(data, size);
    int t = tk_exif_orientation_tiff(data, size);
    /* The documented ranges: 0 (not Exif) or 1..8 for APP1, 1..8 for TIFF. */
    if (a < 0 || a > 8 || t < 1 || t > 8) {
        abort();
    }
    return 0;
}
