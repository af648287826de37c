/* exif.c — find tag 0x0112 (Orientation) in IFD0 of an EXIF TIFF block. */
#include "exif.h"

#include <string.h>

#define TAG_ORIENTATION 0x0112
#define TYPE_SHORT      3
#define TYPE_LONG       4
#define IFD_ENTRY_SIZE  12

static uint32_t rd16(const uint8_t *p, int big) {
    return big ? (uint32_t)(p[0] << 8 | p[1]) : (uint32_t)(p[1] << 8 | p[0]);
}

static uint32_t rd32(const uint8_t *p, int big) {
    return big ? ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3])
               : ((uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0]);
}

int tk_exif_orientation_tiff(const uint8_t *tiff, size_t len) {
    if (tiff == NULL || len < 8) {
        return 1;
    }
    int big;
    if (tiff[0] == 'I' && tiff[1] == 'I') {
        big = 0;
    } else if (tiff[0] == 'M' && tiff[1] == 'M') {
        big = 1;
    } else {
        return 1;
    }
    if (rd16(tiff + 2, big) != 42) {
        return 1;
    }
    uint32_t ifd = rd32(tiff + 4, big);
    /* Subtractions only, so no offset arithmetic can wrap. */
    if (ifd > len || len - ifd < 2) {
        return 1;
    }
    uint32_t n = rd16(tiff + ifd, big);
    if ((len - ifd - 2) / IFD_ENTRY_SIZE < n) {
        return 1;
    }
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = tiff + ifd + 2 + (size_t)i * IFD_ENTRY_SIZE;
        if (rd16(e, big) != TAG_ORIENTATION) {
            continue;
        }
        uint32_t type = rd16(e + 2, big);
        uint32_t count = rd32(e + 4, big);
        uint32_t v;
        if (type == TYPE_SHORT && count == 1) {
            v = rd16(e + 8, big);
        } else if (type == TYPE_LONG && count == 1) {
            v = rd32(e + 8, big);
        } else {
            return 1;
        }
        return (v >= 1 && v <= 8) ? (int)v : 1;
    }
    return 1;
}

int tk_exif_orientation_app1(const uint8_t *app1, size_t len) {
    static const uint8_t hdr[6] = {'E', 'x', 'i', 'f', 0, 0};
    if (app1 == NULL || len < sizeof(hdr) || memcmp(app1, hdr, sizeof(hdr)) != 0) {
        return 0;
    }
    return tk_exif_orientation_tiff(app1 + sizeof(hdr), len - sizeof(hdr));
}
