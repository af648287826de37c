/* test_config.c — config_load() defaults, every variable valid and invalid (message names
 * the variable and the value), and the engine options it builds once (cfg.thumb). The
 * environment is injected (struct env). */
#include <stdlib.h>

#include "config.h"
#include "lambda_test.h"

#define BASE "DEST_BUCKET", "thumbs-out", "AWS_REGION", "eu-west-1"

static int load(struct config *cfg, const char *const *vars, char *err, size_t errlen) {
    struct env env = table_env(vars);
    return config_load(cfg, &env, err, errlen);
}

/* What a loaded configuration must hold. */
struct want {
    const char *dest_bucket;
    uint32_t width, height;
    enum tk_fit fit;
    enum tk_format format;
    int quality;
    enum tk_filter filter;
    const char *key_prefix;
    const char *extensions[16]; /* NULL-terminated */
    uint64_t max_input_bytes, max_pixels;
    const char *metric_namespace;
    enum log_level log_level;
    const char *function_name, *region, *endpoint_url;
};

/* Every setting of @p c, and the engine options config_load() built from them once. */
static void check_loaded(const struct config *c, const struct want *w) {
    CHECK_STR(c->dest_bucket, w->dest_bucket);
    CHECK_U64(c->thumb_width, w->width);
    CHECK_U64(c->thumb_height, w->height);
    CHECK(c->fit == w->fit);
    CHECK(c->format == w->format);
    CHECK_U64(c->jpeg_quality, w->quality);
    CHECK(c->filter == w->filter);
    CHECK_STR(c->key_prefix, w->key_prefix);
    size_t n = 0;
    while (w->extensions[n] != NULL) {
        n++;
    }
    CHECK_U64(c->n_extensions, n);
    for (size_t i = 0; i < n && i < c->n_extensions; i++) {
        CHECK_STR(c->extensions[i], w->extensions[i]);
    }
    CHECK_U64(c->max_input_bytes, w->max_input_bytes);
    CHECK_U64(c->max_pixels, w->max_pixels);
    CHECK_STR(c->metric_namespace, w->metric_namespace);
    CHECK(c->log_level == w->log_level);
    CHECK_STR(c->function_name, w->function_name);
    CHECK_STR(c->region, w->region);
    CHECK_STR(c->endpoint_url, w->endpoint_url);
    CHECK(c->path_style == (w->endpoint_url != NULL));

    const struct tk_options *o = &c->thumb;
    CHECK_U64(o->n_targets, 1);
    CHECK_U64(o->targets[0].width, w->width);
    CHECK_U64(o->targets[0].height, w->height);
    CHECK(o->targets[0].fit == w->fit);
    CHECK(o->format == w->format);
    CHECK_U64(o->quality, w->quality);
    CHECK(o->filter == w->filter);
    CHECK_U64(o->max_pixels, w->max_pixels);
    CHECK_U64(o->max_input_bytes, w->max_input_bytes);
}

static void test_defaults(void) {
    const char *vars[] = {BASE, NULL};
    struct config c;
    char err[256] = "";
    CHECK(load(&c, vars, err, sizeof err) == 0);
    CHECK_STR(err, "");
    /* The default extensions are every input extension the engine knows. */
    CHECK_STR(tk_input_extensions(), "jpg,jpeg,jpe,jfif,png,webp,heic,heif,hif,avif");
    const struct want w = {
        "thumbs-out",
        256,
        256,
        TK_FIT_INSIDE,
        TK_FORMAT_JPEG,
        85,
        TK_FILTER_LANCZOS3,
        "thumbnails/",
        {"jpg", "jpeg", "jpe", "jfif", "png", "webp", "heic", "heif", "hif", "avif", NULL},
        64u * 1024u * 1024u,
        100000000u,
        "INOW/Lambda101",
        LOG_LEVEL_INFO,
        "thumbkit",
        "eu-west-1",
        NULL};
    check_loaded(&c, &w);
    config_free(&c);
    CHECK(c.dest_bucket == NULL);
    config_free(&c); /* twice is fine */
    config_free(NULL);
}

static void test_all_set(void) {
    const char *vars[] = {"DEST_BUCKET",
                          "my.thumbs-2",
                          "THUMB_SIZE",
                          "320x240",
                          "THUMB_FIT",
                          "COVER",
                          "OUTPUT_FORMAT",
                          "same",
                          "JPEG_QUALITY",
                          "100",
                          "THUMB_FILTER",
                          "bicubic",
                          "KEY_PREFIX",
                          "t/",
                          "ALLOWED_EXTENSIONS",
                          " JPG, .Png ,webp",
                          "MAX_INPUT_BYTES",
                          "1048576",
                          "MAX_PIXELS",
                          "25000000",
                          "METRIC_NAMESPACE",
                          "My App/Thumbs",
                          "AWS_LAMBDA_LOG_LEVEL",
                          "debug",
                          "AWS_LAMBDA_FUNCTION_NAME",
                          "thumbs-fn",
                          "AWS_REGION",
                          "us-east-1",
                          "AWS_ENDPOINT_URL",
                          "http://127.0.0.1:5000",
                          "AWS_ENDPOINT_URL_S3",
                          "http://localhost:4566///",
                          NULL};
    struct config c;
    char err[256] = "";
    CHECK(load(&c, vars, err, sizeof err) == 0);
    CHECK_STR(err, "");
    const struct want w = {"my.thumbs-2",
                           320,
                           240,
                           TK_FIT_COVER,
                           TK_FORMAT_SAME,
                           100,
                           TK_FILTER_CATMULL_ROM,
                           "t/",
                           {"jpg", "png", "webp", NULL},
                           1048576,
                           25000000,
                           "My App/Thumbs",
                           LOG_LEVEL_DEBUG,
                           "thumbs-fn",
                           "us-east-1",
                           "http://localhost:4566"}; /* _S3 wins, trailing '/' dropped */
    check_loaded(&c, &w);
    config_free(&c);
}

static void test_variants(void) {
    struct config c;
    char err[256];
    const char *sq[] = {BASE, "THUMB_SIZE", "64", "AWS_ENDPOINT_URL", "https://s3.local", NULL};
    CHECK(load(&c, sq, err, sizeof err) == 0);
    CHECK_U64(c.thumb_width, 64);
    CHECK_U64(c.thumb_height, 64);
    CHECK_STR(c.endpoint_url, "https://s3.local");
    CHECK(c.path_style);
    config_free(&c);

    /* KEY_PREFIX set but empty means "no prefix"; other empty variables mean "default". */
    const char *empty[] = {BASE, "KEY_PREFIX", "", "JPEG_QUALITY", "", "THUMB_SIZE", "", NULL};
    CHECK(load(&c, empty, err, sizeof err) == 0);
    CHECK_STR(c.key_prefix, "");
    CHECK_U64(c.jpeg_quality, 85);
    CHECK_U64(c.thumb_width, 256);
    config_free(&c);

    const char *region[] = {"DEST_BUCKET", "abc", "AWS_DEFAULT_REGION", "ap-south-1", NULL};
    CHECK(load(&c, region, err, sizeof err) == 0);
    CHECK_STR(c.region, "ap-south-1");
    config_free(&c);

    const char *levels[] = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
    for (int i = 0; i < 6; i++) {
        const char *lv[] = {BASE, "AWS_LAMBDA_LOG_LEVEL", levels[i], NULL};
        CHECK(load(&c, lv, err, sizeof err) == 0);
        CHECK((int)c.log_level == i);
        config_free(&c);
    }
    const char *fmts[][2] = {
        {"jpeg", "jpeg"}, {"JPG", "jpeg"}, {"png", "png"}, {"WebP", "webp"}, {"Same", "same"}};
    for (int i = 0; i < 5; i++) {
        const char *fv[] = {BASE, "OUTPUT_FORMAT", fmts[i][0], NULL};
        CHECK(load(&c, fv, err, sizeof err) == 0);
        CHECK_STR(tk_format_name(c.format), fmts[i][1]);
        config_free(&c);
    }
    const char *filters[][2] = {{"lanczos3", "lanczos3"},
                                {"Catmull-Rom", "catmull-rom"},
                                {"bilinear", "bilinear"},
                                {"box", "box"}};
    for (int i = 0; i < 4; i++) {
        const char *fv[] = {BASE, "THUMB_FILTER", filters[i][0], "THUMB_FIT", "Inside", NULL};
        CHECK(load(&c, fv, err, sizeof err) == 0);
        CHECK_STR(tk_filter_name(c.filter), filters[i][1]);
        CHECK(c.fit == TK_FIT_INSIDE);
        config_free(&c);
    }
    const char *q1[] = {BASE, "JPEG_QUALITY", "1", "THUMB_SIZE", "8192x1", NULL};
    CHECK(load(&c, q1, err, sizeof err) == 0);
    CHECK_U64(c.jpeg_quality, 1);
    CHECK(!c.jpeg_subsample && !c.thumb.jpeg_subsample); /* 4:4:4 unless asked */
    CHECK_U64(c.thumb_width, 8192);
    CHECK_U64(c.thumb_height, 1);
    config_free(&c);
    const char *chroma[] = {BASE, "JPEG_CHROMA", "420", NULL};
    CHECK(load(&c, chroma, err, sizeof err) == 0);
    CHECK(c.jpeg_subsample && c.thumb.jpeg_subsample);
    config_free(&c);
}

/* One invalid setting: load fails, and the message names the variable and the value. */
static void invalid(const char *name, const char *value, const char *hint) {
    const char *vars[] = {name, value, BASE, NULL}; /* the first match wins */
    struct config c;
    char err[512] = "";
    int rc = load(&c, vars, err, sizeof err);
    if (rc != -1) {
        fprintf(stderr, "  %s='%s' was accepted\n", name, value);
    }
    CHECK(rc == -1);
    CHECK_HAS(err, name);
    if (strcmp(name, "KEY_PREFIX") != 0 || strlen(value) < 100) {
        CHECK_HAS(err, value);
    }
    CHECK_HAS(err, hint);
    CHECK(c.dest_bucket == NULL && c.key_prefix == NULL); /* left empty */
    config_free(&c);
}

static void test_invalid(void) {
    struct config c;
    char err[256];
    const char *none[] = {"AWS_REGION", "eu-west-1", NULL};
    CHECK(load(&c, none, err, sizeof err) == -1);
    CHECK_HAS(err, "DEST_BUCKET is not set");
    const char *noreg[] = {"DEST_BUCKET", "abc", NULL};
    CHECK(load(&c, noreg, err, sizeof err) == -1);
    CHECK_HAS(err, "AWS_REGION is not set");
    /* A tiny error buffer is truncated, never overrun. */
    char tiny[8];
    CHECK(load(&c, none, tiny, sizeof tiny) == -1);
    CHECK_U64(strlen(tiny), 7);
    CHECK(load(&c, none, NULL, 0) == -1);

    invalid("DEST_BUCKET", "ab", "S3 bucket name");
    invalid("DEST_BUCKET", "Upper-Case", "S3 bucket name");
    invalid("DEST_BUCKET", "-leading", "S3 bucket name");
    invalid("DEST_BUCKET", "under_score", "S3 bucket name");
    invalid("THUMB_SIZE", "0", "WxH");
    invalid("THUMB_SIZE", "-5", "WxH");
    invalid("THUMB_SIZE", "8193", "WxH");
    invalid("THUMB_SIZE", "256x", "WxH");
    invalid("THUMB_SIZE", "x256", "WxH");
    invalid("THUMB_SIZE", "12x34x5", "WxH");
    invalid("THUMB_SIZE", "1.5", "WxH");
    invalid("THUMB_SIZE", "99999999999999999999999", "WxH");
    invalid("THUMB_FIT", "fill", "inside or cover");
    invalid("OUTPUT_FORMAT", "gif", "jpeg, png, webp or same");
    invalid("OUTPUT_FORMAT", "heic", "jpeg, png, webp or same"); /* read, never written */
    invalid("JPEG_QUALITY", "0", "1 to 100");
    invalid("JPEG_QUALITY", "101", "1 to 100");
    invalid("JPEG_QUALITY", "85%", "1 to 100");
    invalid("JPEG_CHROMA", "422", "444 or 420");
    invalid("JPEG_QUALITY", " 85", "1 to 100");
    invalid("THUMB_FILTER", "nearest", "lanczos3");
    invalid("KEY_PREFIX", "/abs/", "do not start with '/'");
    invalid("KEY_PREFIX", "a\nb/", "control characters");
    invalid("ALLOWED_EXTENSIONS", "jpg,,png", "empty entry");
    invalid("ALLOWED_EXTENSIONS", "jpg,p*g", "letters and digits");
    invalid("ALLOWED_EXTENSIONS", "averyveryverylongextension", "longer than");
    invalid("ALLOWED_EXTENSIONS", "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q", "more than 16");
    invalid("MAX_INPUT_BYTES", "0", "positive number of bytes");
    invalid("MAX_INPUT_BYTES", "64MiB", "positive number of bytes");
    invalid("MAX_PIXELS", "-1", "positive number of pixels");
    invalid("MAX_PIXELS", "18446744073709551616", "positive number of pixels");
    invalid("METRIC_NAMESPACE", "AWS/Lambda", "not starting with AWS/");
    invalid("METRIC_NAMESPACE", "bad$char", "letters");
    invalid("AWS_LAMBDA_LOG_LEVEL", "VERBOSE", "TRACE, DEBUG, INFO, WARN, ERROR or FATAL");
    invalid("AWS_REGION", "EU_WEST", "region name");
    invalid("AWS_ENDPOINT_URL", "localhost:5000", "http://");
    invalid("AWS_ENDPOINT_URL_S3", "ftp://x", "http://");
    invalid("AWS_ENDPOINT_URL_S3", "http://", "http://");
    invalid("AWS_ENDPOINT_URL_S3", "http://a b", "white space");

    char longp[CONFIG_MAX_PREFIX_LEN + 2];
    memset(longp, 'p', sizeof longp - 1);
    longp[sizeof longp - 1] = '\0';
    invalid("KEY_PREFIX", longp, "longer than 512");
}

/* The image-service settings: defaults (all off), every one set, and each invalid value. */
static void test_service(void) {
    struct config c;
    char err[512] = "";
    const char *base[] = {BASE, NULL};
    CHECK(load(&c, base, err, sizeof err) == 0);
    CHECK_U64(c.n_sizes, 1);
    CHECK(!c.sized_keys);
    CHECK_U64(c.sizes[0].width, 256);
    CHECK(c.cache_control == NULL && c.metadata_table == NULL && c.notify_topic_arn == NULL);
    CHECK(c.archive_prefix == NULL && c.archive_bucket == NULL && c.upload_bucket == NULL);
    CHECK_STR(c.upload_prefix, "uploads/");
    CHECK_STR(c.cors_allow_origin, "*");
    CHECK_U64(c.url_expires, 300);
    CHECK(c.metric_mode == METRIC_MODE_EMF);
    CHECK_U64(c.thumb.n_targets, 1);
    config_free(&c);

    const char *all[] = {BASE,
                         "THUMB_SIZE",
                         "64",
                         "THUMB_SIZES",
                         " 128, 256 ,1024x768",
                         "THUMB_FIT",
                         "cover",
                         "THUMB_CACHE_CONTROL",
                         "public, max-age=31536000, immutable",
                         "METADATA_TABLE",
                         "ImageMetadata",
                         "NOTIFY_TOPIC_ARN",
                         "arn:aws:sns:eu-west-3:123456789012:images-done",
                         "ARCHIVE_PREFIX",
                         "zip/",
                         "ARCHIVE_BUCKET",
                         "archives-1",
                         "UPLOAD_BUCKET",
                         "uploads-1",
                         "UPLOAD_PREFIX",
                         "incoming/",
                         "CORS_ALLOW_ORIGIN",
                         "https://app.example.com",
                         "URL_EXPIRES",
                         "900",
                         "METRIC_MODE",
                         "Both",
                         NULL};
    CHECK(load(&c, all, err, sizeof err) == 0);
    CHECK_STR(err, "");
    CHECK_U64(c.n_sizes, 3);
    CHECK(c.sized_keys);
    CHECK_U64(c.sizes[2].width, 1024);
    CHECK_U64(c.sizes[2].height, 768);
    CHECK_U64(c.thumb_width, 128); /* THUMB_SIZES wins over THUMB_SIZE */
    CHECK_U64(c.thumb.n_targets, 3);
    for (size_t i = 0; i < 3; i++) {
        CHECK_U64(c.thumb.targets[i].width, c.sizes[i].width);
        CHECK_U64(c.thumb.targets[i].height, c.sizes[i].height);
        CHECK(c.thumb.targets[i].fit == TK_FIT_COVER);
    }
    CHECK_STR(c.cache_control, "public, max-age=31536000, immutable");
    CHECK_STR(c.metadata_table, "ImageMetadata");
    CHECK_STR(c.notify_topic_arn, "arn:aws:sns:eu-west-3:123456789012:images-done");
    CHECK_STR(c.archive_prefix, "zip/");
    CHECK_STR(c.archive_bucket, "archives-1");
    CHECK_STR(c.upload_bucket, "uploads-1");
    CHECK_STR(c.upload_prefix, "incoming/");
    CHECK_STR(c.cors_allow_origin, "https://app.example.com");
    CHECK_U64(c.url_expires, 900);
    CHECK(c.metric_mode == METRIC_MODE_BOTH);
    CHECK_STR(config_metric_mode_name(c.metric_mode), "both");
    config_free(&c);

    const char *eight[] = {BASE, "THUMB_SIZES", "1,2,3,4,5,6,7,8", "METRIC_MODE", "api", NULL};
    CHECK(load(&c, eight, err, sizeof err) == 0);
    CHECK_U64(c.n_sizes, 8);
    CHECK(c.metric_mode == METRIC_MODE_API);
    config_free(&c);

    invalid("THUMB_SIZES", "1,2,3,4,5,6,7,8,9", "more than 8");
    invalid("THUMB_SIZES", "128,,256", "comma-separated");
    invalid("THUMB_SIZES", "128,0", "comma-separated");
    invalid("THUMB_SIZES", "128,128x128", "listed twice");
    invalid("THUMB_CACHE_CONTROL", "max-age=1\x01", "printable ASCII");
    invalid("METADATA_TABLE", "ab", "DynamoDB table name");
    invalid("METADATA_TABLE", "bad name", "DynamoDB table name");
    invalid("NOTIFY_TOPIC_ARN", "images-done", "SNS topic ARN");
    invalid("NOTIFY_TOPIC_ARN", "arn:aws:sqs:eu-west-3:123456789012:q", "SNS topic ARN");
    invalid("NOTIFY_TOPIC_ARN", "arn:aws:sns:eu-west-3:1234:t", "SNS topic ARN");
    invalid("NOTIFY_TOPIC_ARN", "arn:aws:sns:eu-west-3:123456789012:a/b", "SNS topic ARN");
    invalid("ARCHIVE_PREFIX", "/zip/", "do not start with '/'");
    invalid("ARCHIVE_PREFIX", "thumbnails/zip/", "overlaps KEY_PREFIX");
    invalid("ARCHIVE_BUCKET", "Bad_Bucket", "S3 bucket name");
    invalid("UPLOAD_BUCKET", "x", "S3 bucket name");
    invalid("UPLOAD_PREFIX", "thumbnails/up/", "overlaps KEY_PREFIX");
    invalid("CORS_ALLOW_ORIGIN", "https://a.com/path", "an origin");
    invalid("CORS_ALLOW_ORIGIN", "ftp://a.com", "an origin");
    invalid("URL_EXPIRES", "0", "1 to 604800");
    invalid("URL_EXPIRES", "604801", "1 to 604800");
    invalid("METRIC_MODE", "xray", "emf, api or both");
    const char *clash[] = {BASE, "ARCHIVE_PREFIX", "zip/", "UPLOAD_PREFIX", "zip/up/", NULL};
    CHECK(load(&c, clash, err, sizeof err) == -1);
    CHECK_HAS(err, "overlaps ARCHIVE_PREFIX");
    config_free(&c);
}

int main(void) {
    test_defaults();
    test_service();
    test_all_set();
    test_variants();
    test_invalid();
    return check_done("lambda.function.config");
}
