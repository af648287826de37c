/* sniff.h — the ISO BMFF 'ftyp' brand check behind tk_sniff() (exposed for the fuzz target). */
#ifndef TK_SNIFF_H
#define TK_SNIFF_H

#include <stddef.h>
#include <stdint.h>

/** What the brands of an 'ftyp' box say about a file. */
enum tk_heif_brand {
    TK_HEIF_BRAND_NONE = 0, /**< no ftyp box, or none of the brands below */
    TK_HEIF_BRAND_AV1,      /**< AVIF */
    TK_HEIF_BRAND_HEVC,     /**< HEIC */
    TK_HEIF_BRAND_HEIF,     /**< HEIF structure (mif1, msf1, miaf) without a codec brand */
    TK_HEIF_BRAND_RAW,      /**< Canon CR3 */
    TK_HEIF_BRAND_JXL,      /**< JPEG XL in its container */
    TK_HEIF_BRAND_OTHER,    /**< HEIF with another codec (VVC, JPEG 2000, JPEG) */
};

/**
 * Read the leading 'ftyp' box of @p p: the major brand when it names a codec, else the first
 * codec brand among the compatible ones, else the major brand's family. Reads at most the
 * box (<= 4096 bytes) and never past @p size.
 * @return the family, or TK_HEIF_BRAND_NONE
 */
enum tk_heif_brand tk_sniff_ftyp(const uint8_t *p, size_t size);

#endif
