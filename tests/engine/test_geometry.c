/* test_geometry.c — fit-inside / cover planning, shrink-on-load choice, multi-target calls. */
#include "tk_test.h"

#include "encode.h"
#include "geometry.h"
#include "image.h"

#include <string.h>

static struct tk_geom plan(uint32_t w, uint32_t h, int orientation, uint32_t bw, uint32_t bh,
                           enum tk_fit fit) {
    struct tk_target t = {bw, bh, fit};
    struct tk_geom g;
    tk_geom_plan(w, h, orientation, &t, &g);
    return g;
}

static void test_inside(void) {
    struct tk_geom g = plan(1000, 500, 1, 256, 256, TK_FIT_INSIDE);
    CHECK(g.out_w == 256 && g.out_h == 128);
    CHECK(g.crop.x == 0 && g.crop.y == 0 && g.crop.w == 1000 && g.crop.h == 500);
    g = plan(500, 1000, 1, 256, 256, TK_FIT_INSIDE);
    CHECK(g.out_w == 128 && g.out_h == 256);
    g = plan(2725, 2225, 1, 256, 256, TK_FIT_INSIDE); /* 256 * 2225 / 2725 = 209.03 */
    CHECK(g.out_w == 256 && g.out_h == 209);
    g = plan(300, 200, 1, 100, 1000, TK_FIT_INSIDE); /* width binds */
    CHECK(g.out_w == 100 && g.out_h == 67);
    /* never upscale */
    g = plan(100, 50, 1, 256, 256, TK_FIT_INSIDE);
    CHECK(g.out_w == 100 && g.out_h == 50);
    /* at least one pixel */
    g = plan(10000, 3, 1, 256, 256, TK_FIT_INSIDE);
    CHECK(g.out_w == 256 && g.out_h == 1);
    /* orientation 6: the box is turned into stored coordinates */
    g = plan(2048, 1536, 6, 256, 100, TK_FIT_INSIDE);
    CHECK(g.out_w == 100 && g.out_h == 75); /* shown as 75x100 */
}

static void test_cover(void) {
    struct tk_geom g = plan(1000, 500, 1, 200, 200, TK_FIT_COVER);
    CHECK(g.out_w == 200 && g.out_h == 200);
    CHECK(g.crop.w == 500 && g.crop.h == 500 && g.crop.x == 250 && g.crop.y == 0);
    g = plan(500, 1000, 1, 300, 100, TK_FIT_COVER);
    CHECK(g.out_w == 300 && g.out_h == 100);
    CHECK(g.crop.w == 500 && g.crop.h == 167 && g.crop.y == (1000 - 167) / 2);
    /* source smaller than the box: crop to its aspect at source scale, no upscale */
    g = plan(100, 50, 1, 200, 20, TK_FIT_COVER);
    CHECK(g.out_w == 100 && g.out_h == 10);
    CHECK(g.crop.w == 100 && g.crop.h == 10 && g.crop.y == 20);
    g = plan(100, 50, 1, 400, 400, TK_FIT_COVER);
    CHECK(g.out_w == 50 && g.out_h == 50 && g.crop.x == 25);
    /* orientation 8 swaps the box */
    g = plan(1200, 1800, 8, 300, 100, TK_FIT_COVER);
    CHECK(g.out_w == 100 && g.out_h == 300);
}

static void test_pick_scale(void) {
    struct tk_geom g[2];
    /* The rule: the decoded crop keeps at least 1.7x the output on both axes. */
    g[0] = plan(4000, 3000, 1, 256, 256, TK_FIT_INSIDE); /* 256x192: 4000 >= 1.7*8*256 = 3482 */
    CHECK_EQ_INT(tk_geom_pick_scale(g, 1), 8);
    g[0] = plan(3482, 2612, 1, 256, 256, TK_FIT_INSIDE); /* 3482 >= 3481.6, just 1.7x at 1/8 */
    CHECK_EQ_INT(tk_geom_pick_scale(g, 1), 8);
    g[0] = plan(3481, 2611, 1, 256, 256, TK_FIT_INSIDE); /* just under: 1/4 */
    CHECK_EQ_INT(tk_geom_pick_scale(g, 1), 4);
    g[0] = plan(1800, 1200, 1, 96, 96, TK_FIT_INSIDE);
    CHECK_EQ_INT(tk_geom_pick_scale(g, 1), 8);
    g[0] = plan(800, 600, 1, 256, 256, TK_FIT_INSIDE); /* 256x192: 800/2 < 1.7*256 */
    CHECK_EQ_INT(tk_geom_pick_scale(g, 1), 1);
    g[0] = plan(900, 675, 1, 256, 256, TK_FIT_INSIDE); /* 256x192: 900 >= 870.4, 675 >= 652.8 */
    CHECK_EQ_INT(tk_geom_pick_scale(g, 1), 2);
    g[0] = plan(100, 50, 1, 256, 256, TK_FIT_INSIDE); /* no downscale at all */
    CHECK_EQ_INT(tk_geom_pick_scale(g, 1), 1);
    /* the largest target decides */
    g[0] = plan(4000, 3000, 1, 64, 64, TK_FIT_INSIDE);
    g[1] = plan(4000, 3000, 1, 600, 600, TK_FIT_INSIDE); /* 600x450: 4000/4 < 1.7*600 */
    CHECK_EQ_INT(tk_geom_pick_scale(g, 2), 2);
    /* cover: the crop, not the whole image, must keep the room */
    g[0] = plan(4000, 800, 1, 256, 256, TK_FIT_COVER); /* crop 800x800 -> 256 */
    CHECK_EQ_INT(tk_geom_pick_scale(g, 1), 1);
    /* stored orientation: 1200x1800 shown as 1800x1200 (o=6) into 600x100 -> 150x100 */
    g[0] = plan(1200, 1800, 6, 600, 100, TK_FIT_INSIDE);
    CHECK(g[0].out_w == 100 && g[0].out_h == 150);
    CHECK_EQ_INT(tk_geom_pick_scale(g, 1), 4);
}

static void test_crop_on_decoded(void) {
    struct tk_geom g = plan(1000, 500, 1, 200, 200, TK_FIT_COVER);
    /* decoded at 1/8: 125x63 pixels (libjpeg rounds up), of which 125x62.5 are picture */
    struct tk_region r = tk_geom_region_on(&g, 8, 8);
    CHECK(r.x == 31.25 && r.w == 62.5 && r.y == 0 && r.h == 62.5);
    g = plan(1000, 500, 1, 256, 256, TK_FIT_INSIDE);
    r = tk_geom_region_on(&g, 8, 8);
    CHECK(r.x == 0 && r.y == 0 && r.w == 125 && r.h == 62.5);
    r = tk_geom_region_on(&g, 1, 1);
    CHECK(r.x == 0 && r.y == 0 && r.w == 1000 && r.h == 500);
    /* PNG shrink factors differ per axis: 1000/3 = 333.3 columns, 500/2 = 250 rows */
    r = tk_geom_region_on(&g, 3, 2);
    CHECK(r.x == 0 && r.y == 0 && r.w == 1000.0 / 3 && r.h == 250);
}

static void test_whole_pixels(void) {
    CHECK_EQ_INT(tk_geom_whole_pixels(2322, 8, 291), 290); /* partial last block left out */
    CHECK_EQ_INT(tk_geom_whole_pixels(2320, 8, 290), 290); /* whole blocks: all of them */
    CHECK_EQ_INT(tk_geom_whole_pixels(7, 8, 1), 1);        /* never fewer than one */
    CHECK_EQ_INT(tk_geom_whole_pixels(1000, 1, 1000), 1000);
}

/*
 * A camera that pads its partial last block row with black (the Galaxy S4 does): the stored
 * height cuts through a block whose hidden rows are black. Shrink-on-load must not let them
 * darken the thumbnail's bottom edge. Built here: 256x192 gray 160 with 6 black rows at the
 * bottom, encoded, then the frame header's height patched to 186.
 */
static void test_black_padding(void) {
    struct tk_image src;
    CHECK(tk_image_alloc(&src, 256, 192, TK_LAYOUT_GRAY) == TK_OK);
    for (uint32_t y = 0; y < 192; y++) {
        memset(src.pixels + (size_t)y * src.stride, y < 186 ? 160 : 0, 256);
    }
    uint8_t *jpeg = NULL;
    size_t size = 0;
    char err[256];
    CHECK(tk_jpeg_encode(&src, 95, false, false, &jpeg, &size, err, sizeof(err)) == TK_OK);
    size_t sof = 2;
    while (jpeg != NULL && sof + 8 < size && !(jpeg[sof] == 0xFF && jpeg[sof + 1] == 0xC0)) {
        sof += 2 + (size_t)((jpeg[sof + 2] << 8) | jpeg[sof + 3]);
    }
    CHECK(jpeg != NULL && sof + 8 < size && jpeg[sof + 5] == 0 && jpeg[sof + 6] == 192);
    if (jpeg != NULL && sof + 8 < size) {
        jpeg[sof + 6] = 186;
        struct tk_options o;
        tk_options_init(&o);
        o.targets[0].width = o.targets[0].height = 8; /* 8x6: 1/8 by any rule */
        o.format = TK_FORMAT_PNG;
        o.keep_pixels = true;
        struct tk_result r;
        CHECK(tk_thumbnail(jpeg, size, &o, &r) == TK_OK);
        CHECK(r.decode_scale == 8 && r.thumbs[0].height == 6);
        double bottom = tk_test_region_mean(&r.thumbs[0].pixels, 0, 5, 8, 1, 0);
        CHECKF(bottom > 157 && bottom < 163, "bottom row %.1f, the picture is 160", bottom);
        tk_result_free(&r);
    }
    free(jpeg);
    tk_image_free(&src);
}

static void decode_pixels(const struct test_file *b, struct tk_options *o, struct tk_result *r) {
    o->format = TK_FORMAT_PNG;
    o->keep_pixels = true;
    CHECK(tk_thumbnail(b->data, b->size, o, r) == TK_OK);
}

/* Shrink-on-load picks the scale geometry says, and looks like a full decode. */
static void test_shrink_end_to_end(const char *jpeg_dir) {
    static const struct {
        const char *file;
        uint32_t box;
    } cases[] = {
        {"sharp__2569067123_aca715a2ee_o.jpg", 256},
        {"sharp__2569067123_aca715a2ee_o.jpg", 150},
        {"sharp__2569067123_aca715a2ee_o.jpg", 600},
        {"sharp__gain-map.jpg", 200},
        {"exif-samples__canon_hdr_NO.jpg", 128},
        {"metadata-extractor-images__Issue_242.jpg", 64},
    };
    int scales_seen = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct test_file b = test_load_file(jpeg_dir, cases[i].file);
        struct tk_options o;
        tk_options_init(&o);
        o.targets[0].width = o.targets[0].height = cases[i].box;
        struct tk_result fast, full;
        decode_pixels(&b, &o, &fast);
        o.shrink_on_load = false;
        decode_pixels(&b, &o, &full);

        struct tk_geom g;
        tk_geom_plan(fast.source_width, fast.source_height, fast.orientation, &o.targets[0], &g);
        int want = tk_geom_pick_scale(&g, 1);
        CHECKF(fast.decode_scale == want, "%s box %u: scale %d, expected %d", cases[i].file,
               cases[i].box, fast.decode_scale, want);
        CHECK(full.decode_scale == 1);
        CHECK(fast.decoded_width == (fast.source_width + want - 1) / (uint32_t)want);
        CHECK(full.decoded_width == full.source_width);
        scales_seen |= 1 << fast.decode_scale;
        double mad = tk_test_mad(&fast.thumbs[0].pixels, &full.thumbs[0].pixels);
        CHECKF(mad >= 0 && mad < 4.0, "%s box %u: mean abs diff %.2f vs full decode", cases[i].file,
               cases[i].box, mad);
        tk_result_free(&fast);
        tk_result_free(&full);
        test_file_free(&b);
    }
    CHECKF((scales_seen & (1 << 2)) && (scales_seen & (1 << 4)) && (scales_seen & (1 << 8)),
           "cases should cover the scales 2, 4 and 8 (seen mask %x)", (unsigned)scales_seen);
}

static void test_multi_targets(const char *jpeg_dir) {
    struct test_file b =
        test_load_file(jpeg_dir, "sharp__2569067123_aca715a2ee_o.jpg"); /* 2725x2225 */
    struct tk_options o;
    tk_options_init(&o);
    o.n_targets = 5;
    o.targets[0] = (struct tk_target){256, 256, TK_FIT_INSIDE};
    o.targets[1] = (struct tk_target){100, 100, TK_FIT_COVER};
    o.targets[2] = (struct tk_target){300, 50, TK_FIT_COVER};
    o.targets[3] = (struct tk_target){5000, 5000, TK_FIT_INSIDE}; /* larger than the source */
    o.targets[4] = (struct tk_target){4000, 1000, TK_FIT_COVER};  /* wider than the source */
    struct tk_result r;
    CHECK(tk_thumbnail(b.data, b.size, &o, &r) == TK_OK);
    CHECK(r.n_thumbs == 5);
    CHECK(r.thumbs[0].width == 256 && r.thumbs[0].height == 209);
    CHECK(r.thumbs[1].width == 100 && r.thumbs[1].height == 100);
    CHECK(r.thumbs[2].width == 300 && r.thumbs[2].height == 50);
    CHECK(r.thumbs[3].width == 2725 && r.thumbs[3].height == 2225);
    CHECK(r.thumbs[4].width == 2725 && r.thumbs[4].height == 681); /* 4:1 at source scale */
    CHECK(r.decode_scale == 1); /* the full-size target needs every pixel */
    for (size_t i = 0; i < r.n_thumbs; i++) {
        CHECK(r.thumbs[i].format == TK_FORMAT_JPEG && r.thumbs[i].size > 100);
        CHECK(r.thumbs[i].data[0] == 0xFF && r.thumbs[i].data[1] == 0xD8);
        CHECK(r.thumbs[i].pixels.pixels == NULL); /* keep_pixels is off */
    }
    CHECK(r.decode_ms > 0 && r.resample_ms > 0 && r.encode_ms > 0);
    tk_result_free(&r);

    /* Orientation 6 with cover boxes: exact box dims after rotation */
    test_file_free(&b);
    b = test_load_file(jpeg_dir, "exif-samples__canon_hdr_NO.jpg"); /* 2048x1536, o=6 */
    o.n_targets = 2;
    o.targets[0] = (struct tk_target){200, 100, TK_FIT_COVER};
    o.targets[1] = (struct tk_target){256, 256, TK_FIT_INSIDE};
    CHECK(tk_thumbnail(b.data, b.size, &o, &r) == TK_OK);
    CHECK(r.orientation == 6 && r.source_width == 2048 && r.source_height == 1536);
    CHECK(r.thumbs[0].width == 200 && r.thumbs[0].height == 100);
    CHECK(r.thumbs[1].width == 192 && r.thumbs[1].height == 256);
    CHECK(r.decode_scale == 4); /* 2048x1536 stored -> 256x192 stored: 2048/4 >= 1.7*256 */
    tk_result_free(&r);
    test_file_free(&b);
}

int main(int argc, char **argv) {
    char dir[4096];
    test_data_dir(dir, sizeof(dir), argc, argv, "jpeg");
    test_inside();
    test_cover();
    test_pick_scale();
    test_crop_on_decoded();
    test_whole_pixels();
    test_black_padding();
    test_shrink_end_to_end(dir);
    test_multi_targets(dir);
    return check_done("test_geometry");
}
