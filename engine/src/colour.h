/* colour.h — the colour step: a source's colour description (ICC profile, HEIF nclx, PNG
 * cHRM/gAMA) to sRGB with LittleCMS, at thumbnail size, one transform per distinct profile. */
#ifndef TK_COLOUR_H
#define TK_COLOUR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "thumbkit.h"

/** How a source describes its colours. */
enum tk_colour_kind {
    TK_COLOUR_NONE = 0, /**< nothing: taken as sRGB */
    TK_COLOUR_SRGB,     /**< says sRGB outright (PNG sRGB chunk, nclx sRGB): nothing to do */
    TK_COLOUR_ICC,      /**< an embedded ICC profile */
    TK_COLOUR_PARAMS,   /**< primaries and a transfer function (HEIF nclx, PNG cHRM/gAMA) */
};

/** Transfer functions a PARAMS description can name. */
enum tk_transfer {
    TK_TRANSFER_SRGB = 0,
    TK_TRANSFER_BT709, /**< BT.709/601/2020 camera curve */
    TK_TRANSFER_GAMMA, /**< pure power law: linear = encoded ^ gamma */
};

/** A source's colour description; the decoders fill it, the pipeline releases it. */
struct tk_colour_src {
    enum tk_colour_kind kind;
    uint8_t *icc; /**< ICC: the profile, malloc'd, owned here */
    size_t icc_size;
    double xy[4][2]; /**< PARAMS: CIE xy of red, green, blue and the white point */
    enum tk_transfer transfer;
    double gamma;       /**< TK_TRANSFER_GAMMA: the exponent */
    bool cmyk_inverted; /**< JPEG CMYK with an Adobe marker: values are stored as 255 - ink */
};

/** Release what @p src owns and zero it. */
void tk_colour_src_free(struct tk_colour_src *src);

/** sRGB primaries and white (BT.709, D65), for descriptions that give only a transfer. */
void tk_colour_srgb_primaries(double xy[4][2]);

/** A transform to sRGB, cached and shared (opaque). */
struct tk_colour_xf;

/** The pixels a transform takes: an image layout, or CMYK rows from the JPEG decoder. */
enum tk_colour_input {
    TK_COLOUR_IN_GRAY = TK_LAYOUT_GRAY,
    TK_COLOUR_IN_GRAY_ALPHA = TK_LAYOUT_GRAY_ALPHA,
    TK_COLOUR_IN_RGB = TK_LAYOUT_RGB,
    TK_COLOUR_IN_RGBA = TK_LAYOUT_RGBA,
    TK_COLOUR_IN_CMYK = 5, /**< 4 bytes a pixel to RGB */
};

/**
 * The transform from @p src to sRGB for pixels of @p input, from the process-wide cache or
 * built and cached (LittleCMS is loaded on first use). Gray stays gray (sRGB tone curve),
 * alpha is copied. *@p xf is NULL when nothing is to be done: no description, an sRGB one, or
 * one that cannot be used — a malformed profile, one that does not fit the pixels, LittleCMS
 * missing — which is then named in @p warn and otherwise ignored (the image never fails for
 * its profile). *@p what says which: "none", "srgb" or "converted".
 * Thread-safe. Release a non-NULL *@p xf with tk_colour_release().
 */
void tk_colour_acquire(const struct tk_colour_src *src, enum tk_colour_input input,
                       struct tk_colour_xf **xf, const char **what, char *warn, size_t warnlen);

/** Convert @p img in place (same layout) with @p xf, which must have been acquired for it. */
void tk_colour_apply(const struct tk_colour_xf *xf, struct tk_image *img);

/** Convert @p w CMYK pixels at @p cmyk into RGB at @p rgb with a TK_COLOUR_IN_CMYK @p xf. */
void tk_colour_cmyk_row(const struct tk_colour_xf *xf, const uint8_t *cmyk, uint8_t *rgb,
                        uint32_t w);

/** Give back a transform from tk_colour_acquire(); NULL is fine. */
void tk_colour_release(struct tk_colour_xf *xf);

#endif
