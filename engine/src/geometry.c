/* geometry.c — fit-inside / cover sizes, centre crops and shrink-on-load choice. */
#include "geometry.h"

/* round(a * b / c) in 64 bits, for a, b < 2^32 and c > 0 */
static uint64_t muldiv_round(uint64_t a, uint64_t b, uint64_t c) {
    return (a * b + c / 2) / c;
}

static uint32_t clamp_dim(uint64_t v, uint32_t hi) {
    return v < 1 ? 1 : v > hi ? hi : (uint32_t)v;
}

static void plan_inside(uint32_t w, uint32_t h, uint32_t bw, uint32_t bh, struct tk_geom *g) {
    g->crop = (struct tk_rect){0, 0, w, h};
    if (w <= bw && h <= bh) {
        g->out_w = w; /* never upscale */
        g->out_h = h;
    } else if ((uint64_t)bw * h <= (uint64_t)bh * w) {
        /* width is the binding side */
        g->out_w = bw;
        g->out_h = clamp_dim(muldiv_round(h, bw, w), bh);
    } else {
        g->out_h = bh;
        g->out_w = clamp_dim(muldiv_round(w, bh, h), bw);
    }
}

static void plan_cover(uint32_t w, uint32_t h, uint32_t bw, uint32_t bh, struct tk_geom *g) {
    /* The largest centred region with the box's aspect ratio. */
    uint32_t cw = w, ch = h;
    if ((uint64_t)bw * h <= (uint64_t)bh * w) {
        cw = clamp_dim(muldiv_round(h, bw, bh), w); /* source is wider: trim the sides */
    } else {
        ch = clamp_dim(muldiv_round(w, bh, bw), h);
    }
    g->crop = (struct tk_rect){(w - cw) / 2, (h - ch) / 2, cw, ch};
    if (cw >= bw && ch >= bh) {
        g->out_w = bw;
        g->out_h = bh;
    } else {
        g->out_w = cw; /* smaller than the box: crop only, at source scale */
        g->out_h = ch;
    }
}

void tk_geom_plan(uint32_t src_w, uint32_t src_h, int orientation, const struct tk_target *t,
                  struct tk_geom *g) {
    /* Plan in stored coordinates: the box turns with the image. */
    uint32_t bw = t->width, bh = t->height;
    if (tk_orientation_swaps(orientation)) {
        bw = t->height;
        bh = t->width;
    }
    if (t->fit == TK_FIT_COVER) {
        plan_cover(src_w, src_h, bw, bh, g);
    } else {
        plan_inside(src_w, src_h, bw, bh, g);
    }
}

/*
 * Room left for the final filter, in tenths: the decoded crop must be at least this many times
 * each output size. 17 (1.7x), not libvips's 2x: a reduced decode is already a box average of
 * 8x8, 4x4 or 2x2 pixels, an anti-aliasing prefilter of its own. Measured with
 * bench/scale-rule/run on the camera photos (bench/README.md): at 256 px, 1/8 costs 0.1-0.35 dB
 * against 1/4 where the room is 1.7-2x and halves the decode time; at 512 px (room ~1x at 1/8)
 * it would cost 1.3 dB, which this rule never allows.
 */
#define LEFTOVER_TENTHS 17

int tk_geom_pick_scale(const struct tk_geom *g, size_t n) {
    static const int scales[] = {8, 4, 2};
    for (size_t s = 0; s < sizeof(scales) / sizeof(scales[0]); s++) {
        uint64_t d = (uint64_t)scales[s];
        int ok = 1;
        for (size_t i = 0; i < n && ok; i++) {
            ok = (uint64_t)g[i].crop.w * 10 >= LEFTOVER_TENTHS * d * g[i].out_w &&
                 (uint64_t)g[i].crop.h * 10 >= LEFTOVER_TENTHS * d * g[i].out_h;
        }
        if (ok) {
            return scales[s];
        }
    }
    return 1;
}

void tk_geom_pick_shrink(const struct tk_geom *g, size_t n, uint32_t *fx, uint32_t *fy) {
    uint32_t x = UINT32_MAX, y = UINT32_MAX;
    for (size_t i = 0; i < n; i++) {
        uint32_t cx = g[i].crop.w / (2 * g[i].out_w), cy = g[i].crop.h / (2 * g[i].out_h);
        x = cx < x ? cx : x;
        y = cy < y ? cy : y;
    }
    x = x < 1 ? 1 : x;
    y = y < 1 ? 1 : y;
    while ((uint64_t)x * y > TK_MAX_SHRINK_BLOCK) {
        if (x >= y) {
            x /= 2;
        } else {
            y /= 2;
        }
    }
    *fx = x;
    *fy = y;
}

struct tk_region tk_geom_region_on(const struct tk_geom *g, uint32_t fx, uint32_t fy) {
    double sx = fx > 0 ? (double)fx : 1.0, sy = fy > 0 ? (double)fy : 1.0;
    struct tk_region r = {g->crop.x / sx, g->crop.y / sy, g->crop.w / sx, g->crop.h / sy};
    return r;
}

struct tk_region tk_geom_region_resized(const struct tk_geom *g, uint32_t src_w, uint32_t src_h,
                                        uint32_t dec_w, uint32_t dec_h) {
    double fx = src_w > 0 ? (double)dec_w / (double)src_w : 1.0;
    double fy = src_h > 0 ? (double)dec_h / (double)src_h : 1.0;
    struct tk_region r = {g->crop.x * fx, g->crop.y * fy, g->crop.w * fx, g->crop.h * fy};
    return r;
}

uint32_t tk_geom_whole_pixels(uint32_t src, int scale_denom, uint32_t decoded) {
    uint32_t whole = scale_denom > 1 ? src / (uint32_t)scale_denom : decoded;
    return whole >= 1 && whole < decoded ? whole : decoded;
}
