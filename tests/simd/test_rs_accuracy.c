/*
 * test_rs_accuracy.c — the fixed-point scalar resampler against a plain
 * double-precision implementation of the same filters (written here, apart
 * from the library): windows, premultiplication and both passes in double,
 * rounded only at the end.
 *
 * Tolerances: gray/RGB within 1 level (weight quantisation and the 1/64-level
 * intermediate add far less than the final rounding). With alpha: alpha within
 * 1 level; colour compared premultiplied (colour * alpha / 255) within 2 levels,
 * because 8-bit premultiplication rounds each input by up to half a level
 * before filtering and un-premultiplication rounds again.
 */
#include "check.h"
#include "rs_test_util.h"
#include "tk_resample.h"

#include <math.h>
#include <string.h>

#define PI 3.14159265358979323846

static double sinc(double x) {
    return x == 0.0 ? 1.0 : sin(PI * x) / (PI * x);
}

static double f_lanczos3(double x) {
    return fabs(x) < 3.0 ? sinc(x) * sinc(x / 3.0) : 0.0;
}

static double f_cubic(double x) {
    x = fabs(x);
    if (x < 1.0) {
        return 1.5 * x * x * x - 2.5 * x * x + 1.0;
    }
    if (x < 2.0) {
        return -0.5 * x * x * x + 2.5 * x * x - 4.0 * x + 2.0;
    }
    return 0.0;
}

static double f_linear(double x) {
    return fabs(x) < 1.0 ? 1.0 - fabs(x) : 0.0;
}

static double f_box(double x) {
    return (x > -0.5 && x <= 0.5) ? 1.0 : 0.0;
}

static double (*const filter_fn[])(double) = {f_lanczos3, f_cubic, f_linear, f_box};
static const double filter_support[] = {3.0, 2.0, 1.0, 0.5};

/* dst[o] = sum over the clamped, renormalised window of src[i]; @p n values
 * per pixel, pixels @p step apart, @p count pixels in and @p out_count out. */
static void ref_axis(const double *src, double *dst, uint32_t in, uint32_t out, size_t step,
                     size_t n, enum tk_rs_filter f) {
    const double scale = (double)in / out, fs = scale > 1.0 ? scale : 1.0;
    const double support = filter_support[f] * fs;
    for (uint32_t o = 0; o < out; o++) {
        const double center = (o + 0.5) * scale;
        long lo = (long)floor(center - support + 0.5), hi = (long)floor(center + support + 0.5);
        lo = lo < 0 ? 0 : lo;
        hi = hi > (long)in ? (long)in : hi;
        double total = 0.0;
        for (long i = lo; i < hi; i++) {
            total += filter_fn[f]((i - center + 0.5) / fs);
        }
        for (size_t c = 0; c < n; c++) {
            double acc = 0.0;
            for (long i = lo; i < hi; i++) {
                acc += src[(size_t)i * step + c] * filter_fn[f]((i - center + 0.5) / fs);
            }
            dst[(size_t)o * step + c] = acc / total;
        }
    }
}

static double clamp255(double v) {
    return v < 0.0 ? 0.0 : v > 255.0 ? 255.0 : v;
}

struct errors {
    double plain, alpha, premul_colour;
};

static void compare(uint32_t sw, uint32_t sh, uint32_t dw, uint32_t dh, enum tk_rs_filter f, int ch,
                    const uint8_t *src, struct errors *e) {
    const int has_alpha = ch == 2 || ch == 4;
    const size_t srow = (size_t)sw * ch, drow = (size_t)dw * ch;
    double *a = test_xmalloc(sizeof *a * srow * sh);
    double *b = test_xmalloc(sizeof *b * drow * sh);
    double *r = test_xmalloc(sizeof *r * drow * dh);
    uint8_t *got = test_xmalloc(drow * dh);

    for (size_t i = 0; i < srow * sh; i += ch) {
        const double alpha = has_alpha ? src[i + ch - 1] / 255.0 : 1.0;
        for (int c = 0; c < ch; c++) {
            a[i + c] = (has_alpha && c < ch - 1) ? src[i + c] * alpha : src[i + c];
        }
    }
    for (uint32_t y = 0; y < sh; y++) {
        ref_axis(a + y * srow, b + y * drow, sw, dw, ch, ch, f);
    }
    ref_axis(b, r, sh, dh, drow, drow, f);

    struct tk_rs_plan *plan = NULL;
    enum tk_rs_status st = tk_rs_plan_create(sw, sh, dw, dh, f, &plan);
    if (st == TK_RS_OK) {
        st = tk_rs_run_isa(plan, TK_ISA_SCALAR, src, srow, got, drow, ch);
    }
    tk_rs_plan_destroy(plan);
    CHECKF(st == TK_RS_OK, "resample %ux%u->%ux%u filter %d channels %d: status %d", sw, sh, dw, dh,
           f, ch, st);

    for (size_t i = 0; st == TK_RS_OK && i < drow * dh; i += ch) {
        const double ref_alpha = has_alpha ? clamp255(r[i + ch - 1]) : 255.0;
        for (int c = 0; c < ch; c++) {
            if (!has_alpha) {
                e->plain = fmax(e->plain, fabs(got[i + c] - floor(clamp255(r[i + c]) + 0.5)));
            } else if (c == ch - 1) {
                e->alpha = fmax(e->alpha, fabs(got[i + c] - ref_alpha));
            } else {
                const double mine = got[i + c] * (got[i + ch - 1] / 255.0);
                const double ref = fmin(clamp255(r[i + c]), ref_alpha);
                e->premul_colour = fmax(e->premul_colour, fabs(mine - ref));
            }
        }
    }
    free(a);
    free(b);
    free(r);
    free(got);
}

/* Smooth content: diagonal gradients plus a slow wave in each channel. */
static void fill_smooth(uint8_t *img, uint32_t w, uint32_t h, int ch) {
    for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++) {
            for (int c = 0; c < ch; c++) {
                double v = 127.5 + 120.0 * sin(0.05 * x * (c + 1) + 0.07 * y - c);
                img[((size_t)y * w + x) * ch + c] = (uint8_t)floor(v);
            }
        }
    }
}

int main(void) {
    static const uint32_t geo[][4] = {
        {300, 200, 61, 43}, {97, 89, 211, 157}, {128, 128, 64, 64}, {251, 7, 19, 29},
        {40, 40, 39, 41},   {1, 50, 3, 7},      {500, 1, 33, 1},    {33, 65, 33, 12},
    };
    uint64_t rng = 7;
    struct errors worst = {0, 0, 0};
    for (size_t g = 0; g < sizeof geo / sizeof geo[0]; g++) {
        const uint32_t sw = geo[g][0], sh = geo[g][1], dw = geo[g][2], dh = geo[g][3];
        for (int ch = 1; ch <= 4; ch++) {
            uint8_t *src = test_xmalloc((size_t)sw * sh * ch);
            for (int smooth = 0; smooth <= 1; smooth++) {
                if (smooth) {
                    fill_smooth(src, sw, sh, ch);
                } else {
                    test_fill_random(&rng, src, sw, sh, (size_t)sw * ch, ch);
                }
                for (int f = TK_RS_LANCZOS3; f <= TK_RS_BOX; f++) {
                    compare(sw, sh, dw, dh, (enum tk_rs_filter)f, ch, src, &worst);
                }
            }
            free(src);
        }
    }
    printf("max error: gray/RGB %.3f, alpha %.3f, premultiplied colour %.3f\n", worst.plain,
           worst.alpha, worst.premul_colour);
    CHECKF(worst.plain <= 1.0 && worst.alpha <= 1.0 && worst.premul_colour <= 2.0,
           "tolerance is 1 / 1 / 2 levels");
    return check_done("test_rs_accuracy");
}
