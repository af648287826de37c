/*
 * keymap.h — which objects to process and where their thumbnails go.
 *
 * Destination key:  KEY_PREFIX + source_key + "." + ext
 * where ext is tk_format_ext() of the thumbnail's format, as the engine decided it ("jpg",
 * "png"). The source key is kept whole, extension included ("a.png" -> "thumbnails/a.png.jpg").
 *
 * Injectivity (no two sources share a thumbnail): for a fixed prefix P, let
 * f(k, e) = P + k + "." + e. No extension contains a '.' (keymap_dest_key() refuses one that
 * does), so in d = f(k, e) the last '.' is the one f added: e is what follows it, P is the
 * first |P| bytes, and k is exactly what lies between. f has an inverse, so distinct (k, e)
 * give distinct keys, whatever the lengths of the extensions. In particular "a.png" and
 * "a.jpg" map to "P a.png.jpg" and "P a.jpg.jpg" (replacing the extension instead would
 * collide), and "a.jpg" vs "a.jpg.jpg" stay distinct. With OUTPUT_FORMAT=same, e follows the
 * input format the engine found; each source still has exactly one destination, and the
 * argument above still applies.
 *
 * Several sizes (THUMB_SIZES): the key of each size is
 *     KEY_PREFIX + "<W>x<H>/" + source_key + "." + ext      ("thumbnails/128x128/a.png.jpg")
 * with W and H in decimal without leading zeros. It is f above with the prefix P + label + "/":
 * in d, P is the first |P| bytes, the label is what follows up to the first '/' (a label has
 * none), and the rest inverts as above. config_load() refuses a size listed twice, and
 * distinct sizes have distinct labels, so (size, k, e) -> d is injective too. With THUMB_SIZE
 * alone (no THUMB_SIZES) the key has no label, as before.
 *
 * Archive key: ARCHIVE_PREFIX + source_key + ".zip" (injective: strip the prefix and ".zip").
 *
 * Recursion guard: a source key that starts with KEY_PREFIX (one of our thumbnails) or with
 * ARCHIVE_PREFIX (one of our archives) is skipped in every bucket; since every key we write
 * starts with one of them, our output never triggers more output. That needs a non-empty
 * KEY_PREFIX when the source bucket is DEST_BUCKET: an empty one is refused (permanent
 * failure with a clear message), never processed.
 *
 * Thread-safety: reentrant.
 */
#ifndef TK_LAMBDA_KEYMAP_H
#define TK_LAMBDA_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "thumbkit.h"

/** Longest S3 object key, in bytes. */
#define KEYMAP_MAX_KEY_LEN 1024
/** Room for a size label "WxH" and its NUL. */
#define KEYMAP_MAX_LABEL 24

/** Decision about one source object. */
enum keymap_verdict {
    KEYMAP_PROCESS, /**< make a thumbnail */
    KEYMAP_SKIP,    /**< not for us: count as skipped (JOB_SKIPPED) */
    KEYMAP_REFUSE,  /**< must not be processed and is an error: JOB_FAILED_PERMANENT */
};

/**
 * The extension of @p key: the bytes after the last '.' of the last path segment
 * (after the last '/'). "a/b.c/d" has none; "x.JPG" gives "JPG"; "x." gives "".
 * @return a pointer into @p key, or NULL when the last segment has no '.'
 */
const char *keymap_extension(const char *key);

/**
 * Whether the extension of @p key is one of @p cfg->extensions, ignoring ASCII case.
 * @return true when allowed
 */
bool keymap_ext_allowed(const struct config *cfg, const char *key);

/**
 * Decide whether to process @p src_bucket/@p src_key, in this order:
 *  1. refuse when src_bucket == DEST_BUCKET and KEY_PREFIX is empty (recursion risk);
 *  2. skip when src_key starts with KEY_PREFIX or ARCHIVE_PREFIX (own output), any bucket;
 *  3. skip when the extension is not in ALLOWED_EXTENSIONS;
 *  4. refuse when @p size (0 = unknown, not checked) exceeds MAX_INPUT_BYTES;
 *  5. refuse when a destination key (the longest size label included) would exceed
 *     KEYMAP_MAX_KEY_LEN bytes, with the
 *     extension of OUTPUT_FORMAT (or, for "same", of the format tk_format_from_extension()
 *     reads in the key; when that is unknown only keymap_dest_key() can tell, after decoding).
 * @param reason  receives static text explaining a skip or refusal (NULL for PROCESS)
 * @return the verdict
 */
enum keymap_verdict keymap_filter(const struct config *cfg, const char *src_bucket,
                                  const char *src_key, uint64_t size, const char **reason);

/**
 * Build the destination key @p prefix + @p src_key + "." + tk_format_ext(@p fmt).
 * @param fmt  the thumbnail's format (concrete: TK_FORMAT_SAME and UNKNOWN are refused)
 * @param out  receives a malloc'd string (free())
 * @return 0; -1 when fmt has no extension (or one with a '.'), the key would exceed
 *         KEYMAP_MAX_KEY_LEN bytes, or memory runs out
 */
int keymap_dest_key(const char *prefix, const char *src_key, enum tk_format fmt, char **out);

/**
 * Write the label of @p size ("128x128", "1024x768") into @p out.
 * @return its length
 */
size_t keymap_size_label(struct config_size size, char out[KEYMAP_MAX_LABEL]);

/**
 * The key of the thumbnail of @p src_key at size @p size_index of @p cfg in format @p fmt:
 * keymap_dest_key() with KEY_PREFIX, plus the size label when cfg->sized_keys (see above).
 * @param out  receives a malloc'd string (free())
 * @return 0, or -1 as keymap_dest_key() (or a size index out of range)
 */
int keymap_thumb_key(const struct config *cfg, const char *src_key, size_t size_index,
                     enum tk_format fmt, char **out);

/**
 * The archive key ARCHIVE_PREFIX + @p src_key + ".zip".
 * @param out  receives a malloc'd string (free())
 * @return 0, or -1 when ARCHIVE_PREFIX is unset, the key would exceed KEYMAP_MAX_KEY_LEN
 *         bytes, or memory runs out
 */
int keymap_archive_key(const struct config *cfg, const char *src_key, char **out);

#endif /* TK_LAMBDA_KEYMAP_H */
