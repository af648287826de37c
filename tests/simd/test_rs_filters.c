/*
 * test_rs_filters.c — a filter's window evaluation (taps) against its
 * one-point definition (eval): Lanczos3 computes a window's sines by rotation
 * from a seed every few taps, so its taps may differ from eval by rounding
 * only. The bound, 1e-13, is 2^-15 (a weight's quantum) times 3e-9: far too
 * small to move a quantised weight but for a value within it of a rounding
 * tie, large enough for rounding (about 6e-15 measured).
 *
 * Windows cover the plan's uses: shrinks from 1x to 2000x (windows up to
 * 12,000 taps, past several seeds of the rotation), enlargements (fscale 1),
 * every phase, taps past the support (weight 0) and a tap at distance 0.
 */
#include "check.h"
#include "rs_filters.h"
#include "rs_test_util.h"

#include <math.h>

#define MAX_TAPS 12100
#define BOUND    1e-13

static const char *const names[] = {"lanczos3", "catmull-rom", "bilinear", "box"};
static const enum tk_rs_filter all[] = {TK_RS_LANCZOS3, TK_RS_CATMULL_ROM, TK_RS_BILINEAR,
                                        TK_RS_BOX};

/* Largest |taps - eval| over one window of @p n taps from @p first. */
static double window_error(const struct tk_rs_filter_def *f, uint32_t first, uint32_t n,
                           double center, double fscale, double *w) {
    f->taps(f, first, n, center, fscale, w);
    double worst = 0.0;
    for (uint32_t k = 0; k < n; k++) {
        const double want = f->eval((first + k - center + 0.5) / fscale);
        const double err = fabs(w[k] - want);
        worst = err > worst ? err : worst;
    }
    return worst;
}

int main(void) {
    static double w[MAX_TAPS];
    uint64_t rng = 20261130;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        const struct tk_rs_filter_def *f = tk_rs_filter_get(all[i]);
        CHECK(f != NULL && f->taps != NULL);
        if (!f || !f->taps) {
            continue;
        }
        double worst = 0.0;
        for (int trial = 0; trial < 3000; trial++) {
            /* Scales from 1 (and below: enlargements use fscale 1) to 2000. */
            const double scale = trial % 3 == 0 ? 1.0 / (1 + test_rng_range(&rng, 0, 7))
                                                : exp(test_rng_range(&rng, 0, 7600) / 1000.0);
            const double fscale = scale > 1.0 ? scale : 1.0;
            const double center = test_rng_range(&rng, 0, 1u << 20) / 64.0 + 0.5 * scale;
            const double support = f->support * fscale;
            const double lo = floor(center - support + 0.5) - 2; /* two taps outside */
            const uint32_t first = lo > 0 ? (uint32_t)lo : 0;
            uint32_t n = (uint32_t)(2 * support) + 5;
            n = n < MAX_TAPS ? n : MAX_TAPS;
            const double err = window_error(f, first, n, center, fscale, w);
            worst = err > worst ? err : worst;
        }
        /* A tap exactly at the centre, at the start of a window and past a seed. */
        const double err0 = window_error(f, 100, 40, 130.5, 1.0, w);
        CHECKF(w[30] == f->eval(0.0), "%s: tap at distance 0 is %.17g", names[i], w[30]);
        worst = err0 > worst ? err0 : worst;
        CHECKF(worst <= BOUND, "%s: taps differ from eval by %.3g", names[i], worst);
        printf("%s: largest difference %.3g\n", names[i], worst);
    }
    return check_done("simd.filters");
}
