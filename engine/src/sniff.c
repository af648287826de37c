/* sniff.c — format detection from magic bytes only: what thumbkit reads, and the names of
 * formats it recognises but does not read. */
#include "sniff.h"
#include "thumbkit.h"

#include <string.h>

/* An ISO BMFF 'ftyp' box is at most this long in any real file; a longer one is not trusted. */
#define FTYP_MAX 4096

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool has_prefix(const unsigned char *p, size_t size, const void *magic, size_t n) {
    return size >= n && memcmp(p, magic, n) == 0;
}

/* The brand families of HEIF (ISO/IEC 23008-12, MIAF) and what each means for thumbkit. */
static const struct {
    char brand[5];
    enum tk_heif_brand kind;
} brands[] = {
    {"avif", TK_HEIF_BRAND_AV1},   {"avis", TK_HEIF_BRAND_AV1},   {"avio", TK_HEIF_BRAND_AV1},
    {"heic", TK_HEIF_BRAND_HEVC},  {"heix", TK_HEIF_BRAND_HEVC},  {"heim", TK_HEIF_BRAND_HEVC},
    {"heis", TK_HEIF_BRAND_HEVC},  {"hevc", TK_HEIF_BRAND_HEVC},  {"hevx", TK_HEIF_BRAND_HEVC},
    {"hevm", TK_HEIF_BRAND_HEVC},  {"hevs", TK_HEIF_BRAND_HEVC},  {"mif1", TK_HEIF_BRAND_HEIF},
    {"msf1", TK_HEIF_BRAND_HEIF},  {"mif2", TK_HEIF_BRAND_HEIF},  {"miaf", TK_HEIF_BRAND_HEIF},
    {"crx ", TK_HEIF_BRAND_RAW},   {"jxl ", TK_HEIF_BRAND_JXL},   {"vvic", TK_HEIF_BRAND_OTHER},
    {"j2ki", TK_HEIF_BRAND_OTHER}, {"jpeg", TK_HEIF_BRAND_OTHER},
};

static enum tk_heif_brand brand_of(const unsigned char *b) {
    for (size_t i = 0; i < sizeof(brands) / sizeof(brands[0]); i++) {
        if (memcmp(b, brands[i].brand, 4) == 0) {
            return brands[i].kind;
        }
    }
    return TK_HEIF_BRAND_NONE;
}

enum tk_heif_brand tk_sniff_ftyp(const uint8_t *p, size_t size) {
    if (p == NULL || size < 16 || memcmp(p + 4, "ftyp", 4) != 0) {
        return TK_HEIF_BRAND_NONE;
    }
    uint32_t box = be32(p);
    if (box < 16 || box > FTYP_MAX || box % 4 != 0) {
        return TK_HEIF_BRAND_NONE;
    }
    size_t end = box < size ? box : size; /* a truncated box: judge the brands we have */
    /* The major brand decides when it names a codec; otherwise the compatible brands do,
     * AV1 and HEVC before the structural brands (mif1) that say nothing of the codec. */
    enum tk_heif_brand major = brand_of(p + 8);
    if (major != TK_HEIF_BRAND_NONE && major != TK_HEIF_BRAND_HEIF) {
        return major;
    }
    enum tk_heif_brand best = major;
    for (size_t at = 16; at + 4 <= end; at += 4) {
        enum tk_heif_brand b = brand_of(p + at);
        if (b == TK_HEIF_BRAND_AV1 || b == TK_HEIF_BRAND_HEVC) {
            return b;
        }
        if (best == TK_HEIF_BRAND_NONE) {
            best = b;
        }
    }
    return best;
}

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
    if (has_prefix(p, size, png_sig, sizeof(png_sig))) {
        return TK_FORMAT_PNG;
    }
    if (size >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0) {
        return TK_FORMAT_WEBP;
    }
    switch (tk_sniff_ftyp(p, size)) {
    case TK_HEIF_BRAND_AV1:
        return TK_FORMAT_AVIF;
    case TK_HEIF_BRAND_HEVC:
        return TK_FORMAT_HEIC;
    default:
        return TK_FORMAT_UNKNOWN;
    }
}

/* Magic numbers of formats thumbkit names but does not read. Camera RAW files that are TIFF
 * inside (NEF, CR2, DNG, ARW) are named TIFF: the bytes cannot tell them apart cheaply. */
static const struct {
    const char *magic;
    size_t len;
    const char *name;
} unsupported[] = {
    {"GIF87a", 6, "GIF"},
    {"GIF89a", 6, "GIF"},
    {"II*\0", 4, "TIFF (or a TIFF-based camera RAW)"},
    {"MM\0*", 4, "TIFF (or a TIFF-based camera RAW)"},
    {"II+\0", 4, "BigTIFF"},
    {"MM\0+", 4, "BigTIFF"},
    {"\xff\x0a", 2, "JPEG XL"},
    {"\0\0\0\x0cJXL \x0d\x0a\x87\x0a", 12, "JPEG XL"},
    {"IIRO", 4, "camera RAW (Olympus ORF)"},
    {"IIU\0", 4, "camera RAW (Panasonic RW2)"},
    {"FUJIFILMCCD-RAW", 15, "camera RAW (Fujifilm RAF)"},
    {"BM", 2, "BMP"},
    {"\0\0\0\x0cjP  \x0d\x0a\x87\x0a", 12, "JPEG 2000"},
    {"\xff\x4f\xff\x51", 4, "JPEG 2000"},
    {"8BPS", 4, "Photoshop PSD"},
    {"\0\0\1\0", 4, "ICO"},
};

const char *tk_sniff_unsupported(const void *data, size_t size) {
    const unsigned char *p = data;
    if (p == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++) {
        if (has_prefix(p, size, unsupported[i].magic, unsupported[i].len)) {
            return unsupported[i].name;
        }
    }
    switch (tk_sniff_ftyp(p, size)) {
    case TK_HEIF_BRAND_RAW:
        return "camera RAW (Canon CR3)";
    case TK_HEIF_BRAND_JXL:
        return "JPEG XL";
    case TK_HEIF_BRAND_HEIF:
    case TK_HEIF_BRAND_OTHER:
        return "HEIF with neither HEVC nor AV1 images";
    default:
        return NULL;
    }
}
