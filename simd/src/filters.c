/* filters.c — box, triangle, Catmull-Rom and Lanczos3 kernels. */
#define _GNU_SOURCE /* sincos */
#include "rs_filters.h"

#include <math.h>

#define PI 3.14159265358979323846

/* Half-open so that two neighbouring box windows never both take a sample. */
static double box(double x) {
    return (x > -0.5 && x <= 0.5) ? 1.0 : 0.0;
}

static double triangle(double x) {
    x = fabs(x);
    return x < 1.0 ? 1.0 - x : 0.0;
}

/* Keys' cubic with a = -0.5 (Catmull-Rom): interpolating, no blur at scale 1. */
static double catmull_rom(double x) {
    const double a = -0.5;
    x = fabs(x);
    if (x < 1.0) {
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
    }
    if (x < 2.0) {
        return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
    }
    return 0.0;
}

static double sinc(double x) {
    if (x == 0.0) {
        return 1.0;
    }
    x *= PI;
    return sin(x) / x;
}

static double lanczos3(double x) {
    return (x > -3.0 && x < 3.0) ? sinc(x) * sinc(x / 3.0) : 0.0;
}

/* Taps of one window, each at distance x_k = (first + k - center + 0.5) / fscale. */
static double tap_x(uint32_t first, uint32_t k, double center, double fscale) {
    return (first + k - center + 0.5) / fscale;
}

/* Taps one by one through eval: the filters that need no sine. */
static void taps_by_eval(const struct tk_rs_filter_def *f, uint32_t first, uint32_t n,
                         double center, double fscale, double *w) {
    for (uint32_t k = 0; k < n; k++) {
        w[k] = f->eval(tap_x(first, k, center, fscale));
    }
}

/* Taps between two exact sincos seeds: the rotations' rounding error grows with
 * the distance from the seed (about an ulp per step), far below the 2^-15 of
 * the int16 weights. */
#define LANCZOS3_SEED_EVERY 32

/* Near the centre the product of two small sines over x^2 would magnify their
 * absolute rounding error; those few taps are evaluated directly. */
#define LANCZOS3_NEAR 0.25

/*
 * Lanczos3 over a window: sinc(x) sinc(x/3) = 3 sin(pi x) sin(pi x/3) / (pi x)^2.
 * Taps are 1/fscale apart, so sin and cos of pi x and pi x/3 advance by one
 * rotation each (angle addition) instead of two sin() calls per tap, which
 * were most of the cost of a plan (a 6x shrink of a 16 MP image has ~50,000
 * taps).
 */
static void lanczos3_taps(const struct tk_rs_filter_def *f, uint32_t first, uint32_t n,
                          double center, double fscale, double *w) {
    (void)f;
    /* The rotation from one tap to the next, the same for every window of an
     * axis: kept per thread for the last fscale. */
    static _Thread_local double last_fscale, rs1, rc1, rs3, rc3;
    if (fscale != last_fscale) {
        sincos(PI / fscale, &rs1, &rc1);
        sincos(PI / fscale / 3.0, &rs3, &rc3);
        last_fscale = fscale;
    }
    double s1 = 0.0, c1 = 1.0, s3 = 0.0, c3 = 1.0;
    for (uint32_t k = 0; k < n; k++) {
        const double x = tap_x(first, k, center, fscale);
        if (k % LANCZOS3_SEED_EVERY == 0) {
            sincos(PI * x, &s1, &c1);
            sincos(PI * x / 3.0, &s3, &c3);
        }
        if (x > -LANCZOS3_NEAR && x < LANCZOS3_NEAR) {
            w[k] = lanczos3(x);
        } else if (x > -3.0 && x < 3.0) {
            w[k] = 3.0 * s1 * s3 / (PI * PI * x * x);
        } else {
            w[k] = 0.0;
        }
        const double s1n = s1 * rc1 + c1 * rs1, s3n = s3 * rc3 + c3 * rs3;
        c1 = c1 * rc1 - s1 * rs1;
        c3 = c3 * rc3 - s3 * rs3;
        s1 = s1n;
        s3 = s3n;
    }
}

static const struct tk_rs_filter_def filters[] = {
    [TK_RS_LANCZOS3] = {3.0, lanczos3, lanczos3_taps},
    [TK_RS_CATMULL_ROM] = {2.0, catmull_rom, taps_by_eval},
    [TK_RS_BILINEAR] = {1.0, triangle, taps_by_eval},
    [TK_RS_BOX] = {0.5, box, taps_by_eval},
};

const struct tk_rs_filter_def *tk_rs_filter_get(enum tk_rs_filter f) {
    if ((unsigned)f >= sizeof filters / sizeof filters[0]) {
        return 0;
    }
    return &filters[f];
}
