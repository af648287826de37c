/* sniff.c — format detection from magic bytes only. */
#include "thumbkit.h"

#include <string.h>

enum tk_format tk_sniff(const void *data, size_t size) {
    static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    const unsigned char *p = data;
    if (p == NULL) {
        return TK_FORMAT_UNKNOWN;
    }
    /* SOI followed by the first marker's 0xFF: a lone FF D8 is not enough. */
    if (size >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
        return TK_FORMAT_JPEG;
    }
    if (size >= sizeof(png_sig) && memcmp(p, png_sig, sizeof(png_sig)) == 0) {
        return TK_FORMAT_PNG;
    }
    return TK_FORMAT_UNKNOWN;
}
