/* filters.c — box, triangle, Catmull-Rom and Lanczos3 kernels. */
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

static const struct tk_rs_filter_def filters[] = {
    [TK_RS_LANCZOS3] = {3.0, lanczos3},
    [TK_RS_CATMULL_ROM] = {2.0, catmull_rom},
    [TK_RS_BILINEAR] = {1.0, triangle},
    [TK_RS_BOX] = {0.5, box},
};

const struct tk_rs_filter_def *tk_rs_filter_get(enum tk_rs_filter f) {
    if ((unsigned)f >= sizeof filters / sizeof filters[0]) {
        return 0;
    }
    return &filters[f];
}
