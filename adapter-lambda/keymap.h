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
 * Recursion guard: when the source bucket is DEST_BUCKET, a source key that
 * starts with KEY_PREFIX is one of our own thumbnails and is skipped; since every
 * destination key starts with KEY_PREFIX, a thumbnail never triggers another.
 * That needs a non-empty prefix: an empty KEY_PREFIX with source == destination
 * bucket is refused (permanent failure with a clear message), never processed.
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
 *  2. skip when src_bucket == DEST_BUCKET and src_key starts with KEY_PREFIX (own output);
 *  3. skip when the extension is not in ALLOWED_EXTENSIONS;
 *  4. refuse when @p size (0 = unknown, not checked) exceeds MAX_INPUT_BYTES;
 *  5. refuse when the destination key would exceed KEYMAP_MAX_KEY_LEN bytes, with the
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

#endif /* TK_LAMBDA_KEYMAP_H */
