/* test_formats.c — WebP, HEIC and AVIF input, WebP output, sniffing, the colour step's
 * bookkeeping (what it did, warnings, sRGB costing nothing) and unsupported formats named.
 * Whether the colours themselves are right is tests/colour/check_colour.py (against LittleCMS
 * at full size); the pictures are pinned by the goldens. */
#include "tk_test.h"

#include <math.h>
#include <string.h>

#include <webp/decode.h>
#include <webp/demux.h>

/* One input: what the engine must report for a 256x256 fit-inside thumbnail. */
struct expect {
    const char *path; /* under tests/data */
    enum tk_format format;
    uint32_t src_w, src_h; /* as stored (HEIF: after irot, which libheif applies) */
    uint32_t out_w, out_h; /* upright */
    int orientation;       /* EXIF orientation applied by the engine */
    enum tk_layout layout;
    const char *colour;
};

static const struct expect inputs[] = {
    /* iPhone 7, Display P3 ICC, a grid of 512x512 HEVC tiles */
    {"heic/immich-test-assets__IMG_2682.heic", TK_FORMAT_HEIC, 4032, 3024, 256, 192, 1,
     TK_LAYOUT_RGB, "converted"},
    /* iPhone 8, Display P3 */
    {"heic/metadata-extractor-images__IMG_1034.heic", TK_FORMAT_HEIC, 4032, 3024, 256, 192, 1,
     TK_LAYOUT_RGB, "converted"},
    /* Samsung: stored 4032x3024 with irot (portrait) and EXIF orientation 6, applied once */
    {"heic/metadata-extractor-images__Issue_487.heic", TK_FORMAT_HEIC, 3024, 4032, 192, 256, 1,
     TK_LAYOUT_RGB, "none"},
    /* AVIF, nclx sRGB */
    {"avif/immich-test-assets__8bit-sRGB.avif", TK_FORMAT_AVIF, 1617, 1080, 256, 171, 1,
     TK_LAYOUT_RGB, "srgb"},
    {"webp/immich-test-assets__denali.webp", TK_FORMAT_WEBP, 600, 315, 256, 134, 1, TK_LAYOUT_RGB,
     "srgb"},
    {"webp/metadata-extractor-images__Alpha_Lossless_1.webp", TK_FORMAT_WEBP, 400, 301, 256, 193, 1,
     TK_LAYOUT_RGBA, "none"},
    {"webp/metadata-extractor-images__Alpha_Lossy_1.webp", TK_FORMAT_WEBP, 400, 301, 256, 193, 1,
     TK_LAYOUT_RGBA, "none"},
    {"webp/metadata-extractor-images__Animation_Lossy.webp", TK_FORMAT_WEBP, 320, 240, 256, 192, 1,
     TK_LAYOUT_RGBA, "none"},
    {"webp/metadata-extractor-images__Photo_1.webp", TK_FORMAT_WEBP, 1024, 772, 256, 193, 1,
     TK_LAYOUT_RGB, "none"},
    {"webp/metadata-extractor-images__webpvp8l-reduced.webp", TK_FORMAT_WEBP, 600, 450, 256, 192, 1,
     TK_LAYOUT_RGB, "none"},
    {"webp/metadata-extractor-images__Nikon_Coolpix_P7000-reduced.webp", TK_FORMAT_WEBP, 912, 684,
     192, 256, 6, TK_LAYOUT_RGB, "none"},
    /* Adobe RGB (1998) */
    {"icc/metadata-extractor-images__Canon_EOS_7D.jpg", TK_FORMAT_JPEG, 600, 900, 171, 256, 1,
     TK_LAYOUT_RGB, "converted"},
    /* a camera's own RGB profile */
    {"icc/metadata-extractor-images__Canon_PowerShot_SD850_IS-reduced.jpg", TK_FORMAT_JPEG, 816,
     612, 256, 192, 1, TK_LAYOUT_RGB, "converted"},
    /* CMYK with a SWOP profile in 9 APP2 segments */
    {"jpeg/metadata-extractor-images__Multiple_ICC_segments.jpg", TK_FORMAT_JPEG, 140, 140, 140,
     140, 1, TK_LAYOUT_RGB, "converted"},
    /* sRGB2014 and "sRGB Gamut with sRGB Transfer": nothing to do */
    {"jpeg/sharp__gain-map.jpg", TK_FORMAT_JPEG, 3840, 2160, 256, 144, 1, TK_LAYOUT_RGB, "srgb"},
};

static void test_inputs(const char *data) {
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        const struct expect *e = &inputs[i];
        struct test_file f = test_load_file(data, e->path);
        CHECKF(tk_sniff(f.data, f.size) == e->format, "%s sniffed as %s", e->path,
               tk_format_name(tk_sniff(f.data, f.size)));
        struct tk_result r;
        enum tk_status st = tk_test_thumb(&f, 256, 256, &r);
        CHECKF(st == TK_OK, "%s: %s", e->path, r.error);
        if (st == TK_OK) {
            const struct tk_thumb *t = &r.thumbs[0];
            CHECKF(r.source_format == e->format, "%s", e->path);
            CHECKF(r.source_width == e->src_w && r.source_height == e->src_h,
                   "%s: source %ux%u, expected %ux%u", e->path, r.source_width, r.source_height,
                   e->src_w, e->src_h);
            CHECKF(t->width == e->out_w && t->height == e->out_h,
                   "%s: thumbnail %ux%u, expected %ux%u", e->path, t->width, t->height, e->out_w,
                   e->out_h);
            CHECKF(r.orientation == e->orientation, "%s: orientation %d", e->path, r.orientation);
            CHECKF(t->pixels.layout == e->layout, "%s: layout %d", e->path, (int)t->pixels.layout);
            CHECKF(strcmp(r.colour, e->colour) == 0, "%s: colour %s, expected %s", e->path,
                   r.colour, e->colour);
            CHECKF(r.warning[0] == '\0', "%s: warning %s", e->path, r.warning);
        }
        tk_result_free(&r);
        test_file_free(&f);
    }
}

/* 10-bit HEIC and 8-bit AVIF with alpha (made with heif-enc from PngSuite's basn6a16, scaled
 * 3x): RGBA comes out, alpha within 2 of the source, colours within lossy error where visible. */
static void test_alpha_and_depth(const char *data) {
    static const char *const files[] = {"heic/thumbkit__basn6a16-10bit-alpha.heic",
                                        "avif/thumbkit__basn6a16-8bit-alpha.avif"};
    struct test_file png = test_load_file(data, "pngsuite/basn6a16.png");
    struct tk_options o;
    tk_options_init(&o);
    o.targets[0].width = o.targets[0].height = 32; /* back to the source's size */
    o.format = TK_FORMAT_PNG;
    o.keep_pixels = true;
    struct tk_result ref;
    CHECK(tk_thumbnail(png.data, png.size, &o, &ref) == TK_OK);
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        struct test_file f = test_load_file(data, files[i]);
        struct tk_result r;
        CHECKF(tk_thumbnail(f.data, f.size, &o, &r) == TK_OK, "%s: %s", files[i], r.error);
        const struct tk_image *a = &r.thumbs[0].pixels, *b = &ref.thumbs[0].pixels;
        CHECKF(r.source_width == 96 && a->width == 32 && a->layout == TK_LAYOUT_RGBA, "%s",
               files[i]);
        double da = 0, dc = 0;
        size_t n = 0;
        for (uint32_t y = 0; a->layout == TK_LAYOUT_RGBA && y < 32; y++) {
            for (uint32_t x = 0; x < 32; x++) {
                const uint8_t *p = a->pixels + y * a->stride + x * 4;
                const uint8_t *q = b->pixels + y * b->stride + x * 4;
                da += abs(p[3] - q[3]);
                if (q[3] > 128) {
                    dc += abs(p[0] - q[0]) + abs(p[1] - q[1]) + abs(p[2] - q[2]);
                    n += 3;
                }
            }
        }
        CHECKF(da / 1024 < 2.0 && n > 0 &&
                       dc / (double)n<10.0, "%s: alpha differs by %.2f, visible colour by %.2f",
                                      files[i], da / 1024, n> 0
                   ? dc / (double)n
                   : -1.0);
        tk_result_free(&r);
        test_file_free(&f);
    }
    tk_result_free(&ref);
    test_file_free(&png);
}

/* The animation's first frame is its thumbnail: not a blank canvas, not a later frame. */
static void test_animation_first_frame(const char *data) {
    struct test_file f =
        test_load_file(data, "webp/metadata-extractor-images__Animation_Lossy.webp");
    WebPData wd = {f.data, f.size};
    WebPAnimDecoderOptions o;
    WebPAnimDecoderOptionsInit(&o);
    o.color_mode = MODE_RGBA;
    WebPAnimDecoder *dec = WebPAnimDecoderNew(&wd, &o);
    CHECK(dec != NULL);
    uint8_t *frame = NULL;
    int ts = 0;
    struct tk_options opts;
    tk_options_init(&opts);
    opts.targets[0].width = opts.targets[0].height = 320; /* same size: no resampling */
    opts.format = TK_FORMAT_PNG;
    opts.keep_pixels = true;
    struct tk_result r;
    CHECK(tk_thumbnail(f.data, f.size, &opts, &r) == TK_OK);
    for (int n = 1; dec != NULL && n <= 2 && WebPAnimDecoderGetNext(dec, &frame, &ts); n++) {
        struct tk_image ref = {frame, 320, 240, 1280, TK_LAYOUT_RGBA};
        double mad = tk_test_mad(&r.thumbs[0].pixels, &ref);
        if (n == 1) {
            CHECKF(mad == 0.0, "first frame differs by %.3f", mad);
        } else {
            CHECKF(mad > 0.0, "second frame equals the thumbnail (%.3f): not a still", mad);
        }
    }
    WebPAnimDecoderDelete(dec);
    tk_result_free(&r);
    test_file_free(&f);
}

/* Mean absolute difference over the pixels @p ref shows opaque (a lossy WebP encoder may
 * change colours under full transparency), or -1 for different sizes. */
static double opaque_mad(const struct tk_image *a, const struct tk_image *ref) {
    if (a->width != ref->width || a->height != ref->height || a->layout != ref->layout) {
        return -1;
    }
    int ch = (int)ref->layout;
    double sum = 0;
    size_t n = 0;
    for (uint32_t y = 0; y < ref->height; y++) {
        const uint8_t *p = a->pixels + (size_t)y * a->stride;
        const uint8_t *q = ref->pixels + (size_t)y * ref->stride;
        for (uint32_t x = 0; x < ref->width; x++, p += ch, q += ch) {
            if (ch == 4 && q[3] != 255) {
                continue;
            }
            for (int c = 0; c < (ch == 4 ? 3 : ch); c++) {
                sum += abs((int)p[c] - (int)q[c]);
                n++;
            }
        }
    }
    return n > 0 ? sum / (double)n : -1;
}

/* WebP out: decodes (libwebp) to the pixels kept, within lossy error; alpha kept. */
static void test_webp_output(const char *data) {
    static const char *const files[] = {"webp/metadata-extractor-images__Alpha_Lossy_1.webp",
                                        "jpeg/sharp__concert.jpg",
                                        "heic/immich-test-assets__IMG_2682.heic"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        struct test_file f = test_load_file(data, files[i]);
        struct tk_options o;
        tk_options_init(&o);
        o.format = TK_FORMAT_WEBP;
        o.keep_pixels = true;
        struct tk_result hi, lo;
        CHECK(tk_thumbnail(f.data, f.size, &o, &hi) == TK_OK);
        o.quality = 20;
        CHECK(tk_thumbnail(f.data, f.size, &o, &lo) == TK_OK);
        CHECKF(lo.thumbs[0].size < hi.thumbs[0].size, "%s: q20 %zu bytes, q85 %zu", files[i],
               lo.thumbs[0].size, hi.thumbs[0].size);
        const struct tk_thumb *t = &hi.thumbs[0];
        CHECK(t->format == TK_FORMAT_WEBP && t->size > 12 && memcmp(t->data + 8, "WEBP", 4) == 0);
        WebPBitstreamFeatures feat;
        CHECK(WebPGetFeatures(t->data, t->size, &feat) == VP8_STATUS_OK);
        bool alpha = t->pixels.layout == TK_LAYOUT_RGBA;
        CHECKF(feat.width == (int)t->width && feat.height == (int)t->height &&
                   feat.has_alpha == alpha,
               "%s", files[i]);
        int w = 0, h = 0;
        uint8_t *px = alpha ? WebPDecodeRGBA(t->data, t->size, &w, &h)
                            : WebPDecodeRGB(t->data, t->size, &w, &h);
        CHECK(px != NULL);
        if (px != NULL && t->pixels.layout != TK_LAYOUT_GRAY) {
            struct tk_image dec = {px, (uint32_t)w, (uint32_t)h, (size_t)w * (alpha ? 4 : 3),
                                   alpha ? TK_LAYOUT_RGBA : TK_LAYOUT_RGB};
            double mad = opaque_mad(&dec, &t->pixels);
            CHECKF(mad >= 0 && mad < 4.0, "%s: WebP q85 differs from its pixels by %.2f", files[i],
                   mad);
        }
        WebPFree(px);
        tk_result_free(&hi);
        tk_result_free(&lo);
        test_file_free(&f);
    }
}

/* Shrink-on-load: WebP decodes scaled; a HEIC's thumbnail item serves small targets. */
static void test_shrink_on_load(const char *data) {
    struct test_file f = test_load_file(data, "webp/metadata-extractor-images__Photo_1.webp");
    struct tk_options o;
    tk_options_init(&o);
    o.targets[0].width = o.targets[0].height = 100;
    struct tk_result r;
    CHECK(tk_thumbnail(f.data, f.size, &o, &r) == TK_OK);
    CHECKF(r.decode_scale == 4 && r.decoded_width == 256 && r.decoded_height == 193,
           "webp 1/%d decoded %ux%u", r.decode_scale, r.decoded_width, r.decoded_height);
    tk_result_free(&r);
    test_file_free(&f);

    f = test_load_file(data, "heic/immich-test-assets__IMG_2682.heic");
    o.targets[0].width = o.targets[0].height = 120;
    CHECK(tk_thumbnail(f.data, f.size, &o, &r) == TK_OK);
    CHECKF(r.decoded_width < r.source_width && r.thumbs[0].width == 120 &&
               r.thumbs[0].height == 90 && strcmp(r.colour, "converted") == 0,
           "heic thumbnail item: decoded %ux%u of %ux%u", r.decoded_width, r.decoded_height,
           r.source_width, r.source_height);
    tk_result_free(&r);
    o.targets[0].width = o.targets[0].height = 160; /* the 320x240 item is twice that */
    CHECK(tk_thumbnail(f.data, f.size, &o, &r) == TK_OK);
    CHECKF(r.decoded_width == 320 && r.thumbs[0].width == 160, "heic: decoded %ux%u for 160",
           r.decoded_width, r.decoded_height);
    tk_result_free(&r);
    o.targets[0].width = o.targets[0].height = 161; /* one pixel more: the whole grid */
    CHECK(tk_thumbnail(f.data, f.size, &o, &r) == TK_OK);
    CHECKF(r.decoded_width == r.source_width && r.thumbs[0].width == 161,
           "heic: decoded %ux%u for 161", r.decoded_width, r.decoded_height);
    tk_result_free(&r);
    test_file_free(&f);
}

/* A malformed profile is ignored with a warning; the image is made all the same, as if the
 * profile were absent. */
static void test_malformed_profile(const char *data) {
    struct test_file f = test_load_file(data, "icc/metadata-extractor-images__Canon_EOS_7D.jpg");
    uint8_t *bad = malloc(f.size);
    CHECK(bad != NULL);
    memcpy(bad, f.data, f.size);
    /* The first APP2 ICC_PROFILE segment: break the 'acsp' signature of its profile header. */
    size_t at = 0;
    for (size_t i = 0; i + 14 < f.size; i++) {
        if (bad[i] == 0xFF && bad[i + 1] == 0xE2 && memcmp(bad + i + 4, "ICC_PROFILE", 11) == 0) {
            at = i + 4 + 14 + 36;
            break;
        }
    }
    CHECK(at > 0 && memcmp(bad + at, "acsp", 4) == 0);
    memcpy(bad + at, "junk", 4);
    struct test_file b = {bad, f.size};
    struct tk_result r, plain;
    CHECK(tk_test_thumb(&b, 256, 256, &r) == TK_OK);
    CHECK_HAS(r.warning, "malformed");
    CHECK_STR(r.colour, "none");
    struct tk_options o;
    tk_options_init(&o);
    o.format = TK_FORMAT_PNG;
    o.keep_pixels = true;
    o.colour_manage = false;
    CHECK(tk_thumbnail(f.data, f.size, &o, &plain) == TK_OK);
    CHECK_STR(plain.colour, "none");
    CHECK(tk_test_mad(&r.thumbs[0].pixels, &plain.thumbs[0].pixels) == 0.0);
    tk_result_free(&r);
    tk_result_free(&plain);
    free(bad);
    test_file_free(&f);
}

/* Formats recognised but not read fail as "unsupported", naming the format. */
static void test_unsupported(void) {
    static const struct {
        const char *bytes;
        size_t len;
        const char *name;
    } cases[] = {
        {"GIF89a\x01\0\x01\0\0\0\0", 13, "GIF"},
        {"II*\0\x08\0\0\0\0\0", 10, "TIFF"},
        {"MM\0*\0\0\0\x08\0\0", 10, "TIFF"},
        {"\xff\x0a\xfa\x7f", 4, "JPEG XL"},
        {"\0\0\0\x0cJXL \x0d\x0a\x87\x0a\0\0\0\x14", 16, "JPEG XL"},
        {"\0\0\0\x18"
         "ftypcrx \0\0\0\x01"
         "crx isom",
         24, "CR3"},
        {"\0\0\0\x14"
         "ftypmif1\0\0\0\0"
         "mif1",
         20, "neither HEVC nor AV1"},
        {"FUJIFILMCCD-RAW 0201", 20, "RAF"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct tk_options o;
        tk_options_init(&o);
        struct tk_result r;
        CHECKF(tk_sniff(cases[i].bytes, cases[i].len) == TK_FORMAT_UNKNOWN, "%s", cases[i].name);
        CHECK(tk_thumbnail(cases[i].bytes, cases[i].len, &o, &r) == TK_ERR_UNSUPPORTED);
        CHECK_HAS(r.error, "unsupported format");
        CHECK_HAS(r.error, cases[i].name);
        CHECK(r.n_thumbs == 0);
        tk_result_free(&r);
    }
    /* HEIF brands: major, compatible, and the order that decides */
    CHECK(tk_sniff("\0\0\0\x18"
                   "ftypheic\0\0\0\0"
                   "mif1heic",
                   24) == TK_FORMAT_HEIC);
    CHECK(tk_sniff("\0\0\0\x18"
                   "ftypmif1\0\0\0\0"
                   "mif1avif",
                   24) == TK_FORMAT_AVIF);
    CHECK(tk_sniff("\0\0\0\x18"
                   "ftypavis\0\0\0\0"
                   "avismsf1",
                   24) == TK_FORMAT_AVIF);
    CHECK(tk_sniff("\0\0\0\x18"
                   "ftypisom\0\0\0\0"
                   "isommp42",
                   24) == TK_FORMAT_UNKNOWN);
    CHECK(tk_sniff("RIFF\0\0\0\0WEBPVP8 ", 16) == TK_FORMAT_WEBP);
    CHECK(tk_sniff("RIFF\0\0\0\0WAVEfmt ", 16) == TK_FORMAT_UNKNOWN);
    CHECK(tk_sniff_unsupported("plain text", 10) == NULL);
}

int main(int argc, char **argv) {
    const char *data = argc > 1 ? argv[1] : "tests/data";
    test_inputs(data);
    test_alpha_and_depth(data);
    test_animation_first_frame(data);
    test_webp_output(data);
    test_shrink_on_load(data);
    test_malformed_profile(data);
    test_unsupported();
    return check_done("engine.formats");
}
