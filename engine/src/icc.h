/* icc.h — a bounds-checked look at an ICC profile's header and tags, without LittleCMS:
 * enough to tell a profile that needs no conversion (sRGB) from one that does. */
#ifndef TK_ICC_H
#define TK_ICC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** The colour space of a profile's data side, as far as thumbkit cares. */
enum tk_icc_space {
    TK_ICC_OTHER = 0, /**< Lab, XYZ, n-colour, ... */
    TK_ICC_GRAY,
    TK_ICC_RGB,
    TK_ICC_CMYK,
};

/** What the header and tag table say. */
struct tk_icc_info {
    enum tk_icc_space space;
    bool srgb; /**< sRGB primaries (D50-adapted) and the sRGB tone curve: no conversion needed */
};

/**
 * Check @p p (@p n bytes) as an ICC profile: the declared size fits, the 'acsp' signature is
 * there, the tag table lies inside. On success fill @p info.
 * @return true for a profile worth handing to LittleCMS, false for a malformed one
 */
bool tk_icc_inspect(const uint8_t *p, size_t n, struct tk_icc_info *info);

#endif
