/* test_limits.c — the engine's bounds on hostile input: PNG decoded row by row with a box
 * shrink equal to averaging the full decode, the side limit, the memory budget (every format)
 * and the scan limit before decoding (formats recognised but not decoded: test_formats.c). */
#include "tk_test.h"

#include <string.h>

#include "decode.h"
#include "geometry.h"
#include "image.h"

/* The expected box average of @p full over fx x fy blocks: alpha-weighted where there is
 * alpha, rounded as the decoder rounds. */
static uint8_t expected(const struct tk_image *full, uint32_t ox, uint32_t oy, uint32_t fx,
                        uint32_t fy, size_t c) {
    size_t ch = (size_t)full->layout;
    int alpha = tk_layout_has_alpha(full->layout);
    uint64_t sum = 0, asum = 0, n = 0;
    for (uint32_t y = oy * fy; y < (oy + 1) * fy && y < full->height; y++) {
        for (uint32_t x = ox * fx; x < (ox + 1) * fx && x < full->width; x++) {
            const uint8_t *p = full->pixels + (size_t)y * full->stride + (size_t)x * ch;
            uint32_t a = alpha ? p[ch - 1] : 1;
            sum += (alpha && c + 1 == ch) ? p[c] : (uint64_t)p[c] * a;
            asum += a;
            n++;
        }
    }
    if (alpha && c + 1 == ch) {
        return (uint8_t)((sum + n / 2) / n);
    }
    if (alpha) {
        return asum ? (uint8_t)((sum + asum / 2) / asum) : 0;
    }
    return (uint8_t)((sum + n / 2) / n);
}

static void shrink_case(const char *dir, const char *name, uint32_t fx, uint32_t fy) {
    struct test_file f = test_load_file(dir, name);
    struct tk_png_request one = {TK_DEFAULT_MAX_PIXELS, 1, 1},
                          box = {TK_DEFAULT_MAX_PIXELS, fx, fy};
    struct tk_image full, small;
    struct tk_source_info info;
    char err[256];
    CHECKF(tk_png_decode(f.data, f.size, &one, &full, &info, err, sizeof err) == TK_OK, "%s", name);
    CHECKF(tk_png_decode(f.data, f.size, &box, &small, &info, err, sizeof err) == TK_OK, "%s",
           name);
    CHECKF(small.width == (full.width + fx - 1) / fx && small.height == (full.height + fy - 1) / fy,
           "%s %ux%u: %ux%u", name, fx, fy, small.width, small.height);
    size_t ch = (size_t)full.layout, wrong = 0;
    for (uint32_t y = 0; y < small.height; y++) {
        for (uint32_t x = 0; x < small.width; x++) {
            for (size_t c = 0; c < ch; c++) {
                uint8_t got = small.pixels[(size_t)y * small.stride + (size_t)x * ch + c];
                wrong += got != expected(&full, x, y, fx, fy, c);
            }
        }
    }
    CHECKF(wrong == 0, "%s shrunk %ux%u: %zu values differ from the box average", name, fx, fy,
           wrong);
    tk_image_free(&full);
    tk_image_free(&small);
    test_file_free(&f);
}

/* A PNG signature and IHDR of @p w x @p h (8-bit gray) and nothing else. */
static size_t png_header(uint8_t *out, uint32_t w, uint32_t h) {
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    uint8_t ihdr[17] = {'I',
                        'H',
                        'D',
                        'R',
                        (uint8_t)(w >> 24),
                        (uint8_t)(w >> 16),
                        (uint8_t)(w >> 8),
                        (uint8_t)w,
                        (uint8_t)(h >> 24),
                        (uint8_t)(h >> 16),
                        (uint8_t)(h >> 8),
                        (uint8_t)h,
                        8,
                        0,
                        0,
                        0,
                        0};
    uint32_t crc = tk_test_crc32(ihdr, sizeof ihdr);
    memcpy(out, sig, 8);
    memcpy(out + 8, "\0\0\0\x0d", 4);
    memcpy(out + 12, ihdr, sizeof ihdr);
    uint8_t c[4] = {(uint8_t)(crc >> 24), (uint8_t)(crc >> 16), (uint8_t)(crc >> 8), (uint8_t)crc};
    memcpy(out + 29, c, 4);
    return 33;
}

static void test_side_limit(void) {
    uint8_t buf[64];
    struct tk_options o;
    tk_options_init(&o);
    struct tk_result r;
    /* 100,000,000 x 1 is within the pixel limit but not the side limit: refused at once. */
    size_t n = png_header(buf, 100000000u, 1);
    CHECK(tk_thumbnail(buf, n, &o, &r) == TK_ERR_TOO_LARGE && strstr(r.error, "side") != NULL);
    n = png_header(buf, 1, TK_MAX_SOURCE_SIDE + 1);
    CHECK(tk_thumbnail(buf, n, &o, &r) == TK_ERR_TOO_LARGE && strstr(r.error, "side") != NULL);
    /* at the limit the header passes (the missing IDAT is what fails) */
    n = png_header(buf, TK_MAX_SOURCE_SIDE, 1);
    CHECK(tk_thumbnail(buf, n, &o, &r) == TK_ERR_CORRUPT);
}

static void test_shrink_choice(void) {
    struct tk_target t = {256, 256, TK_FIT_INSIDE};
    struct tk_geom g;
    uint32_t fx, fy;
    tk_geom_plan(10000, 10000, 1, &t, &g);
    tk_geom_pick_shrink(&g, 1, &fx, &fy);
    CHECKF(fx == 19 && fy == 19, "%ux%u", fx, fy); /* 10000 / 19 = 526 >= 2 * 256 */
    tk_geom_plan(65535, 1, 1, &t, &g);
    tk_geom_pick_shrink(&g, 1, &fx, &fy);
    CHECKF(fx == 127 && fy == 1, "%ux%u", fx, fy);
    tk_geom_plan(40, 30, 1, &t, &g); /* no upscaling, nothing to shrink */
    tk_geom_pick_shrink(&g, 1, &fx, &fy);
    CHECK(fx == 1 && fy == 1);
}

static void test_budget(const char *data_dir) {
    struct test_file f = test_load_file(data_dir, "exif-orientation/Landscape_1.jpg");
    struct tk_options o;
    tk_options_init(&o);
    struct tk_result r;
    o.max_memory = 1u << 20; /* 1 MiB cannot hold a 1800x1200 photo at any scale */
    CHECK(tk_thumbnail(f.data, f.size, &o, &r) == TK_ERR_OVER_BUDGET);
    CHECKF(strstr(r.error, "memory budget") != NULL && r.n_thumbs == 0, "%s", r.error);
    CHECK(strcmp(tk_status_name(TK_ERR_OVER_BUDGET), "over_memory_budget") == 0);
    o.max_memory = 64u << 20;
    CHECK(tk_thumbnail(f.data, f.size, &o, &r) == TK_OK);
    tk_result_free(&r);
    test_file_free(&f);
    /* WebP (still, lossless, animated) and HEIF: the decoder asks before decoding a pixel. */
    static const char *const resized[] = {"webp/immich-test-assets__denali.webp",
                                          "webp/metadata-extractor-images__webpvp8l-reduced.webp",
                                          "webp/metadata-extractor-images__Animation_Lossy.webp",
                                          "heic/metadata-extractor-images__IMG_1034.heic"};
    for (size_t i = 0; i < sizeof resized / sizeof resized[0]; i++) {
        f = test_load_file(data_dir, resized[i]);
        o.max_memory = 256u << 10;
        enum tk_status st = tk_thumbnail(f.data, f.size, &o, &r);
        CHECKF(st == TK_ERR_OVER_BUDGET && strstr(r.error, "memory budget") != NULL &&
                   r.n_thumbs == 0 && r.decoded_width == 0,
               "%s: %s %s", resized[i], tk_status_name(st), r.error);
        o.max_memory = 256u << 20;
        st = tk_thumbnail(f.data, f.size, &o, &r);
        CHECKF(st == TK_OK, "%s: %s %s", resized[i], tk_status_name(st), r.error);
        tk_result_free(&r);
        test_file_free(&f);
    }
}

int main(int argc, char **argv) {
    char dir[4096], png[4096];
    test_data_dir(dir, sizeof(dir), argc, argv, NULL);
    test_data_dir(png, sizeof(png), argc, argv, "pngsuite");
    static const char *const files[] = {"basn2c08.png", "basn6a08.png", "basi6a16.png",
                                        "basn4a16.png", "tbbn3p08.png", "s35i3p04.png",
                                        "basi0g01.png", "s09n3p02.png"};
    static const uint32_t factors[][2] = {{2, 2}, {3, 1}, {1, 4}, {5, 3}, {32, 32}, {7, 9}};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        for (size_t k = 0; k < sizeof factors / sizeof factors[0]; k++) {
            shrink_case(png, files[i], factors[k][0], factors[k][1]);
        }
    }
    test_side_limit();
    test_shrink_choice();
    test_budget(dir);
    return check_done("test_limits");
}
