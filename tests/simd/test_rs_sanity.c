/*
 * test_rs_sanity.c — properties with an exact answer: plan invariants,
 * constant images stay constant, a box 2x shrink gives the rounded 2x2
 * averages, the colour of transparent pixels never reaches the output, and
 * one plan shared by several threads gives the single-threaded result.
 * Runs with the active kernels, once per ISA: test_rs_sanity ISA with TK_SIMD=ISA
 * (ctest); exits 77 (skip) where the CPU lacks the ISA.
 */
#include "check.h"
#include "isa.h"
#include "rs_plan.h"
#include "rs_test_util.h"
#include "tk_resample.h"

#include <pthread.h>
#include <string.h>

static const uint32_t geo[][4] = {
    {1, 1, 1, 1},    {1, 1, 9, 4},    {37, 23, 5, 3},   {7, 5, 64, 50}, {100, 1, 3, 1},
    {40, 40, 40, 9}, {40, 40, 9, 40}, {300, 7, 301, 2}, {2, 2, 1, 1},   {1000, 3, 1, 3},
};
#define N_GEO (sizeof geo / sizeof geo[0])

static void check_axis(const struct tk_rs_axis *ax, int horizontal) {
    if (ax->identity) {
        return;
    }
    CHECKF(ax->precision > TK_RS_INTER_BITS && ax->precision <= 15, "precision %d", ax->precision);
    CHECKF(ax->stride % TK_RS_TAP_ALIGN == 0, "stride %u", ax->stride);
    for (uint32_t i = 0; i < ax->out_size; i++) {
        const int16_t *w = ax->weights + (size_t)i * ax->stride;
        long sum = 0;
        CHECKF(ax->len[i] >= 1 && ax->len[i] <= ax->stride && ax->len[i] <= ax->max_len, "len %u",
               ax->len[i]);
        CHECKF(ax->start[i] + ax->len[i] <= ax->in_size, "window %u+%u past %u", ax->start[i],
               ax->len[i], ax->in_size);
        CHECKF(i == 0 || ax->start[i] >= ax->start[i - 1], "starts decrease at %u", i);
        CHECKF(!horizontal || ax->start[i] % 2 == 0, "odd horizontal start %u", ax->start[i]);
        for (uint32_t k = 0; k < ax->stride; k++) {
            if (k < ax->len[i]) {
                sum += w[k];
            } else {
                CHECKF(w[k] == 0, "padding weight %d", w[k]);
            }
        }
        CHECKF(sum == 1L << ax->precision, "weights sum %ld, not 2^%d", sum, ax->precision);
    }
}

static void test_plans(void) {
    for (size_t g = 0; g < N_GEO; g++) {
        for (int f = TK_RS_LANCZOS3; f <= TK_RS_BOX; f++) {
            struct tk_rs_plan *p = NULL;
            CHECKF(tk_rs_plan_create(geo[g][0], geo[g][1], geo[g][2], geo[g][3],
                                     (enum tk_rs_filter)f, &p) == TK_RS_OK,
                   "plan");
            if (!p) {
                continue;
            }
            check_axis(&p->x, 1);
            check_axis(&p->y, 0);
            tk_rs_plan_destroy(p);
        }
    }
    struct tk_rs_plan *bad = NULL;
    CHECKF(tk_rs_plan_create(0, 1, 1, 1, TK_RS_BOX, &bad) == TK_RS_ERR_INVALID_ARGUMENT &&
               bad == NULL,
           "zero width accepted");
    CHECKF(tk_rs_plan_create(1, 1, 1, 0, TK_RS_BOX, &bad) == TK_RS_ERR_INVALID_ARGUMENT &&
               bad == NULL,
           "zero height accepted");
    CHECKF(tk_rs_plan_create(1, 1, 1, 1, (enum tk_rs_filter)9, &bad) ==
                   TK_RS_ERR_INVALID_ARGUMENT &&
               bad == NULL,
           "bad filter accepted");
    CHECKF(tk_rs_plan_create(1, 1, 1, 1, TK_RS_BOX, NULL) == TK_RS_ERR_INVALID_ARGUMENT,
           "NULL plan pointer accepted");
    /* A run with bad arguments says so (not "out of memory"), and writes nothing. */
    struct tk_rs_plan *p = NULL;
    uint8_t px[16] = {1, 2, 3, 4}, out[4] = {9, 9, 9, 9};
    CHECKF(tk_rs_plan_create(2, 2, 1, 1, TK_RS_BOX, &p) == TK_RS_OK, "plan");
    CHECKF(tk_rs_run(p, px, 2, out, 1, 5) == TK_RS_ERR_INVALID_ARGUMENT, "5 channels accepted");
    CHECKF(tk_rs_run(p, px, 2, out, 1, 0) == TK_RS_ERR_INVALID_ARGUMENT, "0 channels accepted");
    CHECKF(tk_rs_run(NULL, px, 2, out, 1, 1) == TK_RS_ERR_INVALID_ARGUMENT, "NULL plan accepted");
    CHECKF(tk_rs_run(p, NULL, 2, out, 1, 1) == TK_RS_ERR_INVALID_ARGUMENT, "NULL source accepted");
    CHECKF(out[0] == 9, "a refused run wrote %u", out[0]);
    CHECKF(tk_rs_run(p, px, 2, out, 1, 1) == TK_RS_OK && out[0] == 3,
           "box 2x2 -> 1x1 of 1 2 / 3 4 gave %u", out[0]);
    tk_rs_plan_destroy(p);
}

/* Every output pixel must equal the first; colour exact when opaque or no alpha. */
static void test_constant(void) {
    uint64_t rng = 99;
    for (size_t g = 0; g < N_GEO; g++) {
        const uint32_t sw = geo[g][0], sh = geo[g][1], dw = geo[g][2], dh = geo[g][3];
        for (int ch = 1; ch <= 4; ch++) {
            const int has_alpha = ch == 2 || ch == 4;
            uint8_t px[4];
            for (int c = 0; c < ch; c++) {
                px[c] = (uint8_t)test_rng_next(&rng);
            }
            if (has_alpha && g % 3 == 0) {
                px[ch - 1] = 255;
            }
            uint8_t *src = test_xmalloc((size_t)sw * sh * ch);
            uint8_t *dst = test_xmalloc((size_t)dw * dh * ch);
            for (size_t i = 0; i < (size_t)sw * sh; i++) {
                memcpy(src + i * ch, px, ch);
            }
            for (int f = TK_RS_LANCZOS3; f <= TK_RS_BOX; f++) {
                struct tk_rs_plan *p = NULL;
                CHECKF(tk_rs_plan_create(sw, sh, dw, dh, (enum tk_rs_filter)f, &p) == TK_RS_OK &&
                           tk_rs_run(p, src, (size_t)sw * ch, dst, (size_t)dw * ch, ch) == TK_RS_OK,
                       "run");
                tk_rs_plan_destroy(p);
                const int exact = !has_alpha || px[ch - 1] == 255;
                for (size_t i = 0; i < (size_t)dw * dh; i++) {
                    CHECKF(memcmp(dst + i * ch, dst, ch) == 0, "not constant at %zu (%ux%u->%ux%u)",
                           i, sw, sh, dw, dh);
                    CHECKF(!exact || memcmp(dst + i * ch, px, ch) == 0,
                           "value changed at %zu: %u -> %u (%ux%u->%ux%u f%d ch%d)", i, px[0],
                           dst[i * ch], sw, sh, dw, dh, f, ch);
                    CHECKF(!has_alpha || dst[i * ch + ch - 1] == px[ch - 1], "alpha changed");
                }
            }
            free(src);
            free(dst);
        }
    }
}

static uint8_t pattern(uint32_t x, uint32_t y, int c) {
    return (uint8_t)((x * 37u + y * 91u + (uint32_t)c * 53u) % 256u);
}

/* Box 2x: each output is round-half-up of the mean of its 2x2 block. */
static void test_box_half(void) {
    enum { W = 10, H = 6 };
    for (int ch = 1; ch <= 4; ch++) {
        const int has_alpha = ch == 2 || ch == 4;
        uint8_t src[W * H * 4], dst[W * H];
        for (uint32_t y = 0; y < H; y++) {
            for (uint32_t x = 0; x < W; x++) {
                for (int c = 0; c < ch; c++) {
                    src[(y * W + x) * ch + c] = (has_alpha && c == ch - 1) ? 255 : pattern(x, y, c);
                }
            }
        }
        struct tk_rs_plan *p = NULL;
        CHECKF(tk_rs_plan_create(W, H, W / 2, H / 2, TK_RS_BOX, &p) == TK_RS_OK &&
                   tk_rs_run(p, src, W * ch, dst, W / 2 * ch, ch) == TK_RS_OK,
               "run");
        tk_rs_plan_destroy(p);
        for (uint32_t y = 0; y < H / 2; y++) {
            for (uint32_t x = 0; x < W / 2; x++) {
                for (int c = 0; c < ch; c++) {
                    unsigned s = 0;
                    for (uint32_t dy = 0; dy < 2; dy++) {
                        for (uint32_t dx = 0; dx < 2; dx++) {
                            s += src[((2 * y + dy) * W + 2 * x + dx) * ch + c];
                        }
                    }
                    const unsigned want = (s + 2) / 4;
                    const unsigned got = dst[(y * (W / 2) + x) * ch + c];
                    CHECKF(got == want, "box %u,%u ch%d/%d: %u, want %u", x, y, c, ch, got, want);
                }
            }
        }
    }
}

/* Opaque red next to transparent green: no visible pixel may get any green. */
static void test_alpha_no_bleed(void) {
    static const uint32_t sizes[][2] = {{17, 9}, {80, 40}, {5, 3}, {40, 20}};
    enum { W = 40, H = 20 };
    for (int ch = 2; ch <= 4; ch += 2) {
        uint8_t src[W * H * 4];
        for (uint32_t y = 0; y < H; y++) {
            for (uint32_t x = 0; x < W; x++) {
                uint8_t *px = src + (y * W + x) * ch;
                const int opaque = (x + y / 4) % 10 < 5;
                if (ch == 4) {
                    px[0] = opaque ? 255 : 0;
                    px[1] = opaque ? 0 : 255;
                    px[2] = 0;
                } else {
                    px[0] = opaque ? 0 : 255; /* gray: dark where opaque, white hidden */
                }
                px[ch - 1] = opaque ? 255 : 0;
            }
        }
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            const uint32_t dw = sizes[s][0], dh = sizes[s][1];
            uint8_t dst[80 * 40 * 4];
            for (int f = TK_RS_LANCZOS3; f <= TK_RS_BOX; f++) {
                struct tk_rs_plan *p = NULL;
                CHECKF(tk_rs_plan_create(W, H, dw, dh, (enum tk_rs_filter)f, &p) == TK_RS_OK &&
                           tk_rs_run(p, src, W * ch, dst, dw * ch, ch) == TK_RS_OK,
                       "run");
                tk_rs_plan_destroy(p);
                for (size_t i = 0; i < (size_t)dw * dh; i++) {
                    const uint8_t *px = dst + i * ch;
                    if (px[ch - 1] == 0) {
                        continue; /* fully transparent: its colour is never seen */
                    }
                    if (ch == 4) {
                        CHECKF(px[1] == 0 && px[2] == 0 && (px[3] < 255 || px[0] == 255),
                               "colour bled: %u %u %u %u (f%d)", px[0], px[1], px[2], px[3], f);
                    } else {
                        CHECKF(px[0] == 0, "gray bled: %u alpha %u (f%d)", px[0], px[1], f);
                    }
                }
            }
        }
    }
}

/* One plan used by several threads at once gives every thread the
 * single-threaded bytes (plans are immutable; scratch is per call). */
enum { SW = 301, SH = 203, DW = 97, DH = 61, CH = 4, THREADS = 4 };
struct shared_job {
    const struct tk_rs_plan *plan;
    const uint8_t *src;
    uint8_t out[DW * DH * CH];
    enum tk_rs_status rc;
};

static void *shared_run(void *arg) {
    struct shared_job *job = arg;
    for (int i = 0; i < 5 && job->rc == TK_RS_OK; i++) {
        job->rc = tk_rs_run(job->plan, job->src, SW * CH, job->out, DW * CH, CH);
    }
    return NULL;
}

static void test_shared_plan(void) {
    static uint8_t src[SW * SH * CH], want[DW * DH * CH];
    static struct shared_job jobs[THREADS];
    uint64_t rng = 5;
    test_fill_random(&rng, src, SW, SH, SW * CH, CH);
    struct tk_rs_plan *p = NULL;
    CHECKF(tk_rs_plan_create(SW, SH, DW, DH, TK_RS_LANCZOS3, &p) == TK_RS_OK &&
               tk_rs_run(p, src, SW * CH, want, DW * CH, CH) == TK_RS_OK,
           "run");
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (struct shared_job){.plan = p, .src = src};
        CHECKF(pthread_create(&t[i], NULL, shared_run, &jobs[i]) == 0, "pthread_create");
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        CHECKF(jobs[i].rc == TK_RS_OK && memcmp(jobs[i].out, want, sizeof want) == 0,
               "thread %d differs from the single-threaded result", i);
    }
    tk_rs_plan_destroy(p);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s scalar|sse41|avx2|avx512|neon (with TK_SIMD set to the same)\n",
                argv[0]);
        return 2;
    }
    int rc = test_isa_forced(argv[1]);
    if (rc != 0) {
        return rc;
    }
    test_plans();
    test_constant();
    test_box_half();
    test_alpha_no_bleed();
    test_shared_plan();
    printf("sanity (%s kernels): %d failures\n", tk_isa_name(tk_isa_active()), check_failures);
    return check_done("test_rs_sanity");
}
