/*
 * tk_contact_sheet.c — a review image for golden changes, no text needed.
 *
 *   tk_contact_sheet MANIFEST DATA OLD_DIR NEW_DIR OUT_PREFIX
 *
 * Writes OUT_PREFIX-1.png, OUT_PREFIX-2.png, ... with ROWS_PER_PAGE rows each, so
 * every page fits a screen at 1:1.
 * One row per manifest case, four cells: input as stored (libjpeg/libspng, no EXIF
 * orientation, so a rotation shows as a difference between columns 1 and 3) |
 * old golden | new golden | difference x16 (black = identical). A stripe on the
 * left marks the row: green identical, red changed, yellow new case (no old
 * golden), grey when the new golden is missing. Small thumbnails are enlarged by
 * whole pixels (nearest) so 32x32 PngSuite cases stay readable; alpha is shown
 * over a checkerboard. Rows follow the manifest order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "golden_util.h"
#include "thumbkit.h"

#define CELL          160 /* display box of each cell */
#define PAD           8   /* gap around cells */
#define STRIPE        12  /* row status marker */
#define N_COLS        4
#define AMPLIFY       16 /* difference gain: one level of error becomes visible */
#define ROWS_PER_PAGE 6

static const uint8_t BG[3] = {48, 48, 48};

struct canvas {
    struct tk_image img; /* RGB */
};

static void put(struct canvas *c, uint32_t x, uint32_t y, const uint8_t rgb[3]) {
    if (x < c->img.width && y < c->img.height) {
        memcpy(c->img.pixels + y * c->img.stride + x * 3, rgb, 3);
    }
}

static void fill(struct canvas *c, uint32_t x0, uint32_t y0, uint32_t w, uint32_t h,
                 const uint8_t rgb[3]) {
    for (uint32_t y = y0; y < y0 + h; y++) {
        for (uint32_t x = x0; x < x0 + w; x++) {
            put(c, x, y, rgb);
        }
    }
}

/* Diagonal stripes: "nothing to show here" without any text. */
static void hatch(struct canvas *c, uint32_t x0, uint32_t y0, const uint8_t a[3],
                  const uint8_t b[3]) {
    for (uint32_t y = 0; y < CELL; y++) {
        for (uint32_t x = 0; x < CELL; x++) {
            put(c, x0 + x, y0 + y, ((x + y) / 10) % 2 ? a : b);
        }
    }
}

/* Pixel of @p img as RGB, alpha composited over a checkerboard at display position. */
static void sample_rgb(const struct tk_image *img, uint32_t sx, uint32_t sy, uint32_t dx,
                       uint32_t dy, uint8_t out[3]) {
    const uint8_t *p = img->pixels + sy * img->stride + sx * (size_t)img->layout;
    uint8_t rgb[3];
    unsigned a = 255;
    switch (img->layout) {
    case TK_LAYOUT_GRAY:
        rgb[0] = rgb[1] = rgb[2] = p[0];
        break;
    case TK_LAYOUT_GRAY_ALPHA:
        rgb[0] = rgb[1] = rgb[2] = p[0];
        a = p[1];
        break;
    case TK_LAYOUT_RGB:
        memcpy(rgb, p, 3);
        break;
    default:
        memcpy(rgb, p, 3);
        a = p[3];
        break;
    }
    unsigned checker = ((dx / 8) + (dy / 8)) % 2 ? 200 : 140;
    for (int k = 0; k < 3; k++) {
        out[k] = (uint8_t)((rgb[k] * a + checker * (255 - a) + 127) / 255);
    }
}

/* Display scale for a w x h image in a CELL box: whole-pixel zoom up, or shrink down. */
static void display_size(uint32_t w, uint32_t h, uint32_t *dw, uint32_t *dh) {
    uint32_t m = w > h ? w : h;
    if (m <= CELL) {
        uint32_t k = CELL / m;
        *dw = w * k;
        *dh = h * k;
    } else {
        *dw = (uint32_t)((uint64_t)w * CELL / m);
        *dh = (uint32_t)((uint64_t)h * CELL / m);
        *dw = *dw ? *dw : 1;
        *dh = *dh ? *dh : 1;
    }
}

static void draw_image(struct canvas *c, uint32_t x0, uint32_t y0, const struct tk_image *img) {
    uint32_t dw, dh;
    display_size(img->width, img->height, &dw, &dh);
    uint32_t ox = x0 + (CELL - dw) / 2, oy = y0 + (CELL - dh) / 2;
    for (uint32_t y = 0; y < dh; y++) {
        for (uint32_t x = 0; x < dw; x++) {
            uint8_t rgb[3];
            sample_rgb(img, (uint32_t)((uint64_t)x * img->width / dw),
                       (uint32_t)((uint64_t)y * img->height / dh), x, y, rgb);
            put(c, ox + x, oy + y, rgb);
        }
    }
}

/* |old - new| per pixel (max over channels incl. alpha), amplified, in red. */
static void draw_diff(struct canvas *c, uint32_t x0, uint32_t y0, const struct tk_image *a,
                      const struct tk_image *b) {
    uint32_t dw, dh;
    display_size(a->width, a->height, &dw, &dh);
    uint32_t ox = x0 + (CELL - dw) / 2, oy = y0 + (CELL - dh) / 2;
    int nc = (int)a->layout;
    for (uint32_t y = 0; y < dh; y++) {
        for (uint32_t x = 0; x < dw; x++) {
            uint32_t sx = (uint32_t)((uint64_t)x * a->width / dw);
            uint32_t sy = (uint32_t)((uint64_t)y * a->height / dh);
            const uint8_t *pa = a->pixels + sy * a->stride + sx * (size_t)nc;
            const uint8_t *pb = b->pixels + sy * b->stride + sx * (size_t)nc;
            int d = 0;
            for (int k = 0; k < nc; k++) {
                int e = abs((int)pa[k] - (int)pb[k]);
                d = e > d ? e : d;
            }
            int v = d ? 64 + d * AMPLIFY : 0; /* even a 1-level change is clearly visible */
            uint8_t rgb[3] = {(uint8_t)(v > 255 ? 255 : v), 0, 0};
            put(c, ox + x, oy + y, rgb);
        }
    }
}

static int load_png(const char *dir, const char *name, struct tk_image *img) {
    char path[1024], err[256];
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    return gu_png_read(path, img, err, sizeof err);
}

/* The input as stored (before EXIF orientation), decoded without the engine. */
static int input_view(const char *data_dir, const struct gu_case *cs, struct tk_image *out) {
    char path[1024], err[256];
    size_t size = 0;
    memset(out, 0, sizeof *out);
    snprintf(path, sizeof path, "%s/%s", data_dir, cs->input);
    uint8_t *data = test_read_file(path, &size);
    if (data == NULL) {
        return -1;
    }
    int rc = gu_decode_stored(data, size, CELL, out, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", cs->name, err);
    }
    free(data);
    return rc;
}

static const uint8_t GREEN[3] = {40, 200, 60}, RED[3] = {230, 30, 30}, YELLOW[3] = {240, 200, 0},
                     GREY[3] = {120, 120, 120}, DARK[3] = {70, 70, 70}, BLACK[3] = {0, 0, 0};

/* Draw case @p cs as the row at @p y0. @return 1 when old and new goldens differ. */
static int draw_row(struct canvas *c, uint32_t y0, const char *data_dir, const char *old_dir,
                    const char *new_dir, const struct gu_case *cs) {
    struct tk_image in, old, neu;
    uint32_t col[N_COLS];
    int changed = 0;
    for (int k = 0; k < N_COLS; k++) {
        col[k] = STRIPE + PAD + (uint32_t)k * (CELL + PAD);
    }
    int have_in = input_view(data_dir, cs, &in) == 0;
    int have_old = load_png(old_dir, cs->name, &old) == 0;
    int have_new = load_png(new_dir, cs->name, &neu) == 0;
    const uint8_t *mark = GREEN;
    if (!have_new) {
        mark = GREY;
    } else if (!have_old) {
        mark = YELLOW;
    } else if (!gu_image_equal(&old, &neu)) {
        mark = RED;
        changed = 1;
    }
    fill(c, 0, y0, STRIPE, CELL, mark);
    have_in ? draw_image(c, col[0], y0, &in) : hatch(c, col[0], y0, DARK, BG);
    have_old ? draw_image(c, col[1], y0, &old) : hatch(c, col[1], y0, DARK, BG);
    have_new ? draw_image(c, col[2], y0, &neu) : hatch(c, col[2], y0, DARK, BG);
    if (have_old && have_new && old.width == neu.width && old.height == neu.height &&
        old.layout == neu.layout) {
        fill(c, col[3], y0, CELL, CELL, BLACK);
        draw_diff(c, col[3], y0, &old, &neu);
    } else if (have_old && have_new) {
        hatch(c, col[3], y0, RED, BLACK); /* size or layout changed */
    } else {
        hatch(c, col[3], y0, DARK, BG);
    }
    tk_image_free(&in);
    tk_image_free(&old);
    tk_image_free(&neu);
    return changed;
}

int main(int argc, char **argv) {
    struct gu_case *cases = NULL;
    char err[512], path[1024];
    int changed = 0, rc = 0;
    if (argc != 6) {
        fprintf(stderr, "usage: tk_contact_sheet MANIFEST DATA OLD_DIR NEW_DIR OUT_PREFIX\n");
        return 2;
    }
    int n = gu_manifest_load(argv[1], &cases, err, sizeof err);
    if (n <= 0) {
        fprintf(stderr, "%s\n", n < 0 ? err : "empty manifest");
        return 1;
    }
    uint32_t row_h = CELL + PAD, width = STRIPE + PAD + N_COLS * (CELL + PAD);
    int pages = (n + ROWS_PER_PAGE - 1) / ROWS_PER_PAGE;
    for (int p = 0; p < pages && rc == 0; p++) {
        struct canvas c;
        int first = p * ROWS_PER_PAGE;
        int rows = n - first < ROWS_PER_PAGE ? n - first : ROWS_PER_PAGE;
        if (gu_image_alloc(&c.img, width, (uint32_t)rows * row_h + PAD, TK_LAYOUT_RGB) != 0) {
            fprintf(stderr, "out of memory\n");
            rc = 1;
            break;
        }
        fill(&c, 0, 0, c.img.width, c.img.height, BG);
        for (int r = 0; r < rows; r++) {
            changed += draw_row(&c, PAD + (uint32_t)r * row_h, argv[2], argv[3], argv[4],
                                &cases[first + r]);
        }
        snprintf(path, sizeof path, "%s-%d.png", argv[5], p + 1);
        if (gu_png_write(path, &c.img, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            rc = 1;
        } else {
            printf("%s: cases %d..%d\n", path, first + 1, first + rows);
        }
        tk_image_free(&c.img);
    }
    printf("%d cases, %d changed\n", n, changed);
    free(cases);
    return rc;
}
