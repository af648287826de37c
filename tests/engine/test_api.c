/* test_api.c — names, parsing, defaults, option validation, sniffing, input limits. */
#include "tk_test.h"

#include <ctype.h>
#include <string.h>

static void test_status_names(void) {
    const char *seen[9];
    for (int s = TK_OK; s <= TK_ERR_OVER_BUDGET; s++) {
        const char *name = tk_status_name((enum tk_status)s);
        const char *str = tk_status_str((enum tk_status)s);
        CHECKF(name != NULL && strlen(name) > 0 && strcmp(name, "unknown") != 0, "status %d", s);
        CHECKF(str != NULL && strlen(str) > 0 && strcmp(str, "unknown status") != 0, "status %d",
               s);
        for (const char *c = name; *c; c++) {
            CHECKF(islower((unsigned char)*c) || *c == '_', "name %s", name);
        }
        for (int j = 0; j < s; j++) {
            CHECKF(strcmp(seen[j], name) != 0, "duplicate name %s", name);
        }
        seen[s] = name;
    }
    CHECK(strcmp(tk_status_name(TK_ERR_CORRUPT), "corrupt") == 0);
    CHECK(strcmp(tk_status_name((enum tk_status)99), "unknown") == 0);
}

static void test_format_and_filter_names(void) {
    enum tk_format f;
    CHECK(tk_format_parse("JPG", &f) == TK_OK && f == TK_FORMAT_JPEG);
    CHECK(tk_format_parse("jpeg", &f) == TK_OK && f == TK_FORMAT_JPEG);
    CHECK(tk_format_parse("Png", &f) == TK_OK && f == TK_FORMAT_PNG);
    CHECK(tk_format_parse("same", &f) == TK_OK && f == TK_FORMAT_SAME);
    CHECK(tk_format_parse("gif", &f) == TK_ERR_INVALID_ARGUMENT);
    CHECK(tk_format_parse("", &f) == TK_ERR_INVALID_ARGUMENT);
    CHECK(tk_format_parse(NULL, &f) == TK_ERR_INVALID_ARGUMENT);
    for (int i = TK_FORMAT_SAME; i <= TK_FORMAT_WEBP; i++) {
        CHECK(tk_format_parse(tk_format_name((enum tk_format)i), &f) == TK_OK && (int)f == i);
    }
    CHECK(tk_format_parse("WebP", &f) == TK_OK && f == TK_FORMAT_WEBP);
    /* read, never written */
    CHECK(tk_format_parse("heic", &f) == TK_ERR_INVALID_ARGUMENT);
    CHECK(tk_format_parse("avif", &f) == TK_ERR_INVALID_ARGUMENT);
    CHECK(tk_format_writable(TK_FORMAT_WEBP) && !tk_format_writable(TK_FORMAT_HEIC) &&
          !tk_format_writable(TK_FORMAT_AVIF) && !tk_format_writable(TK_FORMAT_SAME));
    CHECK(strcmp(tk_format_mime(TK_FORMAT_WEBP), "image/webp") == 0);
    CHECK(strcmp(tk_format_mime(TK_FORMAT_HEIC), "image/heic") == 0);
    CHECK(strcmp(tk_format_mime(TK_FORMAT_AVIF), "image/avif") == 0);
    CHECK(strcmp(tk_format_name(TK_FORMAT_AVIF), "avif") == 0);
    CHECK(strcmp(tk_format_mime(TK_FORMAT_JPEG), "image/jpeg") == 0);
    CHECK(strcmp(tk_format_mime(TK_FORMAT_PNG), "image/png") == 0);
    CHECK(tk_format_mime(TK_FORMAT_SAME) == NULL);
    CHECK(strcmp(tk_format_ext(TK_FORMAT_JPEG), "jpg") == 0);
    CHECK(strcmp(tk_format_ext(TK_FORMAT_PNG), "png") == 0);
    CHECK(tk_format_ext(TK_FORMAT_SAME) == NULL);
    CHECK(tk_format_mime(TK_FORMAT_UNKNOWN) == NULL && tk_format_ext(TK_FORMAT_UNKNOWN) == NULL);
    CHECK(strcmp(tk_format_name(TK_FORMAT_UNKNOWN), "unknown") == 0);
    CHECK(tk_format_parse("unknown", &f) == TK_ERR_INVALID_ARGUMENT);

    CHECK(tk_format_from_extension("JPG") == TK_FORMAT_JPEG);
    CHECK(tk_format_from_extension("jfif") == TK_FORMAT_JPEG);
    CHECK(tk_format_from_extension("pNg") == TK_FORMAT_PNG);
    CHECK(tk_format_from_extension("gif") == TK_FORMAT_UNKNOWN);
    CHECK(tk_format_from_extension("WEBP") == TK_FORMAT_WEBP);
    CHECK(tk_format_from_extension("HEIC") == TK_FORMAT_HEIC);
    CHECK(tk_format_from_extension("heif") == TK_FORMAT_HEIC);
    CHECK(tk_format_from_extension("Avif") == TK_FORMAT_AVIF);
    CHECK(tk_format_from_extension("") == TK_FORMAT_UNKNOWN);
    CHECK(tk_format_from_extension(NULL) == TK_FORMAT_UNKNOWN);
    /* the advertised list is exactly what tk_format_from_extension accepts */
    size_t n_listed = 0;
    for (const char *e = tk_input_extensions(); *e != '\0'; n_listed++) {
        char one[16];
        size_t len = strcspn(e, ",");
        snprintf(one, sizeof one, "%.*s", (int)len, e);
        CHECKF(tk_format_from_extension(one) != TK_FORMAT_UNKNOWN, "listed extension %s", one);
        e += len + (e[len] == ',');
    }
    CHECK_EQ_INT(n_listed, 10);

    CHECK(tk_format_resolve(TK_FORMAT_PNG, TK_FORMAT_JPEG) == TK_FORMAT_PNG);
    CHECK(tk_format_resolve(TK_FORMAT_SAME, TK_FORMAT_JPEG) == TK_FORMAT_JPEG);
    CHECK(tk_format_resolve(TK_FORMAT_SAME, TK_FORMAT_PNG) == TK_FORMAT_PNG);
    CHECK(tk_format_resolve(TK_FORMAT_SAME, TK_FORMAT_WEBP) == TK_FORMAT_WEBP);
    /* HEIC and AVIF are read but not written: "same" falls back to JPEG */
    CHECK(tk_format_resolve(TK_FORMAT_SAME, TK_FORMAT_HEIC) == TK_FORMAT_JPEG);
    CHECK(tk_format_resolve(TK_FORMAT_SAME, TK_FORMAT_AVIF) == TK_FORMAT_JPEG);
    CHECK(tk_format_resolve(TK_FORMAT_SAME, TK_FORMAT_UNKNOWN) == TK_FORMAT_UNKNOWN);
    CHECK(tk_format_resolve(TK_FORMAT_SAME, TK_FORMAT_SAME) == TK_FORMAT_UNKNOWN);

    enum tk_fit fit;
    CHECK(tk_fit_parse("inside", &fit) == TK_OK && fit == TK_FIT_INSIDE);
    CHECK(tk_fit_parse("COVER", &fit) == TK_OK && fit == TK_FIT_COVER);
    CHECK(tk_fit_parse("fill", &fit) == TK_ERR_INVALID_ARGUMENT);
    CHECK(tk_fit_parse(NULL, &fit) == TK_ERR_INVALID_ARGUMENT);
    for (int i = TK_FIT_INSIDE; i <= TK_FIT_COVER; i++) {
        CHECK(tk_fit_parse(tk_fit_name((enum tk_fit)i), &fit) == TK_OK && (int)fit == i);
    }

    enum tk_filter fl;
    for (int i = TK_FILTER_LANCZOS3; i <= TK_FILTER_BOX; i++) {
        CHECK(tk_filter_parse(tk_filter_name((enum tk_filter)i), &fl) == TK_OK && (int)fl == i);
    }
    CHECK(tk_filter_parse("bicubic", &fl) == TK_OK && fl == TK_FILTER_CATMULL_ROM);
    CHECK(tk_filter_parse("nearest", &fl) == TK_ERR_INVALID_ARGUMENT);
}

static void test_defaults(void) {
    struct tk_options o;
    memset(&o, 0xAB, sizeof(o));
    tk_options_init(&o);
    CHECK(o.n_targets == 1);
    CHECK(o.targets[0].width == 256 && o.targets[0].height == 256);
    CHECK(o.targets[0].fit == TK_FIT_INSIDE);
    CHECK(o.format == TK_FORMAT_JPEG);
    CHECK(o.quality == TK_DEFAULT_QUALITY);
    CHECK(!o.progressive && !o.keep_pixels && o.shrink_on_load && o.colour_manage);
    CHECK(o.filter == TK_FILTER_LANCZOS3);
    CHECK(o.max_pixels == TK_DEFAULT_MAX_PIXELS);
    CHECK(o.max_input_bytes == TK_DEFAULT_MAX_INPUT_BYTES);
    CHECK(o.background[0] == 255 && o.background[1] == 255 && o.background[2] == 255);
}

/* Each mutation of valid options must be refused with a message and no thumbnail. */
static void expect_invalid(const struct test_file *img, const struct tk_options *o,
                           const char *what) {
    struct tk_result r;
    enum tk_status st = tk_thumbnail(img->data, img->size, o, &r);
    CHECKF(st == TK_ERR_INVALID_ARGUMENT, "%s: got %s", what, tk_status_name(st));
    CHECKF(r.n_thumbs == 0 && r.thumbs[0].data == NULL, "%s", what);
    CHECKF(strlen(r.error) > 0, "%s: empty message", what);
    tk_result_free(&r);
}

static void test_validation(const struct test_file *img) {
    struct tk_options o;
    tk_options_init(&o);
    o.n_targets = 0;
    expect_invalid(img, &o, "n_targets 0");
    tk_options_init(&o);
    o.n_targets = TK_MAX_TARGETS + 1;
    expect_invalid(img, &o, "n_targets too many");
    tk_options_init(&o);
    o.targets[0].width = 0;
    expect_invalid(img, &o, "width 0");
    tk_options_init(&o);
    o.targets[0].height = TK_MAX_BOX_SIDE + 1;
    expect_invalid(img, &o, "height above TK_MAX_BOX_SIDE");
    tk_options_init(&o);
    o.n_targets = 2; /* the second target is still all zero */
    expect_invalid(img, &o, "second target unset");
    tk_options_init(&o);
    o.targets[0].fit = (enum tk_fit)7;
    expect_invalid(img, &o, "fit enum");
    tk_options_init(&o);
    o.quality = 0;
    expect_invalid(img, &o, "quality 0");
    tk_options_init(&o);
    o.quality = 101;
    expect_invalid(img, &o, "quality 101");
    tk_options_init(&o);
    o.format = (enum tk_format)99;
    expect_invalid(img, &o, "format enum");
    o.format = TK_FORMAT_HEIC;
    expect_invalid(img, &o, "input-only output format");
    tk_options_init(&o);
    o.filter = (enum tk_filter) - 1;
    expect_invalid(img, &o, "filter enum");
    expect_invalid(img, NULL, "NULL options");

    /* the edges of the valid ranges are accepted */
    tk_options_init(&o);
    o.n_targets = TK_MAX_TARGETS;
    for (size_t i = 0; i < TK_MAX_TARGETS; i++) {
        o.targets[i] =
            (struct tk_target){i == 0 ? TK_MAX_BOX_SIDE : 1, 1 + (uint32_t)i, TK_FIT_INSIDE};
    }
    o.quality = 1;
    struct tk_result r;
    CHECK(tk_thumbnail(img->data, img->size, &o, &r) == TK_OK);
    CHECK(r.n_thumbs == TK_MAX_TARGETS);
    tk_result_free(&r);
    CHECK(r.n_thumbs == 0 && r.thumbs[0].data == NULL);
    tk_result_free(&r); /* twice is fine */
}

static void test_sniff_and_input_limits(const struct test_file *jpeg, const struct test_file *png) {
    CHECK(tk_sniff(jpeg->data, jpeg->size) == TK_FORMAT_JPEG);
    CHECK(tk_sniff(png->data, png->size) == TK_FORMAT_PNG);
    CHECK(tk_sniff(jpeg->data, 2) == TK_FORMAT_UNKNOWN);
    CHECK(tk_sniff(png->data, 7) == TK_FORMAT_UNKNOWN);
    CHECK(tk_sniff("GIF89a", 6) == TK_FORMAT_UNKNOWN);
    CHECK(tk_sniff(NULL, 0) == TK_FORMAT_UNKNOWN);

    struct tk_options o;
    tk_options_init(&o);
    struct tk_result r;
    CHECK(tk_thumbnail("", 0, &o, &r) == TK_ERR_NOT_AN_IMAGE && strlen(r.error) > 0);
    tk_result_free(&r);
    CHECK(tk_thumbnail(NULL, 0, &o, &r) == TK_ERR_NOT_AN_IMAGE);
    tk_result_free(&r);
    const char text[] = "<html><body>not an image</body></html>";
    CHECK(tk_thumbnail(text, sizeof(text), &o, &r) == TK_ERR_NOT_AN_IMAGE);
    CHECK(r.n_thumbs == 0 && strlen(r.error) > 0);
    tk_result_free(&r);

    o.max_input_bytes = jpeg->size - 1;
    CHECK(tk_thumbnail(jpeg->data, jpeg->size, &o, &r) == TK_ERR_TOO_LARGE);
    CHECK(r.n_thumbs == 0 && strlen(r.error) > 0);
    tk_result_free(&r);
    o.max_input_bytes = jpeg->size;
    CHECK(tk_thumbnail(jpeg->data, jpeg->size, &o, &r) == TK_OK);
    CHECK(r.source_format == TK_FORMAT_JPEG && r.n_thumbs == 1);
    tk_result_free(&r);

    /* max_pixels is checked against the header: 227x149 = 33823 pixels */
    tk_options_init(&o);
    o.max_pixels = 227 * 149 - 1;
    CHECK(tk_thumbnail(jpeg->data, jpeg->size, &o, &r) == TK_ERR_TOO_LARGE);
    CHECK(strstr(r.error, "227x149") != NULL);
    tk_result_free(&r);
    o.max_pixels = 227 * 149;
    CHECK(tk_thumbnail(jpeg->data, jpeg->size, &o, &r) == TK_OK);
    tk_result_free(&r);
    o.max_pixels = 32 * 32 - 1; /* basn2c08.png is 32x32 */
    CHECK(tk_thumbnail(png->data, png->size, &o, &r) == TK_ERR_TOO_LARGE);
    tk_result_free(&r);
}

static void test_version_and_isa(void) {
    const char *v = tk_version();
    int dots = 0;
    for (const char *c = v; *c; c++) {
        CHECKF(isdigit((unsigned char)*c) || *c == '.', "version %s", v);
        dots += *c == '.';
    }
    CHECKF(dots == 2, "version %s", v);
    const char *isa = tk_simd_name();
    CHECK(strcmp(isa, "scalar") == 0 || strcmp(isa, "sse41") == 0 || strcmp(isa, "avx2") == 0 ||
          strcmp(isa, "avx512") == 0 || strcmp(isa, "neon") == 0);
}

int main(int argc, char **argv) {
    char dir[4096];
    test_data_dir(dir, sizeof(dir), argc, argv, "jpeg");
    struct test_file jpeg = test_load_file(dir, "libjpeg-turbo__testorig.jpg");
    test_data_dir(dir, sizeof(dir), argc, argv, "pngsuite");
    struct test_file png = test_load_file(dir, "basn2c08.png");

    test_status_names();
    test_format_and_filter_names();
    test_defaults();
    test_validation(&jpeg);
    test_sniff_and_input_limits(&jpeg, &png);
    test_version_and_isa();

    test_file_free(&jpeg);
    test_file_free(&png);
    return check_done("test_api");
}
