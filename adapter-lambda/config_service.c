/* config_service.c — the image-service settings of the configuration: several sizes, the
 * Cache-Control of thumbnails, the DynamoDB record, SNS, the zip archive, the HTTP API and
 * the metric mode (see config.h and adapter-lambda/README.md). */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "config_internal.h"

#define DEFAULT_UPLOAD_PREFIX "uploads/"
#define DEFAULT_CORS_ORIGIN   "*"
#define DEFAULT_URL_EXPIRES   300
#define MAX_URL_EXPIRES       604800 /* SigV4 presigned URLs live at most 7 days */

static const char *const metric_mode_names[] = {"emf", "api", "both"};

const char *config_metric_mode_name(enum metric_mode m) {
    if ((unsigned)m >= sizeof metric_mode_names / sizeof metric_mode_names[0]) {
        return "emf";
    }
    return metric_mode_names[m];
}

/* One entry of THUMB_SIZES: a new, distinct box. */
static int size_item(const struct config_loader *l, struct config *cfg, const char *v,
                     const char *a, const char *b) {
    struct config_size sz;
    if (cfg->n_sizes == TK_MAX_TARGETS) {
        return config_fail(l, "THUMB_SIZES='%s' is invalid: more than %d sizes", v, TK_MAX_TARGETS);
    }
    if (config_parse_size(a, (size_t)(b - a), &sz) != 0) {
        return config_fail(l,
                           "THUMB_SIZES='%s' is invalid: expected a comma-separated list of "
                           "N or WxH with sides from 1 to %u (e.g. 128,256,1024x768)",
                           v, CONFIG_MAX_THUMB_SIDE);
    }
    for (size_t i = 0; i < cfg->n_sizes; i++) {
        if (cfg->sizes[i].width == sz.width && cfg->sizes[i].height == sz.height) {
            return config_fail(l, "THUMB_SIZES='%s' is invalid: %ux%u is listed twice", v, sz.width,
                               sz.height);
        }
    }
    cfg->sizes[cfg->n_sizes++] = sz;
    return 0;
}

/* THUMB_SIZES: up to TK_MAX_TARGETS distinct boxes; else the one box of THUMB_SIZE. */
static int load_sizes(const struct config_loader *l, struct config *cfg) {
    const char *v = config_get(l, "THUMB_SIZES");
    if (v == NULL) {
        cfg->sizes[0] = (struct config_size){cfg->thumb_width, cfg->thumb_height};
        cfg->n_sizes = 1;
        return 0;
    }
    cfg->n_sizes = 0;
    if (config_each_item(l, cfg, v, size_item) != 0) {
        return -1;
    }
    cfg->sized_keys = true;
    cfg->thumb_width = cfg->sizes[0].width;
    cfg->thumb_height = cfg->sizes[0].height;
    return 0;
}

/* Printable ASCII (spaces allowed when @p space), 1..max bytes. */
static bool printable(const char *v, size_t max, bool space) {
    size_t n = strlen(v);
    if (n == 0 || n > max) {
        return false;
    }
    for (const char *p = v; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c > 0x7e || (c == ' ' && !space)) {
            return false;
        }
    }
    return true;
}

/* DynamoDB table names: 3..255 of A-Z a-z 0-9 _ - . */
static bool valid_table(const char *t) {
    size_t n = strlen(t);
    if (n < 3 || n > 255) {
        return false;
    }
    for (const char *p = t; *p; p++) {
        if (!isalnum((unsigned char)*p) && !strchr("_-.", *p)) {
            return false;
        }
    }
    return true;
}

/* arn:PARTITION:sns:REGION:ACCOUNT:NAME with a 12-digit account and a topic name of
 * A-Z a-z 0-9 _ - (optionally ".fifo"). */
static bool valid_topic_arn(const char *a) {
    char part[6][260];
    size_t k = 0, n = 0;
    if (!printable(a, 1024, false)) {
        return false;
    }
    for (const char *p = a;; p++) {
        if (*p == ':' || *p == '\0') {
            if (k == 6 || n >= sizeof part[0]) {
                return false;
            }
            part[k][n] = '\0';
            k++;
            n = 0;
            if (*p == '\0') {
                break;
            }
        } else if (k < 6 && n + 1 < sizeof part[0]) {
            part[k][n++] = *p;
        } else {
            return false;
        }
    }
    if (k != 6 || strcmp(part[0], "arn") != 0 || part[1][0] == '\0' ||
        strcmp(part[2], "sns") != 0 || part[3][0] == '\0' || strlen(part[4]) != 12 ||
        strspn(part[4], "0123456789") != 12 || part[5][0] == '\0') {
        return false;
    }
    size_t nl = strlen(part[5]);
    if (nl > 5 && strcmp(part[5] + nl - 5, ".fifo") == 0) {
        nl -= 5;
    }
    for (size_t i = 0; i < nl; i++) {
        if (!isalnum((unsigned char)part[5][i]) && part[5][i] != '_' && part[5][i] != '-') {
            return false;
        }
    }
    return true;
}

/* Whether one of two prefixes starts the other (keys under one could be under the other). */
static bool overlap(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    return na && nb && strncmp(a, b, na < nb ? na : nb) == 0;
}

/* An optional text setting checked by @p ok; NULL when unset. */
static int load_text(const struct config_loader *l, const char *name, bool (*ok)(const char *),
                     const char *expected, char **dst) {
    const char *v = config_get(l, name);
    if (v == NULL) {
        return 0;
    }
    if (!ok(v)) {
        return config_fail(l, "%s='%s' is invalid: expected %s", name, v, expected);
    }
    return config_dup(l, dst, v);
}

static bool valid_cache_control(const char *v) {
    return printable(v, 256, true);
}

/* "*" or an origin scheme://host[:port] without path. */
static bool valid_origin(const char *v) {
    if (strcmp(v, "*") == 0) {
        return true;
    }
    const char *rest = strncmp(v, "https://", 8) == 0  ? v + 8
                       : strncmp(v, "http://", 7) == 0 ? v + 7
                                                       : NULL;
    return rest && *rest && !strchr(rest, '/') && printable(v, CONFIG_MAX_TEXT_LEN, false);
}

static int load_archive(const struct config_loader *l, struct config *cfg) {
    const char *v = config_get(l, "ARCHIVE_PREFIX");
    if (v != NULL) {
        if (config_check_prefix(l, "ARCHIVE_PREFIX", v) != 0) {
            return -1;
        }
        if (overlap(v, cfg->key_prefix)) {
            return config_fail(l,
                               "ARCHIVE_PREFIX='%s' is invalid: it overlaps KEY_PREFIX='%s' "
                               "(archives and thumbnails need prefixes of their own)",
                               v, cfg->key_prefix);
        }
        if (config_dup(l, &cfg->archive_prefix, v) != 0) {
            return -1;
        }
    }
    return load_text(l, "ARCHIVE_BUCKET", config_valid_bucket, "an S3 bucket name",
                     &cfg->archive_bucket);
}

static int load_api(const struct config_loader *l, struct config *cfg) {
    if (load_text(l, "UPLOAD_BUCKET", config_valid_bucket, "an S3 bucket name",
                  &cfg->upload_bucket) != 0) {
        return -1;
    }
    const char *v = config_get(l, "UPLOAD_PREFIX");
    v = v ? v : DEFAULT_UPLOAD_PREFIX;
    if (config_check_prefix(l, "UPLOAD_PREFIX", v) != 0) {
        return -1;
    }
    const char *other = overlap(v, cfg->key_prefix)                              ? "KEY_PREFIX"
                        : cfg->archive_prefix && overlap(v, cfg->archive_prefix) ? "ARCHIVE_PREFIX"
                                                                                 : NULL;
    if (other) {
        return config_fail(l,
                           "UPLOAD_PREFIX='%s' is invalid: it overlaps %s (uploads there would "
                           "never be processed)",
                           v, other);
    }
    if (config_dup(l, &cfg->upload_prefix, v) != 0) {
        return -1;
    }
    v = config_get(l, "CORS_ALLOW_ORIGIN");
    v = v ? v : DEFAULT_CORS_ORIGIN;
    if (!valid_origin(v)) {
        return config_fail(l,
                           "CORS_ALLOW_ORIGIN='%s' is invalid: expected * or an origin such as "
                           "https://example.com",
                           v);
    }
    if (config_dup(l, &cfg->cors_allow_origin, v) != 0) {
        return -1;
    }
    uint64_t u = DEFAULT_URL_EXPIRES;
    v = config_get(l, "URL_EXPIRES");
    if (v != NULL && (config_parse_u64(v, MAX_URL_EXPIRES, &u) != 0 || u < 1)) {
        return config_fail(l, "URL_EXPIRES='%s' is invalid: expected seconds from 1 to %d", v,
                           MAX_URL_EXPIRES);
    }
    cfg->url_expires = (uint32_t)u;
    return 0;
}

static int load_metric_mode(const struct config_loader *l, struct config *cfg) {
    const char *v = config_get(l, "METRIC_MODE");
    cfg->metric_mode = METRIC_MODE_EMF;
    if (v == NULL) {
        return 0;
    }
    for (size_t i = 0; i < sizeof metric_mode_names / sizeof metric_mode_names[0]; i++) {
        if (strcasecmp(v, metric_mode_names[i]) == 0) {
            cfg->metric_mode = (enum metric_mode)i;
            return 0;
        }
    }
    return config_fail(l, "METRIC_MODE='%s' is invalid: expected emf, api or both", v);
}

int config_load_service(const struct config_loader *l, struct config *cfg) {
    if (load_sizes(l, cfg) != 0 ||
        load_text(l, "THUMB_CACHE_CONTROL", valid_cache_control,
                  "printable ASCII up to 256 bytes (e.g. public, max-age=31536000, immutable)",
                  &cfg->cache_control) != 0 ||
        load_text(l, "METADATA_TABLE", valid_table,
                  "a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ - .)",
                  &cfg->metadata_table) != 0 ||
        load_text(l, "NOTIFY_TOPIC_ARN", valid_topic_arn,
                  "an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)",
                  &cfg->notify_topic_arn) != 0 ||
        load_archive(l, cfg) != 0 || load_api(l, cfg) != 0 || load_metric_mode(l, cfg) != 0) {
        return -1;
    }
    return 0;
}
