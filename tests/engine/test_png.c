/* test_png.c — every PngSuite file: valid ones decode at their IHDR size in the
 * right layout, corrupt x* ones fail cleanly. */
#include "tk_test.h"

#include <string.h>

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* 1 when the file has a chunk of this type before IDAT (read independently of the engine). */
static int has_chunk(const struct test_file *b, const char *type) {
    size_t off = 8;
    while (off + 8 <= b->size) {
        uint32_t len = be32(b->data + off);
        if (memcmp(b->data + off + 4, type, 4) == 0) {
            return 1;
        }
        if (memcmp(b->data + off + 4, "IDAT", 4) == 0 || len > b->size - off - 8) {
            return 0;
        }
        off += 12 + (size_t)len;
    }
    return 0;
}

static enum tk_layout expected_layout(const struct test_file *b) {
    int color_type = b->data[25];
    int trns = has_chunk(b, "tRNS");
    switch (color_type) {
    case 0:
        return trns ? TK_LAYOUT_GRAY_ALPHA : TK_LAYOUT_GRAY;
    case 4:
        return TK_LAYOUT_GRAY_ALPHA;
    case 6:
        return TK_LAYOUT_RGBA;
    default:
        return trns ? TK_LAYOUT_RGBA : TK_LAYOUT_RGB;
    }
}

static void test_valid(const char *dir, const char *name) {
    struct test_file b = test_load_file(dir, name);
    struct tk_result r;
    /* a box as large as any PngSuite image: the thumbnail is the decoded image */
    enum tk_status st = tk_test_thumb(&b, 1024, 1024, &r);
    CHECKF(st == TK_OK, "%s: %s (%s)", name, tk_status_name(st), r.error);
    if (st == TK_OK) {
        uint32_t w = be32(b.data + 16), h = be32(b.data + 20);
        CHECKF(r.source_width == w && r.source_height == h, "%s: %ux%u, IHDR %ux%u", name,
               r.source_width, r.source_height, w, h);
        CHECKF(r.thumbs[0].width == w && r.thumbs[0].height == h, "%s", name);
        CHECKF(r.thumbs[0].pixels.layout == expected_layout(&b), "%s: layout %d", name,
               (int)r.thumbs[0].pixels.layout);
        CHECKF(r.source_format == TK_FORMAT_PNG && r.thumbs[0].format == TK_FORMAT_PNG &&
                   r.decode_scale == 1,
               "%s", name);
    }
    tk_result_free(&r);
    test_file_free(&b);
}

static void test_corrupt(const char *dir, const char *name) {
    struct test_file b = test_load_file(dir, name);
    struct tk_result r;
    enum tk_status st = tk_test_thumb(&b, 64, 64, &r);
    CHECKF(st == TK_ERR_CORRUPT || st == TK_ERR_NOT_AN_IMAGE || st == TK_ERR_UNSUPPORTED, "%s: %s",
           name, tk_status_name(st));
    CHECKF(strlen(r.error) > 0, "%s: empty message", name);
    CHECKF(r.n_thumbs == 0 && r.thumbs[0].data == NULL, "%s", name);
    printf("%-14s %-13s %s\n", name, tk_status_name(st), r.error);
    tk_result_free(&r);
    test_file_free(&b);
}

/* Adam7 and plain files of the same picture must decode to the same pixels. */
static void test_interlace_pairs(const char *dir, char **names, size_t n) {
    int pairs = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(names[i], "basi", 4) != 0) {
            continue;
        }
        char plain[64];
        snprintf(plain, sizeof(plain), "basn%s", names[i] + 4);
        struct test_file a = test_load_file(dir, names[i]);
        struct test_file b = test_load_file(dir, plain);
        struct tk_result ra, rb;
        CHECK(tk_test_thumb(&a, 1024, 1024, &ra) == TK_OK);
        CHECK(tk_test_thumb(&b, 1024, 1024, &rb) == TK_OK);
        CHECKF(tk_test_mad(&ra.thumbs[0].pixels, &rb.thumbs[0].pixels) == 0.0, "%s vs %s", names[i],
               plain);
        pairs++;
        tk_result_free(&ra);
        tk_result_free(&rb);
        test_file_free(&a);
        test_file_free(&b);
    }
    CHECK(pairs == 15);
}

/* Known pixels: tbrn2c08 has a tRNS colour, so some pixels are transparent;
 * basn0g16 is a 16-bit gray ramp reduced to 8 bits. */
static void test_pixels(const char *dir) {
    struct test_file b = test_load_file(dir, "tbrn2c08.png");
    struct tk_result r;
    CHECK(tk_test_thumb(&b, 1024, 1024, &r) == TK_OK);
    size_t transparent = 0, opaque = 0;
    const struct tk_image *im = &r.thumbs[0].pixels;
    for (uint32_t y = 0; y < im->height; y++) {
        for (uint32_t x = 0; x < im->width; x++) {
            uint8_t a = im->pixels[(size_t)y * im->stride + (size_t)x * 4 + 3];
            transparent += a == 0;
            opaque += a == 255;
        }
    }
    CHECK(transparent > 0 && opaque > 0 && transparent + opaque == (size_t)im->width * im->height);
    tk_result_free(&r);
    test_file_free(&b);

    b = test_load_file(dir, "basn0g16.png");
    CHECK(tk_test_thumb(&b, 1024, 1024, &r) == TK_OK);
    im = &r.thumbs[0].pixels;
    int lo = 255, hi = 0;
    for (size_t i = 0; i < (size_t)im->width * im->height; i++) {
        lo = im->pixels[i] < lo ? im->pixels[i] : lo;
        hi = im->pixels[i] > hi ? im->pixels[i] : hi;
    }
    CHECK(lo == 0 && hi == 255); /* the full range survives 16 -> 8 */
    tk_result_free(&r);
    test_file_free(&b);
}

int main(int argc, char **argv) {
    char dir[4096];
    test_data_dir(dir, sizeof(dir), argc, argv, "pngsuite");
    size_t n;
    char **names = test_list_dir(dir, ".png", &n);
    size_t valid = 0, corrupt = 0;
    for (size_t i = 0; i < n; i++) {
        if (names[i][0] == 'x') {
            test_corrupt(dir, names[i]);
            corrupt++;
        } else {
            test_valid(dir, names[i]);
            valid++;
        }
    }
    CHECKF(valid == 161 && corrupt == 14, "%zu valid, %zu corrupt files", valid, corrupt);
    test_interlace_pairs(dir, names, n);
    test_pixels(dir);
    test_names_free(names, n);
    return check_done("test_png");
}
