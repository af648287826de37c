/*
 * config_internal.h — what the files of the configuration share (config.c, config_service.c):
 * the environment being read, how a failure is explained, and the strict parsers.
 * Not for use outside the configuration.
 */
#ifndef TK_LAMBDA_CONFIG_INTERNAL_H
#define TK_LAMBDA_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

/** The environment being read and where a failure is explained. */
struct config_loader {
    const struct env *env;
    char *err;
    size_t errlen;
};

/** @return the value of @p name, or NULL when unset or empty. */
const char *config_get(const struct config_loader *l, const char *name);

/** Write the message into the loader's error buffer. @return -1 */
int config_fail(const struct config_loader *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/** Strict unsigned decimal: digits only, no sign, no spaces, no overflow past @p max.
 *  @return 0, or -1 */
int config_parse_u64(const char *s, uint64_t max, uint64_t *out);

/** One side of a size (@p len bytes at @p s), 1..CONFIG_MAX_THUMB_SIDE. @return 0, or -1 */
int config_parse_side(const char *s, size_t len, uint32_t *out);

/** "N" (an N×N box) or "WxH" in the @p len bytes at @p s. @return 0, or -1 */
int config_parse_size(const char *s, size_t len, struct config_size *out);

/** @return whether @p b is a DNS-compatible S3 bucket name. */
bool config_valid_bucket(const char *b);

/** strdup into @p dst. @return 0, or -1 (message set) when memory runs out */
int config_dup(const struct config_loader *l, char **dst, const char *src);

/**
 * Check a key prefix named @p name: at most CONFIG_MAX_PREFIX_LEN bytes, not starting with
 * '/', no control characters. @return 0, or -1 with a message
 */
int config_check_prefix(const struct config_loader *l, const char *name, const char *v);

/** What config_each_item() calls for one entry [a, b) of the list @p v. @return 0, or -1 */
typedef int (*config_item_fn)(const struct config_loader *l, struct config *cfg, const char *v,
                              const char *a, const char *b);

/**
 * Call @p fn for each comma-separated entry of @p v, white space trimmed on both sides (an
 * entry may be empty: fn decides).
 * @return 0, or -1 as soon as fn fails
 */
int config_each_item(const struct config_loader *l, struct config *cfg, const char *v,
                     config_item_fn fn);

/** Load the image-service settings (THUMB_SIZES ... METRIC_MODE; see config.h) into @p cfg.
 *  @return 0, or -1 with a message */
int config_load_service(const struct config_loader *l, struct config *cfg);

#endif /* TK_LAMBDA_CONFIG_INTERNAL_H */
