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

#define DEFAULT_KEY_PREFIX       "thumbnails/"
#define DEFAULT_EXTENSIONS       "jpg,jpeg,png"
#define DEFAULT_METRIC_NAMESPACE "INOW/Lambda101"
#define DEFAULT_FUNCTION_NAME    "thumbkit"

const char *config_getenv_process(const char *name, void *ctx) {
    (void)ctx;
    return getenv(name);
}

struct env {
    config_getenv_fn fn;
    void *ctx;
    char *err;
    size_t errlen;
};

/* Value of @p name, or NULL when unset or empty. */
static const char *get(const struct env *e, const char *name) {
    const char *v = e->fn(name, e->ctx);
    return v != NULL && v[0] != '\0' ? v : NULL;
}

__attribute__((format(printf, 2, 3))) static int fail(const struct env *e, const char *fmt, ...) {
    if (e->err != NULL && e->errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->err, e->errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Strict unsigned decimal: digits only, no sign, no spaces, no overflow past @p max. */
static int parse_u64(const char *s, uint64_t max, uint64_t *out) {
    if (s == NULL || !isdigit((unsigned char)s[0]))
        return -1;
    uint64_t v = 0;
    for (const char *p = s; *p != '\0'; p++) {
        if (!isdigit((unsigned char)*p))
            return -1;
        unsigned d = (unsigned)(*p - '0');
        if (v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

static int parse_side(const char *s, size_t len, uint32_t *out) {
    char buf[16];
    uint64_t v;
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (parse_u64(buf, CONFIG_MAX_THUMB_SIDE, &v) != 0 || v < 1)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int load_size(const struct env *e, struct config *cfg) {
    const char *v = get(e, "THUMB_SIZE");
    if (v == NULL)
        return 0;
    const char *x = strchr(v, 'x');
    if (x == NULL)
        x = strchr(v, 'X');
    int bad;
    if (x == NULL) {
        bad = parse_side(v, strlen(v), &cfg->thumb_width);
        cfg->thumb_height = cfg->thumb_width;
    } else {
        bad = parse_side(v, (size_t)(x - v), &cfg->thumb_width) ||
              parse_side(x + 1, strlen(x + 1), &cfg->thumb_height);
    }
    if (bad)
        return fail(e,
                    "THUMB_SIZE='%s' is invalid: expected N or WxH with sides from 1 to %u "
                    "(e.g. 256 or 320x240)",
                    v, CONFIG_MAX_THUMB_SIDE);
    return 0;
}

/* DNS-compatible S3 bucket name: 3..63 of [a-z0-9.-], alphanumeric at both ends. */
static bool valid_bucket(const char *b) {
    size_t n = strlen(b);
    if (n < 3 || n > 63)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)b[i];
        if (!(islower(c) || isdigit(c) || c == '.' || c == '-'))
            return false;
    }
    return isalnum((unsigned char)b[0]) && isalnum((unsigned char)b[n - 1]);
}

static int load_extensions(const struct env *e, struct config *cfg) {
    const char *v = get(e, "ALLOWED_EXTENSIONS");
    const char *name = "ALLOWED_EXTENSIONS";
    if (v == NULL)
        v = DEFAULT_EXTENSIONS;
    cfg->n_extensions = 0;
    const char *p = v;
    for (;;) {
        const char *end = strchr(p, ',');
        if (end == NULL)
            end = p + strlen(p);
        const char *a = p, *b = end;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        if (a < b && *a == '.')
            a++;
        size_t len = (size_t)(b - a);
        if (len == 0)
            return fail(e, "%s='%s' is invalid: empty entry (expected e.g. jpg,jpeg,png)", name, v);
        if (len > CONFIG_MAX_EXT_LEN)
            return fail(e, "%s='%s' is invalid: extension longer than %d characters", name, v,
                        CONFIG_MAX_EXT_LEN);
        if (cfg->n_extensions == CONFIG_MAX_EXTENSIONS)
            return fail(e, "%s='%s' is invalid: more than %d extensions", name, v,
                        CONFIG_MAX_EXTENSIONS);
        char *dst = cfg->extensions[cfg->n_extensions];
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)a[i];
            if (!isalnum(c))
                return fail(e, "%s='%s' is invalid: extensions may contain only letters and digits",
                            name, v);
            dst[i] = (char)tolower(c);
        }
        dst[len] = '\0';
        cfg->n_extensions++;
        if (*end == '\0')
            break;
        p = end + 1;
    }
    return 0;
}

/* CloudWatch namespace: 1..255 of [A-Za-z0-9.-_/#:] and space, not starting with "AWS/". */
static bool valid_namespace(const char *ns) {
    size_t n = strlen(ns);
    if (n < 1 || n > 255 || strncmp(ns, "AWS/", 4) == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)ns[i];
        if (!(isalnum(c) || strchr(".-_/#: ", c) != NULL))
            return false;
    }
    return true;
}

static int dup_into(const struct env *e, char **dst, const char *src) {
    *dst = strdup(src);
    return *dst != NULL ? 0 : fail(e, "out of memory");
}

static int load_endpoint(const struct env *e, struct config *cfg) {
    const char *name = "AWS_ENDPOINT_URL_S3";
    const char *v = get(e, name);
    if (v == NULL) {
        name = "AWS_ENDPOINT_URL";
        v = get(e, name);
    }
    if (v == NULL)
        return 0;
    size_t scheme = strncmp(v, "http://", 7) == 0 ? 7 : strncmp(v, "https://", 8) == 0 ? 8 : 0;
    if (scheme == 0 || v[scheme] == '\0' || v[scheme] == '/')
        return fail(e, "%s='%s' is invalid: expected http://host[:port] or https://host[:port]",
                    name, v);
    for (const char *p = v; *p != '\0'; p++) {
        if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p))
            return fail(e, "%s='%s' is invalid: contains white space or control characters", name,
                        v);
    }
    if (dup_into(e, &cfg->endpoint_url, v) != 0)
        return -1;
    size_t n = strlen(cfg->endpoint_url);
    while (n > scheme && cfg->endpoint_url[n - 1] == '/')
        cfg->endpoint_url[--n] = '\0';
    cfg->path_style = true;
    return 0;
}

static int load_all(const struct env *e, struct config *cfg) {
    const char *v;
    uint64_t u;

    v = get(e, "DEST_BUCKET");
    if (v == NULL)
        return fail(e, "DEST_BUCKET is not set: name the bucket that receives the thumbnails");
    if (!valid_bucket(v))
        return fail(e,
                    "DEST_BUCKET='%s' is invalid: expected an S3 bucket name (3 to 63 characters "
                    "of a-z, 0-9, '.', '-', starting and ending with a letter or digit)",
                    v);
    if (dup_into(e, &cfg->dest_bucket, v) != 0)
        return -1;

    if (load_size(e, cfg) != 0)
        return -1;

    v = get(e, "THUMB_FIT");
    if (v != NULL) {
        if (strcasecmp(v, "inside") == 0)
            cfg->fit = TK_FIT_INSIDE;
        else if (strcasecmp(v, "cover") == 0)
            cfg->fit = TK_FIT_COVER;
        else
            return fail(e, "THUMB_FIT='%s' is invalid: expected inside or cover", v);
    }

    v = get(e, "OUTPUT_FORMAT");
    if (v != NULL && tk_format_parse(v, &cfg->format) != TK_OK)
        return fail(e, "OUTPUT_FORMAT='%s' is invalid: expected jpeg, png or same", v);

    v = get(e, "JPEG_QUALITY");
    if (v != NULL) {
        if (parse_u64(v, 100, &u) != 0 || u < 1)
            return fail(e, "JPEG_QUALITY='%s' is invalid: expected an integer from 1 to 100", v);
        cfg->jpeg_quality = (int)u;
    }

    v = get(e, "THUMB_FILTER");
    if (v != NULL && tk_filter_parse(v, &cfg->filter) != TK_OK)
        return fail(e,
                    "THUMB_FILTER='%s' is invalid: expected lanczos3, catmull-rom (bicubic), "
                    "bilinear or box",
                    v);

    /* KEY_PREFIX: unset -> default; set but empty -> no prefix. */
    v = e->fn("KEY_PREFIX", e->ctx);
    if (v == NULL)
        v = DEFAULT_KEY_PREFIX;
    if (strlen(v) > CONFIG_MAX_PREFIX_LEN)
        return fail(e, "KEY_PREFIX is invalid: longer than %d bytes", CONFIG_MAX_PREFIX_LEN);
    if (v[0] == '/')
        return fail(e, "KEY_PREFIX='%s' is invalid: S3 keys do not start with '/'", v);
    for (const char *p = v; *p != '\0'; p++) {
        if (iscntrl((unsigned char)*p))
            return fail(e, "KEY_PREFIX='%s' is invalid: contains control characters", v);
    }
    if (dup_into(e, &cfg->key_prefix, v) != 0)
        return -1;

    if (load_extensions(e, cfg) != 0)
        return -1;

    v = get(e, "MAX_INPUT_BYTES");
    if (v != NULL) {
        if (parse_u64(v, SIZE_MAX, &u) != 0 || u < 1)
            return fail(e, "MAX_INPUT_BYTES='%s' is invalid: expected a positive number of bytes",
                        v);
        cfg->max_input_bytes = u;
    }

    v = get(e, "MAX_PIXELS");
    if (v != NULL) {
        if (parse_u64(v, UINT64_MAX, &u) != 0 || u < 1)
            return fail(e, "MAX_PIXELS='%s' is invalid: expected a positive number of pixels", v);
        cfg->max_pixels = u;
    }

    v = get(e, "METRIC_NAMESPACE");
    if (v == NULL)
        v = DEFAULT_METRIC_NAMESPACE;
    if (!valid_namespace(v))
        return fail(e,
                    "METRIC_NAMESPACE='%s' is invalid: expected 1 to 255 characters of letters, "
                    "digits and . - _ / # : space, not starting with AWS/",
                    v);
    if (dup_into(e, &cfg->metric_namespace, v) != 0)
        return -1;

    v = get(e, "AWS_LAMBDA_LOG_LEVEL");
    if (v != NULL && log_level_parse(v, &cfg->log_level) != 0)
        return fail(e,
                    "AWS_LAMBDA_LOG_LEVEL='%s' is invalid: expected TRACE, DEBUG, INFO, WARN, "
                    "ERROR or FATAL",
                    v);

    v = get(e, "AWS_LAMBDA_FUNCTION_NAME");
    if (dup_into(e, &cfg->function_name, v != NULL ? v : DEFAULT_FUNCTION_NAME) != 0)
        return -1;

    v = get(e, "AWS_REGION");
    if (v == NULL)
        v = get(e, "AWS_DEFAULT_REGION");
    if (v == NULL)
        return fail(e, "AWS_REGION is not set (nor AWS_DEFAULT_REGION): Lambda sets it; set it "
                       "yourself when running elsewhere");
    for (const char *p = v; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;
        if (!(islower(c) || isdigit(c) || c == '-'))
            return fail(e, "AWS_REGION='%s' is invalid: expected a region name such as eu-west-1",
                        v);
    }
    if (dup_into(e, &cfg->region, v) != 0)
        return -1;

    return load_endpoint(e, cfg);
}

int config_load(struct config *cfg, config_getenv_fn getenv_fn, void *ctx, char *err,
                size_t errlen) {
    struct env e = {getenv_fn != NULL ? getenv_fn : config_getenv_process, ctx, err, errlen};
    memset(cfg, 0, sizeof *cfg);
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    /* The engine's defaults are the adapter's: one 256x256 fit-inside JPEG q85, Lanczos3. */
    struct tk_options d;
    tk_options_init(&d);
    cfg->thumb_width = d.targets[0].width;
    cfg->thumb_height = d.targets[0].height;
    cfg->fit = d.targets[0].fit;
    cfg->format = d.format;
    cfg->jpeg_quality = d.quality;
    cfg->filter = d.filter;
    cfg->max_input_bytes = d.max_input_bytes;
    cfg->max_pixels = d.max_pixels;
    cfg->log_level = LOG_LEVEL_INFO;
    if (load_all(&e, cfg) != 0) {
        config_free(cfg);
        return -1;
    }
    return 0;
}

void config_free(struct config *cfg) {
    if (cfg == NULL)
        return;
    free(cfg->dest_bucket);
    free(cfg->key_prefix);
    free(cfg->metric_namespace);
    free(cfg->function_name);
    free(cfg->region);
    free(cfg->endpoint_url);
    memset(cfg, 0, sizeof *cfg);
}

void config_tk_options(const struct config *cfg, struct tk_options *o) {
    tk_options_init(o);
    o->n_targets = 1;
    o->targets[0].width = cfg->thumb_width;
    o->targets[0].height = cfg->thumb_height;
    o->targets[0].fit = cfg->fit;
    o->format = cfg->format;
    o->quality = cfg->jpeg_quality;
    o->filter = cfg->filter;
    o->max_pixels = cfg->max_pixels;
    o->max_input_bytes = (size_t)cfg->max_input_bytes;
}
