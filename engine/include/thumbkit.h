/*
 * thumbkit.h — the public API of libthumbkit.
 *
 * One call turns an encoded image held in memory into one or more encoded
 * thumbnails: sniff -> decode (shrink-on-load) -> resample -> colour (embedded
 * profile to sRGB) -> orient -> encode. Inputs: JPEG, PNG, WebP, HEIC/HEIF and
 * AVIF; outputs: JPEG, PNG, WebP. Thumbnails are sRGB and carry no profile.
 * The library does no I/O, never prints and never exits; every failure is a
 * tk_status plus a human-readable message in the result.
 *
 * Thread-safety: every function is reentrant; distinct calls may run on
 * distinct threads at the same time. The SIMD kernels are chosen once per
 * process (see tk_simd_name()).
 */
#ifndef THUMBKIT_H
#define THUMBKIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Most thumbnails one call can make from a single decode. */
#define TK_MAX_TARGETS 8

/** Default pixel limit (width x height of the stored image): 100 MP. */
#define TK_DEFAULT_MAX_PIXELS 100000000ULL
/** Default limit on encoded input size: 64 MiB. */
#define TK_DEFAULT_MAX_INPUT_BYTES (64u * 1024u * 1024u)
/** Default JPEG and WebP quality. */
#define TK_DEFAULT_QUALITY 85
/** Largest box side a target may ask for: the one limit both adapters (CLI, Lambda) use. */
#define TK_MAX_BOX_SIDE 8192u
/** Largest side of a source image, stored or decoded, in pixels (JPEG's own limit). A longer
 *  side is refused from the header with TK_ERR_TOO_LARGE, whatever the pixel count: row
 *  buffers and the resampler's tables grow with a side, not with the area. */
#define TK_MAX_SOURCE_SIDE 65535u

/** Result of every fallible call. Values are stable: never renumber. */
enum tk_status {
    TK_OK = 0,
    TK_ERR_INVALID_ARGUMENT = 1, /**< bad options or arguments from the caller */
    TK_ERR_NOT_AN_IMAGE = 2,     /**< bytes are not a format thumbkit knows */
    TK_ERR_UNSUPPORTED = 3,      /**< a known format in a variant we cannot decode */
    TK_ERR_CORRUPT = 4,          /**< corrupt or truncated image data */
    TK_ERR_TOO_LARGE = 5,        /**< over max_pixels or max_input_bytes */
    TK_ERR_NO_MEMORY = 6,        /**< an allocation failed */
    TK_ERR_ENCODE = 7,           /**< the encoder failed */
    TK_ERR_OVER_BUDGET = 8,      /**< decoding would need more memory than max_memory allows */
};

/** @return a fixed English sentence for @p s ("image data is corrupt or truncated"). */
const char *tk_status_str(enum tk_status s);

/** @return a stable lower-case identifier for @p s ("corrupt"), for logs and metrics. */
const char *tk_status_name(enum tk_status s);

/** Encoded image formats. */
enum tk_format {
    TK_FORMAT_UNKNOWN = -1, /**< from tk_sniff() and tk_format_from_extension(): not a format
                                 thumbkit knows; never valid as an output format */
    TK_FORMAT_SAME = 0,     /**< output only: same format as the input */
    TK_FORMAT_JPEG = 1,
    TK_FORMAT_PNG = 2,
    TK_FORMAT_WEBP = 3, /**< input (lossy, lossless, alpha, first frame of an animation), output */
    TK_FORMAT_HEIC = 4, /**< input only: HEIF with HEVC images (iPhone photos) */
    TK_FORMAT_AVIF = 5, /**< input only: HEIF with AV1 images */
};

/** @return "jpeg", "png", "webp", "heic", "avif", "same" or "unknown". */
const char *tk_format_name(enum tk_format f);
/** @return the MIME type ("image/jpeg"), or NULL for TK_FORMAT_SAME and TK_FORMAT_UNKNOWN. */
const char *tk_format_mime(enum tk_format f);
/** @return the usual file extension without dot ("jpg", "png"), or NULL for SAME and UNKNOWN. */
const char *tk_format_ext(enum tk_format f);
/** Parse an output format "jpeg"/"jpg"/"png"/"webp"/"same" (case-insensitive). Input-only
 *  formats (HEIC, AVIF) are refused.
 *  @return TK_OK or TK_ERR_INVALID_ARGUMENT. */
enum tk_status tk_format_parse(const char *s, enum tk_format *out);

/** @return true when thumbkit can write @p f (JPEG, PNG, WebP). */
bool tk_format_writable(enum tk_format f);

/**
 * The input format a file extension usually means, ignoring ASCII case: "jpg", "jpeg", "jpe",
 * "jfif" -> TK_FORMAT_JPEG, "png" -> TK_FORMAT_PNG, "webp" -> TK_FORMAT_WEBP, "heic", "heif",
 * "hif" -> TK_FORMAT_HEIC, "avif" -> TK_FORMAT_AVIF. Only a hint for choosing which names to
 * try: tk_thumbnail() always decides from the bytes.
 * @param ext  the extension without its dot; NULL is allowed
 * @return the format, or TK_FORMAT_UNKNOWN
 */
enum tk_format tk_format_from_extension(const char *ext);

/** @return the input extensions tk_format_from_extension() knows, comma-separated and
 *  lower-case ("jpg,jpeg,jpe,jfif,png,webp,heic,heif,hif,avif"): a default for allow-lists.
 *  Static storage. */
const char *tk_input_extensions(void);

/**
 * The format a thumbnail of a @p source image is written in when @p requested is asked for:
 * @p requested itself, or for TK_FORMAT_SAME the source's format, JPEG for a source thumbkit
 * reads but cannot write (HEIC, AVIF).
 * @return a concrete format, or TK_FORMAT_UNKNOWN when SAME meets an unknown source
 */
enum tk_format tk_format_resolve(enum tk_format requested, enum tk_format source);

/** Resampling filters. */
enum tk_filter {
    TK_FILTER_LANCZOS3 = 0, /**< default: sharpest, slight ringing */
    TK_FILTER_CATMULL_ROM = 1,
    TK_FILTER_BILINEAR = 2,
    TK_FILTER_BOX = 3,
};

/** @return "lanczos3", "catmull-rom", "bilinear" or "box". */
const char *tk_filter_name(enum tk_filter f);
/** Parse a filter name as printed by tk_filter_name() (also "bicubic" for Catmull-Rom). */
enum tk_status tk_filter_parse(const char *s, enum tk_filter *out);

/** How a thumbnail fits its box. */
enum tk_fit {
    TK_FIT_INSIDE = 0, /**< scale to fit inside the box, keep aspect ratio */
    TK_FIT_COVER = 1,  /**< scale to cover the box, then crop the centre to exactly the box */
};

/** @return "inside" or "cover". */
const char *tk_fit_name(enum tk_fit f);
/** Parse "inside" or "cover" (case-insensitive). @return TK_OK or TK_ERR_INVALID_ARGUMENT. */
enum tk_status tk_fit_parse(const char *s, enum tk_fit *out);

/** One requested thumbnail. Never upscales: a source smaller than the box keeps its size. */
struct tk_target {
    uint32_t width;  /**< box width in pixels, >= 1 */
    uint32_t height; /**< box height in pixels, >= 1 */
    enum tk_fit fit;
};

/** Options for tk_thumbnail(). Always start from tk_options_init(). */
struct tk_options {
    struct tk_target targets[TK_MAX_TARGETS];
    size_t n_targets;       /**< 1..TK_MAX_TARGETS */
    enum tk_format format;  /**< output format; default TK_FORMAT_JPEG */
    int quality;            /**< JPEG and (lossy) WebP quality 1..100; default 85 */
    bool progressive;       /**< progressive JPEG output; default false */
    bool jpeg_subsample;    /**< JPEG chroma at 4:2:0 (smaller files); default false: 4:4:4,
                                 which keeps a thumbnail's colours (mean CIEDE2000 1.8 instead
                                 of 2.2 on an iPhone photo at q85) for 15-35% more bytes */
    enum tk_filter filter;  /**< default TK_FILTER_LANCZOS3 */
    uint64_t max_pixels;    /**< refuse larger images from the header; default 100 MP */
    size_t max_input_bytes; /**< refuse larger inputs; default 64 MiB */
    uint8_t background[3];  /**< RGB under transparent pixels when writing JPEG; default white */
    bool shrink_on_load;    /**< let the decoder downscale (JPEG DCT scaling, WebP scaled
                                 decode, a HEIF's embedded thumbnail); default true */
    bool colour_manage;     /**< convert an embedded profile (ICC, nclx, PNG cHRM/gAMA) to
                                 sRGB; default true. Off: pixels are taken as sRGB */
    bool keep_pixels;       /**< also return each thumbnail's pixels before encoding */
    uint64_t max_memory;    /**< refuse (TK_ERR_OVER_BUDGET) an image whose estimated peak
                                 memory for this call exceeds this many bytes, from the header,
                                 before decoding; 0: no limit (default) */
};

/** Fill @p o with the defaults: one 256x256 fit-inside JPEG q85, Lanczos3. */
void tk_options_init(struct tk_options *o);

/** Pixel layouts; the value is the number of 8-bit channels. Alpha is straight (not premultiplied).
 */
enum tk_layout {
    TK_LAYOUT_GRAY = 1,
    TK_LAYOUT_GRAY_ALPHA = 2,
    TK_LAYOUT_RGB = 3,
    TK_LAYOUT_RGBA = 4,
};

/** An 8-bit image owned by whoever received it; release with tk_image_free(). */
struct tk_image {
    uint8_t *pixels;
    uint32_t width;
    uint32_t height;
    size_t stride; /**< bytes per row, >= width * layout */
    enum tk_layout layout;
};

/** Free the pixels of @p img and zero it. NULL and zeroed images are fine. */
void tk_image_free(struct tk_image *img);

/** One encoded thumbnail. */
struct tk_thumb {
    uint8_t *data; /**< encoded bytes, owned by the tk_result */
    size_t size;
    uint32_t width;
    uint32_t height;
    enum tk_format format;
    struct tk_image pixels; /**< the exact pixels that were encoded, only with keep_pixels */
};

/** What tk_thumbnail() made and learned. Zero it (or let tk_thumbnail do it); free with
 * tk_result_free(). */
struct tk_result {
    struct tk_thumb thumbs[TK_MAX_TARGETS];
    size_t n_thumbs;              /**< == opts->n_targets on success, 0 on failure */
    enum tk_format source_format; /**< sniffed from the bytes (TK_FORMAT_UNKNOWN if none) */
    uint32_t source_width;        /**< as stored, before orientation */
    uint32_t source_height;
    int orientation;        /**< EXIF orientation applied, 1..8 (1 when absent or invalid) */
    uint32_t decoded_width; /**< after shrink-on-load */
    uint32_t decoded_height;
    int decode_scale;   /**< shrink-on-load denominator: JPEG 1, 2, 4 or 8; PNG the larger of its
                             whole per-axis factors; WebP, HEIF thumbnail: the whole-number part
                             of the reduction */
    const char *colour; /**< what the colour step did: "none" (no profile or not managed),
                             "srgb" (an sRGB profile: nothing to do) or "converted" */
    char warning[160];  /**< a problem that did not fail the image (a malformed profile,
                             ignored), or "" */
    const char *isa;    /**< resampler kernels used: "scalar", "sse41", "avx2", "avx512" or
                             "neon" */
    double decode_ms;   /**< wall time per stage */
    double resample_ms;
    double colour_ms; /**< the colour transform, incl. building it on a cache miss */
    double encode_ms;
    /** The JPEG decoder that ran: "fast" (thumbkit's reduced-scale decoder) or "libjpeg";
     *  NULL for PNG. */
    const char *jpeg_decoder;
    /** Of decode_ms, the entropy decoding when the fast decoder ran (the rest is IDCT,
     *  upsampling and colour conversion); 0 otherwise (libjpeg interleaves the two). */
    double entropy_ms;
    char error[256]; /**< on failure: what went wrong, for a person */
};

/**
 * Make thumbnails of the encoded image @p data (@p size bytes).
 *
 * Decodes once, at the smallest DCT scale that still leaves 1.7x for the filter
 * of the largest target, then resamples, orients (EXIF) and encodes each target.
 * On failure nothing is returned in @p res but the status fields and @p res->error.
 * @p res is overwritten (not freed) on entry.
 * @return TK_OK or the first error.
 */
enum tk_status tk_thumbnail(const void *data, size_t size, const struct tk_options *opts,
                            struct tk_result *res);

/** Release everything tk_thumbnail() put in @p res. Safe on a zeroed or failed result. */
void tk_result_free(struct tk_result *res);

/**
 * Sniff the format of @p data from its first bytes (never from a name).
 * @return TK_FORMAT_JPEG, TK_FORMAT_PNG, TK_FORMAT_WEBP, TK_FORMAT_HEIC, TK_FORMAT_AVIF, or
 * TK_FORMAT_UNKNOWN.
 */
enum tk_format tk_sniff(const void *data, size_t size);

/**
 * Name an image format thumbkit recognises but does not read (GIF, TIFF, JPEG XL, camera RAW,
 * BMP, a HEIF with neither HEVC nor AV1 images), from the bytes, for "unsupported format: GIF".
 * @return a static name, or NULL when the bytes look like none of them
 */
const char *tk_sniff_unsupported(const void *data, size_t size);

/** @return the resampler kernels in use: "scalar", "sse41", "avx2", "avx512" or "neon". Chosen
 *  once per process from CPUID/XGETBV (x86-64) or AT_HWCAP (arm64), or forced with the
 *  environment variable TK_SIMD=scalar|sse41|avx2|avx512|neon. */
const char *tk_simd_name(void);

/** @return the library version, "MAJOR.MINOR.PATCH". */
const char *tk_version(void);

#ifdef __cplusplus
}
#endif
#endif /* THUMBKIT_H */
