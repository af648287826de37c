/* sniff.c — format detection from magic bytes only. */
#include "sniff.h"
#include "thumbkit.h"

#include <stdint.h>
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

static int starts(const unsigned char *p, size_t size, const char *sig, size_t n) {
    return size >= n && memcmp(p, sig, n) == 0;
}

/* HEIF family (ISO BMFF "ftyp" box first): the major brand, else a compatible brand, says
 * which. AVIF wins over a generic HEIF brand such as "mif1". */
static const char *bmff_name(const unsigned char *p, size_t size) {
    static const char *const heic[] = {"heic", "heix", "hevc", "hevx", "heim",
                                       "heis", "mif1", "msf1", "mif2"};
    if (size < 16 || memcmp(p + 4, "ftyp", 4) != 0) {
        return NULL;
    }
    uint32_t box = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    size_t end = box >= 16 && box < size ? box : size;
    const char *name = NULL;
    /* brands: the major one at 8, then the compatible ones from 16 on (12 is a version) */
    for (size_t at = 8; at + 4 <= end; at += at == 8 ? 8 : 4) {
        if (memcmp(p + at, "avif", 4) == 0 || memcmp(p + at, "avis", 4) == 0) {
            return "AVIF";
        }
        for (size_t i = 0; name == NULL && i < sizeof heic / sizeof heic[0]; i++) {
            name = memcmp(p + at, heic[i], 4) == 0 ? "HEIC" : NULL;
        }
    }
    return name;
}

const char *tk_sniff_unsupported(const void *data, size_t size) {
    static const char jxl_box[] = "\0\0\0\x0cJXL \r\n\x87\n";
    const unsigned char *p = data;
    if (p == NULL) {
        return NULL;
    }
    const char *bmff = bmff_name(p, size);
    if (bmff != NULL) {
        return bmff;
    }
    if (size >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0) {
        return "WebP";
    }
    if (starts(p, size, "GIF87a", 6) || starts(p, size, "GIF89a", 6)) {
        return "GIF";
    }
    if (starts(p, size, "II*\0", 4) || starts(p, size, "MM\0*", 4) || starts(p, size, "II+\0", 4) ||
        starts(p, size, "MM\0+", 4)) {
        return "TIFF";
    }
    if (starts(p, size, "\xff\x0a", 2) || starts(p, size, jxl_box, sizeof jxl_box - 1)) {
        return "JPEG XL";
    }
    /* "BM" alone is too weak: also ask for a known DIB header size at offset 14. */
    if (size >= 18 && p[0] == 'B' && p[1] == 'M') {
        uint32_t dib =
            (uint32_t)p[14] | (uint32_t)p[15] << 8 | (uint32_t)p[16] << 16 | (uint32_t)p[17] << 24;
        if (dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 ||
            dib == 124) {
            return "BMP";
        }
    }
    return NULL;
}
