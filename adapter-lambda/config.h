/*
 * config.h — the function's configuration, read once at cold start from the
 * environment (a struct env, injected, so tests pass their own). Every variable, its
 * default and its accepted values are documented in adapter-lambda/README.md.
 *
 * An invalid value is reported by config_load() with a message that names the
 * variable and quotes the value; the runtime posts it to /init/error.
 *
 * Thread-safety: config_load() is reentrant; a loaded config is read-only.
 */
#ifndef TK_LAMBDA_CONFIG_H
#define TK_LAMBDA_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/env.h"
#include "log.h"
#include "thumbkit.h"

/** Most entries ALLOWED_EXTENSIONS may list. */
#define CONFIG_MAX_EXTENSIONS 16
/** Longest extension (bytes) in ALLOWED_EXTENSIONS. */
#define CONFIG_MAX_EXT_LEN 15
/** Longest KEY_PREFIX (bytes); S3 keys are at most 1024 bytes. */
#define CONFIG_MAX_PREFIX_LEN 512
/** Largest THUMB_SIZE side in pixels: the engine's one limit. */
#define CONFIG_MAX_THUMB_SIDE TK_MAX_BOX_SIDE
/** Longest value of the service's text settings (prefixes, ARNs, origins), in bytes. */
#define CONFIG_MAX_TEXT_LEN 512

/** Where the ImagesProcessed metric goes (METRIC_MODE). */
enum metric_mode {
    METRIC_MODE_EMF = 0, /**< an Embedded Metric Format log line (no call, no permission) */
    METRIC_MODE_API = 1, /**< one CloudWatch PutMetricData call per invocation */
    METRIC_MODE_BOTH = 2,
};

/** @return "emf", "api" or "both". */
const char *config_metric_mode_name(enum metric_mode m);

/** One thumbnail box of THUMB_SIZES (or THUMB_SIZE). */
struct config_size {
    uint32_t width, height;
};

/** Loaded configuration. Strings are owned; release with config_free(). */
struct config {
    char *dest_bucket;    /**< DEST_BUCKET (required) */
    uint32_t thumb_width; /**< THUMB_SIZE, default 256x256 */
    uint32_t thumb_height;
    enum tk_fit fit;       /**< THUMB_FIT, default TK_FIT_INSIDE */
    enum tk_format format; /**< OUTPUT_FORMAT, default TK_FORMAT_JPEG (SAME allowed) */
    int jpeg_quality;      /**< JPEG_QUALITY, default 85 */
    bool jpeg_subsample;   /**< JPEG_CHROMA=420 (default 444: full-resolution chroma) */
    enum tk_filter filter; /**< THUMB_FILTER, default TK_FILTER_LANCZOS3 */
    char *key_prefix;      /**< KEY_PREFIX, default "thumbnails/"; may be "" */
    char extensions[CONFIG_MAX_EXTENSIONS][CONFIG_MAX_EXT_LEN + 1]; /**< lower case, no dot */
    size_t n_extensions;      /**< ALLOWED_EXTENSIONS, default tk_input_extensions() */
    uint64_t max_input_bytes; /**< MAX_INPUT_BYTES, default 64 MiB */
    uint64_t max_pixels;      /**< MAX_PIXELS, default 100000000 */
    uint64_t memory_budget;   /**< bytes the engine may plan to use for one image (besides the
                                   downloaded object): AWS_LAMBDA_FUNCTION_MEMORY_SIZE minus
                                   headroom (config_memory_budget()); 0 when that is unset */
    char *metric_namespace;   /**< METRIC_NAMESPACE, default "INOW/Lambda101" */
    enum log_level log_level; /**< AWS_LAMBDA_LOG_LEVEL, default INFO */
    char *function_name;      /**< AWS_LAMBDA_FUNCTION_NAME, default "thumbkit" */
    char *region;             /**< AWS_REGION, else AWS_DEFAULT_REGION (one is required) */
    char *endpoint_url;       /**< AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, no trailing '/';
                                   NULL: the real AWS endpoint */
    bool path_style;          /**< true when endpoint_url is set (local S3 such as moto) */
    struct config_size sizes[TK_MAX_TARGETS]; /**< THUMB_SIZES (else THUMB_SIZE): the boxes */
    size_t n_sizes;                           /**< 1..TK_MAX_TARGETS */
    bool sized_keys;              /**< true when THUMB_SIZES is set: keys carry "WxH/" (keymap.h) */
    char *cache_control;          /**< THUMB_CACHE_CONTROL, NULL: no Cache-Control on the PUT */
    char *metadata_table;         /**< METADATA_TABLE, NULL: no DynamoDB record */
    char *notify_topic_arn;       /**< NOTIFY_TOPIC_ARN, NULL: no SNS message */
    char *archive_prefix;         /**< ARCHIVE_PREFIX, NULL: no zip archive */
    char *archive_bucket;         /**< ARCHIVE_BUCKET, NULL: the source bucket of each object */
    char *upload_bucket;          /**< UPLOAD_BUCKET, NULL: POST /images answers 501 */
    char *upload_prefix;          /**< UPLOAD_PREFIX, default "uploads/" */
    char *cors_allow_origin;      /**< CORS_ALLOW_ORIGIN, default "*" */
    uint32_t url_expires;         /**< URL_EXPIRES seconds of the presigned URLs, default 300 */
    enum metric_mode metric_mode; /**< METRIC_MODE, default METRIC_MODE_EMF */
    struct tk_options thumb;      /**< the engine options the settings above give: one target per
                                       size, built once by config_load() from tk_options_init() */
};

/**
 * The engine's memory budget in a function of @p memory_mb MB: the memory minus a headroom
 * for the runtime, libcurl and the libraries (an eighth of it, at least 32 MiB).
 * @return bytes, 0 when @p memory_mb is 0
 */
uint64_t config_memory_budget(uint64_t memory_mb);

/**
 * Load the configuration from @p env (NULL: the process environment).
 * An empty value counts as unset (default applies), except KEY_PREFIX, where
 * an empty value means "no prefix".
 *
 * @param cfg  overwritten (not freed) on entry; on failure left empty (safe to free)
 * @param err  receives e.g. "JPEG_QUALITY='0' is invalid: expected an integer from 1 to 100"
 * @return 0, or -1 with a message in @p err
 */
int config_load(struct config *cfg, const struct env *env, char *err, size_t errlen);

/** Free the strings of @p cfg and zero it. NULL and zeroed configs are fine. */
void config_free(struct config *cfg);

#endif /* TK_LAMBDA_CONFIG_H */
