/* test_exif.c — the EXIF parser on crafted bytes, and upright thumbnails for all 8 orientations. */
#include "tk_test.h"

#include "exif.h"
#include "ops.h"

#include <string.h>

/* A TIFF block with IFD0 at offset 8 holding @p n entries, the orientation last. */
static size_t make_tiff(uint8_t *buf, int big, uint16_t type, uint32_t value, int n) {
    memset(buf, 0, 256);
    buf[0] = buf[1] = big ? 'M' : 'I';
    buf[big ? 3 : 2] = 42;
    buf[big ? 7 : 4] = 8; /* IFD0 offset */
    buf[big ? 9 : 8] = (uint8_t)n;
    uint8_t *e = buf + 10;
    for (int i = 0; i < n; i++, e += 12) {
        uint16_t tag = i == n - 1 ? 0x0112 : (uint16_t)(0x0100 + i); /* sorted, like real files */
        e[big ? 0 : 1] = (uint8_t)(tag >> 8);
        e[big ? 1 : 0] = (uint8_t)tag;
        e[big ? 3 : 2] = (uint8_t)type;
        e[big ? 7 : 4] = 1; /* count */
        if (type == 3) {
            e[big ? 9 : 8] = (uint8_t)value;
            e[big ? 8 : 9] = (uint8_t)(value >> 8);
        } else {
            e[big ? 11 : 8] = (uint8_t)value;
        }
    }
    return 10 + 12 * (size_t)n + 4;
}

static void test_parser(void) {
    uint8_t t[256];
    for (int big = 0; big <= 1; big++) {
        for (uint32_t v = 1; v <= 8; v++) {
            size_t n = make_tiff(t, big, 3, v, 3);
            CHECKF(tk_exif_orientation_tiff(t, n) == (int)v, "big=%d v=%u", big, v);
        }
        size_t n = make_tiff(t, big, 3, 0, 1);
        CHECK(tk_exif_orientation_tiff(t, n) == 1); /* 0 is invalid */
        n = make_tiff(t, big, 3, 9, 1);
        CHECK(tk_exif_orientation_tiff(t, n) == 1);
        n = make_tiff(t, big, 3, 0x106, 1); /* high byte set: 262 */
        CHECK(tk_exif_orientation_tiff(t, n) == 1);
        n = make_tiff(t, big, 4, 6, 1); /* LONG written by some tools */
        CHECK(tk_exif_orientation_tiff(t, n) == 6);
        n = make_tiff(t, big, 2, 6, 1); /* ASCII: wrong type */
        CHECK(tk_exif_orientation_tiff(t, n) == 1);
        /* the entry crosses the end of the buffer: must not be read */
        n = make_tiff(t, big, 3, 6, 2);
        CHECK(tk_exif_orientation_tiff(t, n - 5) == 1);
        CHECK(tk_exif_orientation_tiff(t, 9) == 1);
    }
    size_t n = make_tiff(t, 0, 3, 6, 1);
    t[4] = 0xF0; /* IFD offset far outside */
    CHECK(tk_exif_orientation_tiff(t, n) == 1);
    t[4] = 0xFF, t[5] = t[6] = t[7] = 0xFF; /* offset near 2^32: no wrap-around */
    CHECK(tk_exif_orientation_tiff(t, n) == 1);
    n = make_tiff(t, 0, 3, 6, 1);
    t[8] = 0xFF; /* entry count far too large */
    CHECK(tk_exif_orientation_tiff(t, n) == 1);
    n = make_tiff(t, 0, 3, 6, 1);
    t[2] = 43; /* not TIFF */
    CHECK(tk_exif_orientation_tiff(t, n) == 1);
    CHECK(tk_exif_orientation_tiff(NULL, 0) == 1);

    uint8_t app1[300] = {'E', 'x', 'i', 'f', 0, 0};
    n = make_tiff(t, 1, 3, 8, 2);
    memcpy(app1 + 6, t, n);
    CHECK(tk_exif_orientation_app1(app1, n + 6) == 8);
    CHECK(tk_exif_orientation_app1((const uint8_t *)"http://ns.adobe.com/xap/1.0/", 28) == 0);
    CHECK(tk_exif_orientation_app1(app1, 5) == 0);
}

/* tk_orient on a 3x2 image whose pixels are numbered in reading order. */
static void test_orient_small(void) {
    uint8_t px[6] = {1, 2, 3, 4, 5, 6};
    struct tk_image src = {px, 3, 2, 3, TK_LAYOUT_GRAY};
    /* expected upright images, in reading order, for orientations 1..8 */
    static const uint8_t want[9][6] = {
        {0},
        {1, 2, 3, 4, 5, 6},
        {3, 2, 1, 6, 5, 4},
        {6, 5, 4, 3, 2, 1},
        {4, 5, 6, 1, 2, 3},
        {1, 4, 2, 5, 3, 6},
        {4, 1, 5, 2, 6, 3},
        {6, 3, 5, 2, 4, 1},
        {3, 6, 2, 5, 1, 4},
    };
    for (int o = 1; o <= 8; o++) {
        struct tk_image dst;
        CHECK(tk_orient(&src, o, &dst) == TK_OK);
        uint32_t w = o >= 5 ? 2 : 3;
        CHECKF(dst.width == w && dst.height == 6 / w, "o=%d", o);
        CHECKF(memcmp(dst.pixels, want[o], 6) == 0, "o=%d", o);
        tk_image_free(&dst);
    }
}

/* The stored pixel shown at upright (x, y) under orientation @p o (the EXIF definition). */
static void stored_at(int o, uint32_t sw, uint32_t sh, uint32_t x, uint32_t y, uint32_t *sx,
                      uint32_t *sy) {
    const uint32_t mx = sw - 1, my = sh - 1;
    switch (o) {
    case 2:
        *sx = mx - x, *sy = y;
        break;
    case 3:
        *sx = mx - x, *sy = my - y;
        break;
    case 4:
        *sx = x, *sy = my - y;
        break;
    case 5:
        *sx = y, *sy = x;
        break;
    case 6:
        *sx = y, *sy = my - x;
        break;
    case 7:
        *sx = mx - y, *sy = my - x;
        break;
    case 8:
        *sx = mx - y, *sy = x;
        break;
    default:
        *sx = x, *sy = y;
        break;
    }
}

/* tk_orient on every layout and orientation of a 5x3 image with a padded stride (and a
 * 1x1 and an out-of-range orientation), against stored_at() pixel by pixel. */
static void test_orient_layouts(void) {
    enum { SW = 5, SH = 3, STRIDE = 23 };
    uint8_t px[SH * STRIDE];
    for (size_t i = 0; i < sizeof px; i++) {
        px[i] = (uint8_t)(i * 37 + 11);
    }
    for (int ch = 1; ch <= 4; ch++) {
        for (int o = 0; o <= 9; o++) {
            struct tk_image src = {px, SW, SH, STRIDE, (enum tk_layout)ch}, dst;
            CHECK(tk_orient(&src, o, &dst) == TK_OK);
            const int swaps = o >= 5 && o <= 8;
            CHECKF(dst.width == (swaps ? SH : SW) && dst.height == (swaps ? SW : SH), "ch=%d o=%d",
                   ch, o);
            int bad = 0;
            for (uint32_t y = 0; y < dst.height; y++) {
                for (uint32_t x = 0; x < dst.width; x++) {
                    uint32_t sx, sy;
                    stored_at(o, SW, SH, x, y, &sx, &sy);
                    bad += memcmp(dst.pixels + y * dst.stride + x * (size_t)ch,
                                  px + sy * STRIDE + sx * (size_t)ch, (size_t)ch) != 0;
                }
            }
            CHECKF(bad == 0, "ch=%d o=%d: %d pixels misplaced", ch, o, bad);
            tk_image_free(&dst);
        }
    }
    uint8_t one[4] = {9, 8, 7, 6};
    struct tk_image dot = {one, 1, 1, 4, TK_LAYOUT_RGBA}, out;
    CHECK(tk_orient(&dot, 6, &out) == TK_OK);
    CHECK(out.width == 1 && out.height == 1 && memcmp(out.pixels, one, 4) == 0);
    tk_image_free(&out);
}

/* Every Landscape_N must equal Landscape_1 once upright; likewise Portrait_N. */
static void test_photo_set(const char *dir, const char *stem, uint32_t want_w, uint32_t want_h) {
    char name[64];
    struct tk_result ref;
    snprintf(name, sizeof(name), "%s_1.jpg", stem);
    struct test_file b = test_load_file(dir, name);
    CHECK(tk_test_thumb(&b, 120, 120, &ref) == TK_OK);
    CHECK(ref.thumbs[0].width == want_w && ref.thumbs[0].height == want_h);
    test_file_free(&b);

    /* the metric can fail: the reference turned upside down is far from itself */
    struct tk_image flipped;
    CHECK(tk_orient(&ref.thumbs[0].pixels, 3, &flipped) == TK_OK);
    double far = tk_test_mad(&flipped, &ref.thumbs[0].pixels);
    CHECKF(far > 15, "%s: upside-down differs by only %.2f", stem, far);
    tk_image_free(&flipped);

    for (int n = 0; n <= 8; n++) {
        struct tk_result r;
        snprintf(name, sizeof(name), "%s_%d.jpg", stem, n);
        b = test_load_file(dir, name);
        CHECKF(tk_test_thumb(&b, 120, 120, &r) == TK_OK, "%s", name);
        CHECKF(r.orientation == (n == 0 ? 1 : n), "%s: orientation %d", name, r.orientation);
        double mad = tk_test_mad(&r.thumbs[0].pixels, &ref.thumbs[0].pixels);
        CHECKF(mad >= 0 && mad < 4.0, "%s: mean abs diff %.2f from %s_1", name, mad, stem);
        tk_result_free(&r);
        test_file_free(&b);
    }
    tk_result_free(&ref);
}

/* A PNG eXIf chunk is honoured like JPEG EXIF: basn2c08.png with an eXIf
 * (orientation 6) inserted after IHDR comes out as the plain file turned. */
static void test_png_exif(const char *png_dir) {
    struct test_file plain = test_load_file(png_dir, "basn2c08.png");
    uint8_t tiff[256];
    size_t tn = make_tiff(tiff, 1, 3, 6, 1);
    size_t ihdr_end = 8 + 25, len = plain.size + 12 + tn;
    uint8_t *p = malloc(len);
    CHECK(p != NULL);
    memcpy(p, plain.data, ihdr_end);
    uint8_t *c = p + ihdr_end;
    c[0] = (uint8_t)(tn >> 24), c[1] = (uint8_t)(tn >> 16), c[2] = (uint8_t)(tn >> 8);
    c[3] = (uint8_t)tn;
    memcpy(c + 4, "eXIf", 4);
    memcpy(c + 8, tiff, tn);
    uint32_t crc = tk_test_crc32(c + 4, 4 + tn);
    c[8 + tn] = (uint8_t)(crc >> 24), c[9 + tn] = (uint8_t)(crc >> 16);
    c[10 + tn] = (uint8_t)(crc >> 8), c[11 + tn] = (uint8_t)crc;
    memcpy(c + 12 + tn, plain.data + ihdr_end, plain.size - ihdr_end);

    struct test_file turned = {p, len};
    struct tk_result a, b;
    CHECK(tk_test_thumb(&plain, 64, 64, &a) == TK_OK && a.orientation == 1);
    enum tk_status st = tk_test_thumb(&turned, 64, 64, &b);
    CHECKF(st == TK_OK && b.orientation == 6, "%s, orientation %d (%s)", tk_status_name(st),
           b.orientation, b.error);
    struct tk_image want;
    CHECK(tk_orient(&a.thumbs[0].pixels, 6, &want) == TK_OK);
    CHECK(st == TK_OK && tk_test_mad(&want, &b.thumbs[0].pixels) == 0.0);
    tk_image_free(&want);
    tk_result_free(&a);
    tk_result_free(&b);
    free(p);
    test_file_free(&plain);
}

int main(int argc, char **argv) {
    char dir[4096];
    test_data_dir(dir, sizeof(dir), argc, argv, "exif-orientation");
    test_parser();
    test_orient_small();
    test_orient_layouts();
    test_photo_set(dir, "Landscape", 120, 80);
    test_photo_set(dir, "Portrait", 80, 120);
    test_data_dir(dir, sizeof(dir), argc, argv, "pngsuite");
    test_png_exif(dir);
    return check_done("test_exif");
}
