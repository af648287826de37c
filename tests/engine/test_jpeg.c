/* test_jpeg.c — every JPEG in tests/data/jpeg must give its expected status; CMYK colours;
 * truncated data never gives a thumbnail. */
#include "tk_test.h"

#include <math.h>

#include <string.h>

/* Expected outcome per file; dimensions as stored, from MANIFEST.md. */
static const struct {
    const char *file;
    enum tk_status status;
    uint32_t w, h;
    int orientation;
} expected[] = {
    {"exif-samples__DSCN0010.jpg", TK_OK, 640, 480, 1},
    {"exif-samples__canon_hdr_NO.jpg", TK_OK, 2048, 1536, 6},
    {"exif-samples__nikon-e950.jpg", TK_OK, 800, 600, 1},
    {"libjpeg-turbo__monkey12.jpg", TK_ERR_UNSUPPORTED, 0, 0, 0},
    {"libjpeg-turbo__testimgari.jpg", TK_OK, 227, 149, 1},
    {"libjpeg-turbo__testimgint.jpg", TK_OK, 227, 149, 1},
    {"libjpeg-turbo__testorig.jpg", TK_OK, 227, 149, 1},
    {"libjpeg-turbo__testorig12.jpg", TK_ERR_UNSUPPORTED, 0, 0, 0},
    {"metadata-extractor-images__Canon_EOS_20D_2-crop.jpg", TK_OK, 480, 640, 1}, /* 4:4:0 */
    {"metadata-extractor-images__Issue_242.jpg", TK_OK, 960, 1280, 1},
    {"metadata-extractor-images__Multiple_ICC_segments.jpg", TK_OK, 140, 140, 1},
    {"metadata-extractor-images__Panasonic_DMC-LC70_Lumix.jpg", TK_OK, 1280, 960, 1},
    /* height 0 in SOF, real height in a DNL marker: libjpeg-turbo 2.1 cannot */
    {"metadata-extractor-images__beach.jpg", TK_ERR_UNSUPPORTED, 0, 0, 0},
    {"sharp__2569067123_aca715a2ee_o.jpg", TK_OK, 2725, 2225, 1},
    {"sharp__Channel_digital_image_CMYK_color.jpg", TK_OK, 500, 333, 1},
    {"sharp__Channel_digital_image_CMYK_color_no_profile.jpg", TK_OK, 500, 333, 1},
    {"sharp__concert.jpg", TK_OK, 400, 267, 1},
    {"sharp__corrupt-header.jpg", TK_ERR_CORRUPT, 0, 0, 0},
    {"sharp__gain-map.jpg", TK_OK, 3840, 2160, 1},
    {"sharp__giant-image.jpg", TK_ERR_TOO_LARGE, 0, 0, 0},
    {"sharp__testimgl.jpg", TK_ERR_UNSUPPORTED, 0, 0, 0},
    {"sharp__truncated.jpg", TK_ERR_CORRUPT, 0, 0, 0},
    {"thumbor__Giunchedi_Filippo_January_2015_01-cmyk-orientation-exif.jpg", TK_OK, 800, 533, 6},
    {"thumbor__grayscale-icc.jpg", TK_OK, 50, 50, 1},
    {"thumbor__invalid_quantization.jpg", TK_OK, 300, 400, 1},
};
#define N_EXPECTED (sizeof(expected) / sizeof(expected[0]))

static void test_corpus(const char *dir) {
    size_t n;
    char **names = test_list_dir(dir, ".jpg", &n);
    CHECKF(n == N_EXPECTED, "%zu files in %s, %zu in the table", n, dir, N_EXPECTED);
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (k < N_EXPECTED && strcmp(expected[k].file, names[i]) != 0) {
            k++;
        }
        CHECKF(k < N_EXPECTED, "%s has no expected status: add it to the table", names[i]);
        if (k == N_EXPECTED) {
            continue;
        }
        struct test_file b = test_load_file(dir, names[i]);
        struct tk_result r;
        enum tk_status st = tk_test_thumb(&b, 256, 256, &r);
        printf("%-70s %-12s %s\n", names[i], tk_status_name(st), r.error);
        CHECKF(st == expected[k].status, "%s: %s, expected %s (%s)", names[i], tk_status_name(st),
               tk_status_name(expected[k].status), r.error);
        if (expected[k].status == TK_OK && st == TK_OK) {
            CHECKF(r.source_width == expected[k].w && r.source_height == expected[k].h, "%s",
                   names[i]);
            CHECKF(r.orientation == expected[k].orientation, "%s: orientation %d", names[i],
                   r.orientation);
            uint32_t tw = r.thumbs[0].width, th = r.thumbs[0].height;
            CHECKF(tw <= 256 && th <= 256 && (tw == 256 || th == 256 || tw == r.source_width),
                   "%s: thumbnail %ux%u", names[i], tw, th);
            CHECK(r.source_format == TK_FORMAT_JPEG && r.n_thumbs == 1);
        } else if (st != TK_OK) {
            CHECKF(strlen(r.error) > 0 && r.n_thumbs == 0 && r.thumbs[0].data == NULL, "%s",
                   names[i]);
        }
        tk_result_free(&r);
        test_file_free(&b);
    }
    test_names_free(names, n);
}

static void test_messages(const char *dir) {
    struct test_file b = test_load_file(dir, "sharp__giant-image.jpg");
    struct tk_result r;
    CHECK(tk_test_thumb(&b, 256, 256, &r) == TK_ERR_TOO_LARGE);
    CHECKF(strcmp(r.error, "image is 20000x14000 (280.0 MP), above the limit of 100.0 MP") == 0,
           "%s", r.error);
    tk_result_free(&r);
    test_file_free(&b);

    b = test_load_file(dir, "sharp__truncated.jpg");
    CHECK(tk_test_thumb(&b, 256, 256, &r) == TK_ERR_CORRUPT);
    CHECKF(strcmp(r.error, "JPEG: Premature end of JPEG file") == 0, "%s", r.error);
    tk_result_free(&r);
    test_file_free(&b);

    b = test_load_file(dir, "libjpeg-turbo__testorig12.jpg");
    CHECK(tk_test_thumb(&b, 256, 256, &r) == TK_ERR_UNSUPPORTED);
    CHECKF(strstr(r.error, "precision 12") != NULL, "%s", r.error);
    tk_result_free(&r);
    test_file_free(&b);
}

/*
 * CMYK. Without a profile (the naive conversion) the expected colours were chosen by looking
 * at the thumbnails, then measured at full size (box 1024: no resampling, so the filter
 * cannot move them) and cross-checked against ImageMagick's own CMYK -> sRGB conversion of
 * the same file, which gives the same means within 1: the lawn (x 20..99, y 254..313) is a
 * medium green, about (86, 111, 65); the girl's coat (x 332..343, y 201..212) a dark red,
 * about (105, 36, 44). Reading Adobe's inverted CMYK the wrong way round gives magenta-black
 * grass, a lost K channel a washed-out image: both are far outside these tolerances.
 * With its embedded SWOP profile the same picture goes through LittleCMS: Pillow's ImageCms
 * (relative colorimetric, black point compensation) gives lawn (100.9, 108.2, 83.5) and coat
 * (122.8, 49.4, 53.3) on the same file.
 */
static void region_rgb(const struct tk_image *im, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
                       double out[3]) {
    for (int c = 0; c < 3; c++) {
        out[c] = tk_test_region_mean(im, x, y, w, h, c);
    }
}

static void test_cmyk(const char *dir) {
    struct test_file a = test_load_file(dir, "sharp__Channel_digital_image_CMYK_color.jpg");
    struct test_file b =
        test_load_file(dir, "sharp__Channel_digital_image_CMYK_color_no_profile.jpg");
    struct tk_result ra, rb;
    CHECK(tk_test_thumb(&a, 256, 256, &ra) == TK_OK);
    CHECK(tk_test_thumb(&b, 256, 256, &rb) == TK_OK);
    CHECK(rb.thumbs[0].pixels.layout == TK_LAYOUT_RGB);
    CHECK(rb.thumbs[0].width == 256 && rb.thumbs[0].height == 170);
    CHECK_STR(ra.colour, "converted");
    CHECK_STR(rb.colour, "none");
    double mad = tk_test_mad(&ra.thumbs[0].pixels, &rb.thumbs[0].pixels);
    CHECKF(mad > 3.0, "the profile made no difference (%.2f)", mad);
    tk_result_free(&ra);
    tk_result_free(&rb);

    CHECK(tk_test_thumb(&b, 1024, 1024, &rb) == TK_OK);
    const struct tk_image *im = &rb.thumbs[0].pixels;
    CHECK(im->width == 500 && im->height == 333);
    double m[3];
    region_rgb(im, 20, 254, 80, 60, m);
    CHECKF(m[0] > 71 && m[0] < 101 && m[1] > 96 && m[1] < 126 && m[2] > 50 && m[2] < 80,
           "lawn is (%.0f, %.0f, %.0f), expected about (86, 111, 65)", m[0], m[1], m[2]);
    region_rgb(im, 332, 201, 12, 12, m);
    CHECKF(m[0] > 90 && m[0] < 120 && m[0] > 2 * m[1] && m[0] > 2 * m[2],
           "coat is (%.0f, %.0f, %.0f), expected about (105, 36, 44)", m[0], m[1], m[2]);
    CHECK(tk_test_thumb(&a, 1024, 1024, &ra) == TK_OK);
    const struct tk_image *pm = &ra.thumbs[0].pixels;
    region_rgb(pm, 20, 254, 80, 60, m);
    CHECKF(fabs(m[0] - 100.9) < 1.5 && fabs(m[1] - 108.2) < 1.5 && fabs(m[2] - 83.5) < 1.5,
           "lawn through SWOP is (%.1f, %.1f, %.1f), expected (100.9, 108.2, 83.5)", m[0], m[1],
           m[2]);
    region_rgb(pm, 332, 201, 12, 12, m);
    CHECKF(fabs(m[0] - 122.8) < 1.5 && fabs(m[1] - 49.4) < 1.5 && fabs(m[2] - 53.3) < 1.5,
           "coat through SWOP is (%.1f, %.1f, %.1f), expected (122.8, 49.4, 53.3)", m[0], m[1],
           m[2]);
    tk_result_free(&ra);
    tk_result_free(&rb);
    test_file_free(&a);
    test_file_free(&b);

    /* YCCK + orientation 6: stored 800x533, shown upright as 171x256 */
    a = test_load_file(dir, "thumbor__Giunchedi_Filippo_January_2015_01-cmyk-orientation-exif.jpg");
    CHECK(tk_test_thumb(&a, 256, 256, &ra) == TK_OK);
    CHECK(ra.thumbs[0].width == 171 && ra.thumbs[0].height == 256 && ra.orientation == 6);
    /* the foliage at the top of the upright image is green */
    im = &ra.thumbs[0].pixels;
    region_rgb(im, 20, 10, 130, 30, m);
    CHECKF(m[1] > m[0] && m[1] > m[2], "foliage is (%.0f, %.0f, %.0f), expected green", m[0], m[1],
           m[2]);
    tk_result_free(&ra);
    test_file_free(&a);
}

/* A JPEG cut anywhere inside its scan data must fail, never come out half grey. */
static void test_truncation(const char *dir) {
    static const char *files[] = {"libjpeg-turbo__testorig.jpg",
                                  "metadata-extractor-images__Issue_242.jpg",
                                  "libjpeg-turbo__testimgari.jpg"};
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        struct test_file b = test_load_file(dir, files[f]);
        for (int pct = 10; pct <= 95; pct += 17) {
            size_t cut = b.size * (size_t)pct / 100;
            struct tk_result r;
            struct test_file part = {b.data, cut};
            enum tk_status st = tk_test_thumb(&part, 64, 64, &r);
            CHECKF(st == TK_ERR_CORRUPT, "%s cut at %d%%: %s", files[f], pct, tk_status_name(st));
            CHECK(r.n_thumbs == 0 && strlen(r.error) > 0);
            tk_result_free(&r);
        }
        test_file_free(&b);
    }
}

/* The first (DC) scan of a progressive file repeated 600 times is refused by
 * the scan limit; the same file with its normal 10 scans decodes. */
static void test_scan_limit(const char *dir) {
    struct test_file src = test_load_file(dir, "libjpeg-turbo__testorig.jpg");
    struct tk_options o;
    tk_options_init(&o);
    o.targets[0].width = o.targets[0].height = 1024;
    o.progressive = true;
    struct tk_result r;
    CHECK(tk_thumbnail(src.data, src.size, &o, &r) == TK_OK);
    const uint8_t *p = r.thumbs[0].data;
    size_t n = r.thumbs[0].size, sos = 2;
    while (sos + 4 <= n && !(p[sos] == 0xFF && p[sos + 1] == 0xDA)) {
        sos += 2 + ((size_t)p[sos + 2] << 8 | p[sos + 3]); /* walk marker segments */
    }
    /* the scan ends at the next marker that is neither stuffing nor a restart */
    size_t end = sos + 2;
    while (end + 1 < n && !(p[end] == 0xFF && p[end + 1] != 0 && (p[end + 1] & 0xF8) != 0xD0)) {
        end++;
    }
    CHECK(sos + 4 <= n && end + 1 < n);
    size_t scan = end - sos, reps = 600;
    size_t len = sos + scan * reps + (n - end);
    uint8_t *bomb = malloc(len);
    CHECK(bomb != NULL);
    memcpy(bomb, p, sos);
    for (size_t i = 0; i < reps; i++) {
        memcpy(bomb + sos + i * scan, p + sos, scan);
    }
    memcpy(bomb + sos + scan * reps, p + end, n - end);

    struct test_file normal = {r.thumbs[0].data, r.thumbs[0].size}, many = {bomb, len};
    struct tk_result rn, rm;
    CHECK(tk_test_thumb(&normal, 64, 64, &rn) == TK_OK);
    enum tk_status st = tk_test_thumb(&many, 64, 64, &rm);
    /* refused from the markers, before any decoding (jpeg_scans.c) */
    CHECKF(st == TK_ERR_TOO_LARGE && strstr(rm.error, "scans") != NULL, "%s: %s",
           tk_status_name(st), rm.error);
    tk_result_free(&rn);
    tk_result_free(&rm);
    free(bomb);
    tk_result_free(&r);
    test_file_free(&src);
}

int main(int argc, char **argv) {
    char dir[4096];
    test_data_dir(dir, sizeof(dir), argc, argv, "jpeg");
    test_corpus(dir);
    test_messages(dir);
    test_cmyk(dir);
    test_truncation(dir);
    test_scan_limit(dir);
    return check_done("test_jpeg");
}
