/* test_encode.c — output formats, JPEG options, alpha flattening, PNG layouts, no metadata. */
#include "tk_test.h"

#include "encode.h"

#include <string.h>

struct jpeg_hdr {
    int sof;      /* 0xC0 baseline, 0xC2 progressive */
    int ncomp;    /* components */
    int sampling; /* first component's H/V byte */
    int app1;     /* an APP1 (EXIF/XMP) segment was seen */
    uint32_t w, h;
};

/* Walk the marker segments up to SOF (independent of the engine). */
static int parse_jpeg(const uint8_t *p, size_t n, struct jpeg_hdr *h) {
    memset(h, 0, sizeof(*h));
    size_t off = 2;
    while (off + 4 <= n && p[off] == 0xFF) {
        int m = p[off + 1];
        size_t len = (size_t)p[off + 2] << 8 | p[off + 3];
        if (m == 0xE1) {
            h->app1 = 1;
        }
        if (m == 0xC0 || m == 0xC1 || m == 0xC2) {
            if (off + 12 > n) {
                return 0;
            }
            h->sof = m;
            h->h = (uint32_t)p[off + 5] << 8 | p[off + 6];
            h->w = (uint32_t)p[off + 7] << 8 | p[off + 8];
            h->ncomp = p[off + 9];
            h->sampling = p[off + 11];
            return 1;
        }
        off += 2 + len;
    }
    return 0;
}

static struct tk_options opts(uint32_t box, enum tk_format f) {
    struct tk_options o;
    tk_options_init(&o);
    o.targets[0].width = o.targets[0].height = box;
    o.format = f;
    o.keep_pixels = true;
    return o;
}

static void test_same_format(const char *jdir, const char *pdir) {
    struct test_file j = test_load_file(jdir, "libjpeg-turbo__testorig.jpg");
    struct test_file p = test_load_file(pdir, "basn2c08.png");
    struct tk_options o = opts(64, TK_FORMAT_SAME);
    struct tk_result r;
    CHECK(tk_thumbnail(j.data, j.size, &o, &r) == TK_OK);
    CHECK(r.thumbs[0].format == TK_FORMAT_JPEG &&
          tk_sniff(r.thumbs[0].data, r.thumbs[0].size) == TK_FORMAT_JPEG);
    tk_result_free(&r);
    CHECK(tk_thumbnail(p.data, p.size, &o, &r) == TK_OK);
    CHECK(r.thumbs[0].format == TK_FORMAT_PNG &&
          tk_sniff(r.thumbs[0].data, r.thumbs[0].size) == TK_FORMAT_PNG);
    tk_result_free(&r);
    o.format = TK_FORMAT_PNG;
    CHECK(tk_thumbnail(j.data, j.size, &o, &r) == TK_OK);
    CHECK(r.thumbs[0].format == TK_FORMAT_PNG);
    tk_result_free(&r);
    test_file_free(&j);
    test_file_free(&p);
}

static void test_jpeg_options(const char *jdir) {
    struct test_file b = test_load_file(jdir, "exif-samples__canon_hdr_NO.jpg"); /* has EXIF */
    struct tk_options o = opts(200, TK_FORMAT_JPEG);
    struct tk_result r;
    struct jpeg_hdr h;
    CHECK(tk_thumbnail(b.data, b.size, &o, &r) == TK_OK);
    CHECK(parse_jpeg(r.thumbs[0].data, r.thumbs[0].size, &h));
    CHECK(h.sof == 0xC0 && h.ncomp == 3 && h.sampling == 0x11 && !h.app1); /* 4:4:4 */
    CHECK(h.w == r.thumbs[0].width && h.h == r.thumbs[0].height);
    size_t q85 = r.thumbs[0].size;
    struct tk_result sub;
    o.jpeg_subsample = true; /* 4:2:0: smaller */
    CHECK(tk_thumbnail(b.data, b.size, &o, &sub) == TK_OK);
    CHECK(parse_jpeg(sub.thumbs[0].data, sub.thumbs[0].size, &h) && h.sampling == 0x22);
    CHECKF(sub.thumbs[0].size < q85, "4:2:0 %zu bytes, 4:4:4 %zu", sub.thumbs[0].size, q85);
    tk_result_free(&sub);
    o.jpeg_subsample = false;

    /* the encoded bytes decode back to (nearly) the kept pixels */
    struct test_file again = {r.thumbs[0].data, r.thumbs[0].size};
    struct tk_result r2;
    CHECK(tk_test_thumb(&again, 1000, 1000, &r2) == TK_OK);
    double mad = tk_test_mad(&r2.thumbs[0].pixels, &r.thumbs[0].pixels);
    CHECKF(mad >= 0 && mad < 6.0, "JPEG q85 round trip differs by %.2f", mad);
    tk_result_free(&r2);
    tk_result_free(&r);

    o.progressive = true;
    CHECK(tk_thumbnail(b.data, b.size, &o, &r) == TK_OK);
    CHECK(parse_jpeg(r.thumbs[0].data, r.thumbs[0].size, &h) && h.sof == 0xC2);
    tk_result_free(&r);

    o.progressive = false;
    o.quality = 20;
    CHECK(tk_thumbnail(b.data, b.size, &o, &r) == TK_OK);
    size_t q20 = r.thumbs[0].size;
    tk_result_free(&r);
    o.quality = 98;
    CHECK(tk_thumbnail(b.data, b.size, &o, &r) == TK_OK);
    size_t q98 = r.thumbs[0].size;
    tk_result_free(&r);
    CHECKF(q20 < q85 && q85 < q98, "sizes q20 %zu, q85 %zu, q98 %zu", q20, q85, q98);
    test_file_free(&b);

    /* gray in, gray JPEG out */
    b = test_load_file(jdir, "sharp__concert.jpg");
    o = opts(128, TK_FORMAT_JPEG);
    CHECK(tk_thumbnail(b.data, b.size, &o, &r) == TK_OK);
    CHECK(r.thumbs[0].pixels.layout == TK_LAYOUT_GRAY);
    CHECK(parse_jpeg(r.thumbs[0].data, r.thumbs[0].size, &h) && h.ncomp == 1);
    tk_result_free(&r);
    test_file_free(&b);
}

/* Transparent pixels of a PNG written as JPEG show the background colour. */
static void test_flatten(const char *pdir) {
    struct test_file b = test_load_file(pdir, "tbrn2c08.png"); /* tRNS: fully transparent areas */
    struct tk_options o = opts(1024, TK_FORMAT_PNG);
    struct tk_result rp, rj;
    CHECK(tk_thumbnail(b.data, b.size, &o, &rp) == TK_OK);
    o.format = TK_FORMAT_JPEG;
    o.background[0] = 200, o.background[1] = 10, o.background[2] = 30;
    CHECK(tk_thumbnail(b.data, b.size, &o, &rj) == TK_OK);
    const struct tk_image *a = &rp.thumbs[0].pixels, *j = &rj.thumbs[0].pixels;
    CHECK(a->layout == TK_LAYOUT_RGBA && j->layout == TK_LAYOUT_RGB);
    size_t checked = 0;
    for (uint32_t y = 0; y < a->height; y++) {
        for (uint32_t x = 0; x < a->width; x++) {
            const uint8_t *s = a->pixels + (size_t)y * a->stride + (size_t)x * 4;
            const uint8_t *d = j->pixels + (size_t)y * j->stride + (size_t)x * 3;
            if (s[3] == 0) {
                CHECKF(d[0] == 200 && d[1] == 10 && d[2] == 30, "(%u,%u)", x, y);
            } else if (s[3] == 255) {
                CHECKF(d[0] == s[0] && d[1] == s[1] && d[2] == s[2], "(%u,%u)", x, y);
            }
            checked++;
        }
    }
    CHECK(checked == 32 * 32);
    tk_result_free(&rp);
    tk_result_free(&rj);
    test_file_free(&b);

    /* gray+alpha over a gray background stays gray */
    b = test_load_file(pdir, "basn4a08.png");
    o = opts(1024, TK_FORMAT_JPEG);
    CHECK(tk_thumbnail(b.data, b.size, &o, &rj) == TK_OK);
    CHECK(rj.thumbs[0].pixels.layout == TK_LAYOUT_GRAY);
    tk_result_free(&rj);
    test_file_free(&b);
}

static void test_png_layouts(const char *pdir) {
    static const struct {
        const char *file;
        int color_type;
    } cases[] = {{"basn0g08.png", 0}, {"basn4a08.png", 4}, {"basn2c08.png", 2},
                 {"basn6a16.png", 6}, {"basn3p04.png", 2}, {"tbbn3p08.png", 6}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct test_file b = test_load_file(pdir, cases[i].file);
        struct tk_options o = opts(16, TK_FORMAT_PNG);
        struct tk_result r;
        CHECK(tk_thumbnail(b.data, b.size, &o, &r) == TK_OK);
        const uint8_t *p = r.thumbs[0].data;
        CHECKF(r.thumbs[0].size > 33 && p[24] == 8 && p[25] == cases[i].color_type,
               "%s: depth %d colour type %d", cases[i].file, p[24], p[25]);
        CHECK(r.thumbs[0].width == 16 && r.thumbs[0].height == 16);
        tk_result_free(&r);
        test_file_free(&b);
    }
}

/* Encoder failures return TK_ERR_ENCODE with no buffer and a message. */
static void test_encoder_errors(void) {
    uint8_t px[4 * 4 * 4] = {0};
    uint8_t *out = (uint8_t *)1;
    size_t size = 1;
    char err[256] = "";
    struct tk_image rgba = {px, 4, 4, 16, TK_LAYOUT_RGBA};
    CHECK(tk_jpeg_encode(&rgba, 85, false, true, &out, &size, err, sizeof(err)) == TK_ERR_ENCODE);
    CHECK(out == NULL && size == 0 && err[0] != '\0');
    /* over JPEG's 65500 limit: libjpeg's own error, caught without printing */
    struct tk_image wide = {px, 70000, 1, 70000 * 3, TK_LAYOUT_RGB};
    err[0] = '\0';
    CHECK(tk_jpeg_encode(&wide, 85, false, true, &out, &size, err, sizeof(err)) == TK_ERR_ENCODE);
    CHECKF(out == NULL && strstr(err, "65500") != NULL, "%s", err);
    struct tk_image gapped = {px, 2, 4, 16, TK_LAYOUT_RGBA}; /* rows are not contiguous */
    err[0] = '\0';
    CHECK(tk_png_encode(&gapped, &out, &size, err, sizeof(err)) == TK_ERR_ENCODE);
    CHECK(out == NULL && size == 0 && err[0] != '\0');
    CHECK(tk_png_encode(&rgba, &out, &size, err, sizeof(err)) == TK_OK);
    CHECK(out != NULL && size > 8 && tk_sniff(out, size) == TK_FORMAT_PNG);
    free(out);
}

int main(int argc, char **argv) {
    char jdir[4096], pdir[4096];
    test_data_dir(jdir, sizeof(jdir), argc, argv, "jpeg");
    test_data_dir(pdir, sizeof(pdir), argc, argv, "pngsuite");
    test_same_format(jdir, pdir);
    test_jpeg_options(jdir);
    test_flatten(pdir);
    test_png_layouts(pdir);
    test_encoder_errors();
    return check_done("test_encode");
}
