/* config.c — configuration from the (injected) environment (see config.h). */
#define _GNU_SOURCE
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/endpoint.h"
#include "base/text.h"
#include "config_internal.h"

#define DEFAULT_KEY_PREFIX       "thumbnails/"
#define DEFAULT_METRIC_NAMESPACE "INOW/Lambda101"
#define DEFAULT_FUNCTION_NAME    "thumbkit"

#define get       config_get
#define fail      config_fail
#define parse_u64 config_parse_u64
#define dup_into  config_dup

const char *config_get(const struct config_loader *l, const char *name) {
    return env_get(l->env, name);
}

int config_fail(const struct config_loader *l, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    text_vformat(l->err, l->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

int config_parse_u64(const char *s, uint64_t max, uint64_t *out) {
    if (s == NULL || !isdigit((unsigned char)s[0])) {
        return -1;
    }
    uint64_t v = 0;
    for (const char *p = s; *p != '\0'; p++) {
        if (!isdigit((unsigned char)*p)) {
            return -1;
        }
        unsigned d = (unsigned)(*p - '0');
        if (v > (max - d) / 10) {
            return -1;
        }
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int config_parse_side(const char *s, size_t len, uint32_t *out) {
    char buf[16];
    uint64_t v;
    if (len == 0 || len >= sizeof buf) {
        return -1;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (parse_u64(buf, CONFIG_MAX_THUMB_SIDE, &v) != 0 || v < 1) {
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

int config_parse_size(const char *s, size_t len, struct config_size *out) {
    const char *x = memchr(s, 'x', len);
    if (x == NULL) {
        x = memchr(s, 'X', len);
    }
    if (x == NULL) {
        if (config_parse_side(s, len, &out->width) != 0) {
            return -1;
        }
        out->height = out->width;
        return 0;
    }
    size_t wl = (size_t)(x - s);
    return config_parse_side(s, wl, &out->width) ||
                   config_parse_side(x + 1, len - wl - 1, &out->height)
               ? -1
               : 0;
}

static int load_size(const struct config_loader *l, struct config *cfg) {
    const char *v = get(l, "THUMB_SIZE");
    if (v == NULL) {
        return 0;
    }
    struct config_size sz;
    if (config_parse_size(v, strlen(v), &sz) != 0) {
        return fail(l,
                    "THUMB_SIZE='%s' is invalid: expected N or WxH with sides from 1 to %u "
                    "(e.g. 256 or 320x240)",
                    v, CONFIG_MAX_THUMB_SIDE);
    }
    cfg->thumb_width = sz.width;
    cfg->thumb_height = sz.height;
    return 0;
}

/* DNS-compatible S3 bucket name: 3..63 of [a-z0-9.-], alphanumeric at both ends. */
bool config_valid_bucket(const char *b) {
    size_t n = strlen(b);
    if (n < 3 || n > 63) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)b[i];
        if (!(islower(c) || isdigit(c) || c == '.' || c == '-')) {
            return false;
        }
    }
    return isalnum((unsigned char)b[0]) && isalnum((unsigned char)b[n - 1]);
}

/* One entry [a, b) of ALLOWED_EXTENSIONS (spaces and a leading dot already trimmed) into the
 * next slot, lower-cased. */
static int add_extension(const struct config_loader *l, struct config *cfg, const char *v,
                         const char *a, const char *b) {
    const char *name = "ALLOWED_EXTENSIONS";
    size_t len = (size_t)(b - a);
    if (len == 0) {
        return fail(l, "%s='%s' is invalid: empty entry (expected e.g. jpg,jpeg,png)", name, v);
    }
    if (len > CONFIG_MAX_EXT_LEN) {
        return fail(l, "%s='%s' is invalid: extension longer than %d characters", name, v,
                    CONFIG_MAX_EXT_LEN);
    }
    if (cfg->n_extensions == CONFIG_MAX_EXTENSIONS) {
        return fail(l, "%s='%s' is invalid: more than %d extensions", name, v,
                    CONFIG_MAX_EXTENSIONS);
    }
    char *dst = cfg->extensions[cfg->n_extensions];
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)a[i];
        if (!isalnum(c)) {
            return fail(l, "%s='%s' is invalid: extensions may contain only letters and digits",
                        name, v);
        }
        dst[i] = (char)tolower(c);
    }
    dst[len] = '\0';
    cfg->n_extensions++;
    return 0;
}

int config_each_item(const struct config_loader *l, struct config *cfg, const char *v,
                     config_item_fn fn) {
    for (const char *p = v;;) {
        const char *end = p + strcspn(p, ",");
        const char *a = p, *b = end;
        while (a < b && isspace((unsigned char)*a)) {
            a++;
        }
        while (b > a && isspace((unsigned char)b[-1])) {
            b--;
        }
        if (fn(l, cfg, v, a, b) != 0) {
            return -1;
        }
        if (*end == '\0') {
            return 0;
        }
        p = end + 1;
    }
}

/* One entry of ALLOWED_EXTENSIONS, an optional leading dot dropped. */
static int extension_item(const struct config_loader *l, struct config *cfg, const char *v,
                          const char *a, const char *b) {
    if (a < b && *a == '.') {
        a++;
    }
    return add_extension(l, cfg, v, a, b);
}

/* ALLOWED_EXTENSIONS, by default every input extension the engine knows. */
static int load_extensions(const struct config_loader *l, struct config *cfg) {
    const char *v = get(l, "ALLOWED_EXTENSIONS");
    if (v == NULL) {
        v = tk_input_extensions();
    }
    cfg->n_extensions = 0;
    return config_each_item(l, cfg, v, extension_item);
}

/* CloudWatch namespace: 1..255 of [A-Za-z0-9.-_/#:] and space, not starting with "AWS/". */
static bool valid_namespace(const char *ns) {
    size_t n = strlen(ns);
    if (n < 1 || n > 255 || strncmp(ns, "AWS/", 4) == 0) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)ns[i];
        if (!(isalnum(c) || strchr(".-_/#: ", c) != NULL)) {
            return false;
        }
    }
    return true;
}

int config_dup(const struct config_loader *l, char **dst, const char *src) {
    *dst = strdup(src);
    return *dst != NULL ? 0 : fail(l, "out of memory");
}

static int load_bucket(const struct config_loader *l, struct config *cfg) {
    const char *v = get(l, "DEST_BUCKET");
    if (v == NULL) {
        return fail(l, "DEST_BUCKET is not set: name the bucket that receives the thumbnails");
    }
    if (!config_valid_bucket(v)) {
        return fail(l,
                    "DEST_BUCKET='%s' is invalid: expected an S3 bucket name (3 to 63 characters "
                    "of a-z, 0-9, '.', '-', starting and ending with a letter or digit)",
                    v);
    }
    return dup_into(l, &cfg->dest_bucket, v);
}

/* THUMB_FIT, OUTPUT_FORMAT, JPEG_QUALITY, JPEG_CHROMA, THUMB_FILTER: parsed by the engine where
 * it can. */
static int load_image_options(const struct config_loader *l, struct config *cfg) {
    const char *v = get(l, "THUMB_FIT");
    uint64_t u;
    if (v != NULL && tk_fit_parse(v, &cfg->fit) != TK_OK) {
        return fail(l, "THUMB_FIT='%s' is invalid: expected inside or cover", v);
    }
    v = get(l, "OUTPUT_FORMAT");
    if (v != NULL && tk_format_parse(v, &cfg->format) != TK_OK) {
        return fail(l, "OUTPUT_FORMAT='%s' is invalid: expected jpeg, png, webp or same", v);
    }
    v = get(l, "JPEG_QUALITY");
    if (v != NULL) {
        if (parse_u64(v, 100, &u) != 0 || u < 1) {
            return fail(l, "JPEG_QUALITY='%s' is invalid: expected an integer from 1 to 100", v);
        }
        cfg->jpeg_quality = (int)u;
    }
    v = get(l, "JPEG_CHROMA");
    if (v != NULL) {
        if (strcmp(v, "444") != 0 && strcmp(v, "420") != 0) {
            return fail(l, "JPEG_CHROMA='%s' is invalid: expected 444 or 420", v);
        }
        cfg->jpeg_subsample = strcmp(v, "420") == 0;
    }
    v = get(l, "THUMB_FILTER");
    if (v != NULL && tk_filter_parse(v, &cfg->filter) != TK_OK) {
        return fail(l,
                    "THUMB_FILTER='%s' is invalid: expected lanczos3, catmull-rom (bicubic), "
                    "bilinear or box",
                    v);
    }
    return 0;
}

int config_check_prefix(const struct config_loader *l, const char *name, const char *v) {
    if (strlen(v) > CONFIG_MAX_PREFIX_LEN) {
        return fail(l, "%s is invalid: longer than %d bytes", name, CONFIG_MAX_PREFIX_LEN);
    }
    if (v[0] == '/') {
        return fail(l, "%s='%s' is invalid: S3 keys do not start with '/'", name, v);
    }
    for (const char *p = v; *p != '\0'; p++) {
        if (iscntrl((unsigned char)*p)) {
            return fail(l, "%s='%s' is invalid: contains control characters", name, v);
        }
    }
    return 0;
}

/* KEY_PREFIX: unset -> default; set but empty -> no prefix. */
static int load_prefix(const struct config_loader *l, struct config *cfg) {
    const char *v = env_raw(l->env, "KEY_PREFIX");
    if (v == NULL) {
        v = DEFAULT_KEY_PREFIX;
    }
    if (config_check_prefix(l, "KEY_PREFIX", v) != 0) {
        return -1;
    }
    return dup_into(l, &cfg->key_prefix, v);
}

static int load_limits(const struct config_loader *l, struct config *cfg) {
    uint64_t u;
    const char *v = get(l, "MAX_INPUT_BYTES");
    if (v != NULL) {
        if (parse_u64(v, SIZE_MAX, &u) != 0 || u < 1) {
            return fail(l, "MAX_INPUT_BYTES='%s' is invalid: expected a positive number of bytes",
                        v);
        }
        cfg->max_input_bytes = u;
    }
    v = get(l, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
    if (v != NULL) {
        if (parse_u64(v, 10240, &u) != 0 || u < 128) {
            return fail(l,
                        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE='%s' is invalid: expected the "
                        "function's memory in MB, 128 to 10240",
                        v);
        }
        cfg->memory_budget = config_memory_budget(u);
    }
    v = get(l, "MAX_PIXELS");
    if (v != NULL) {
        if (parse_u64(v, UINT64_MAX, &u) != 0 || u < 1) {
            return fail(l, "MAX_PIXELS='%s' is invalid: expected a positive number of pixels", v);
        }
        cfg->max_pixels = u;
    }
    return 0;
}

/* METRIC_NAMESPACE, AWS_LAMBDA_LOG_LEVEL, AWS_LAMBDA_FUNCTION_NAME. */
static int load_observability(const struct config_loader *l, struct config *cfg) {
    const char *v = get(l, "METRIC_NAMESPACE");
    if (v == NULL) {
        v = DEFAULT_METRIC_NAMESPACE;
    }
    if (!valid_namespace(v)) {
        return fail(l,
                    "METRIC_NAMESPACE='%s' is invalid: expected 1 to 255 characters of letters, "
                    "digits and . - _ / # : space, not starting with AWS/",
                    v);
    }
    if (dup_into(l, &cfg->metric_namespace, v) != 0) {
        return -1;
    }
    v = get(l, "AWS_LAMBDA_LOG_LEVEL");
    if (v != NULL && log_level_parse(v, &cfg->log_level) != 0) {
        return fail(l,
                    "AWS_LAMBDA_LOG_LEVEL='%s' is invalid: expected TRACE, DEBUG, INFO, WARN, "
                    "ERROR or FATAL",
                    v);
    }
    v = get(l, "AWS_LAMBDA_FUNCTION_NAME");
    return dup_into(l, &cfg->function_name, v != NULL ? v : DEFAULT_FUNCTION_NAME);
}

/* AWS_REGION (else AWS_DEFAULT_REGION) and the S3 endpoint (the SDKs' convention). */
static int load_aws(const struct config_loader *l, struct config *cfg) {
    const char *v = get(l, "AWS_REGION");
    if (v == NULL) {
        v = get(l, "AWS_DEFAULT_REGION");
    }
    if (v == NULL) {
        return fail(l, "AWS_REGION is not set (nor AWS_DEFAULT_REGION): Lambda sets it; set it "
                       "yourself when running elsewhere");
    }
    for (const char *p = v; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;
        if (!(islower(c) || isdigit(c) || c == '-')) {
            return fail(l, "AWS_REGION='%s' is invalid: expected a region name such as eu-west-1",
                        v);
        }
    }
    if (dup_into(l, &cfg->region, v) != 0 ||
        aws_endpoint_from_env(l->env, "S3", &cfg->endpoint_url, l->err, l->errlen) != 0) {
        return -1;
    }
    cfg->path_style = cfg->endpoint_url != NULL;
    return 0;
}

/* The engine options of the loaded settings, on top of the defaults already in o. */
static void set_thumb_options(const struct config *cfg, struct tk_options *o) {
    o->n_targets = cfg->n_sizes;
    for (size_t i = 0; i < cfg->n_sizes; i++) {
        o->targets[i].width = cfg->sizes[i].width;
        o->targets[i].height = cfg->sizes[i].height;
        o->targets[i].fit = cfg->fit;
    }
    o->format = cfg->format;
    o->quality = cfg->jpeg_quality;
    o->jpeg_subsample = cfg->jpeg_subsample;
    o->filter = cfg->filter;
    o->max_pixels = cfg->max_pixels;
    o->max_input_bytes = (size_t)cfg->max_input_bytes;
}

uint64_t config_memory_budget(uint64_t memory_mb) {
    uint64_t total = memory_mb << 20;
    uint64_t headroom = total / 8 > (32u << 20) ? total / 8 : (32u << 20);
    return total > headroom ? total - headroom : 0;
}

int config_load(struct config *cfg, const struct env *env, char *err, size_t errlen) {
    struct env process = env_process();
    struct config_loader l = {env != NULL ? env : &process, err, errlen};
    memset(cfg, 0, sizeof *cfg);
    if (err != NULL && errlen > 0) {
        err[0] = '\0';
    }
    /* The engine's defaults are the function's: one 256x256 fit-inside JPEG q85, Lanczos3. */
    tk_options_init(&cfg->thumb);
    const struct tk_options *d = &cfg->thumb;
    cfg->thumb_width = d->targets[0].width;
    cfg->thumb_height = d->targets[0].height;
    cfg->fit = d->targets[0].fit;
    cfg->format = d->format;
    cfg->jpeg_quality = d->quality;
    cfg->jpeg_subsample = d->jpeg_subsample;
    cfg->filter = d->filter;
    cfg->max_input_bytes = d->max_input_bytes;
    cfg->max_pixels = d->max_pixels;
    cfg->log_level = LOG_LEVEL_INFO;
    if (load_bucket(&l, cfg) != 0 || load_size(&l, cfg) != 0 || load_image_options(&l, cfg) != 0 ||
        load_prefix(&l, cfg) != 0 || load_extensions(&l, cfg) != 0 || load_limits(&l, cfg) != 0 ||
        load_observability(&l, cfg) != 0 || load_aws(&l, cfg) != 0 ||
        config_load_service(&l, cfg) != 0) {
        config_free(cfg);
        return -1;
    }
    set_thumb_options(cfg, &cfg->thumb);
    return 0;
}

void config_free(struct config *cfg) {
    if (cfg == NULL) {
        return;
    }
    char *owned[] = {cfg->dest_bucket,    cfg->key_prefix,       cfg->metric_namespace,
                     cfg->function_name,  cfg->region,           cfg->endpoint_url,
                     cfg->cache_control,  cfg->metadata_table,   cfg->notify_topic_arn,
                     cfg->archive_prefix, cfg->archive_bucket,   cfg->upload_bucket,
                     cfg->upload_prefix,  cfg->cors_allow_origin};
    for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++) {
        free(owned[i]);
    }
    memset(cfg, 0, sizeof *cfg);
}
