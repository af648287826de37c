/*
 * test_fast_pipeline.c — the engine's decode-path choice with the fast decoder on, against
 * the general (libjpeg) path, down to the resampled thumbnail. Run once per ISA:
 * test_fast_pipeline ISA FILE... with TK_SIMD=ISA (ctest); exits 77 (skip) where the CPU
 * lacks the ISA.
 *
 * For every JPEG given, as stored and re-coded as progressive, at 1/8, 1/4 and 1/2:
 *  - the decode through tk_jpeg_decode() must equal the fast decoder's own output whenever
 *    the file is eligible (so the engine really takes the fast path), and the general path's
 *    output exactly at 1/8, or (4:2:0 at 1/8, and 1/4) within the tolerances stated in
 *    test_jpeg_fast.c;
 *  - the thumbnails resampled from both (half the decoded size, Lanczos3, the active
 *    kernels) must be identical where the decodes are, or within THUMB_PSNR dB.
 */
#include "check.h"
#include "decode.h"
#include "files.h"
#include "isa.h"
#include "jpeg_fast.h"
#include "jpeg_reference.h"
#include "ops.h"
#include "testing.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DECODE_PSNR 28.0 /* test_jpeg_fast.c's tolerance */
#define THUMB_PSNR  30.0

static int fast_taken, compared;

static double psnr(const struct tk_image *a, const struct tk_image *b) {
    double se = 0;
    size_t n = (size_t)a->height * a->stride;
    for (size_t i = 0; i < n; i++) {
        double d = (double)a->pixels[i] - b->pixels[i];
        se += d * d;
    }
    return se == 0 ? INFINITY : 10 * log10(255.0 * 255.0 * (double)n / se);
}

static bool same_pixels(const struct tk_image *a, const struct tk_image *b) {
    return a->width == b->width && a->height == b->height && a->layout == b->layout &&
           memcmp(a->pixels, b->pixels, (size_t)a->height * a->stride) == 0;
}

static bool is_420(const uint8_t *data, size_t size) {
    static const struct ref_jpeg_request eighth = {.scale_denom = 8, .strict = true};
    struct ref_image ref;
    char err[256];
    if (ref_jpeg_decode(data, size, &eighth, &ref, err, sizeof(err)) != 0) {
        return false;
    }
    free(ref.pixels);
    return ref.components == 3 && ref.h_samp == 2 && ref.v_samp == 2;
}

static void check(const char *name, const char *variant, const uint8_t *data, size_t size,
                  int scale) {
    char err[256];
    struct tk_jpeg_request req = {.scale_denom = scale, .max_pixels = 1ULL << 40};
    struct tk_image a = {0}, b = {0}, fast = {0}, ta = {0}, tb = {0};
    if (tk_jpeg_decode_general(data, size, &req, &b, err, sizeof(err)) != TK_OK) {
        goto cleanup; /* not decodable at all (12-bit, lossless, corrupt): nothing to compare */
    }
    struct tk_jpeg_stats stats;
    enum tk_status st = tk_jpeg_decode(data, size, &req, &a, &stats, err, sizeof(err));
    CHECKF(st == TK_OK, "%s (%s, 1/%d): fast path gives %s: %s", name, variant, scale,
           tk_status_name(st), err);
    if (st != TK_OK) {
        goto cleanup;
    }
    bool eligible = false;
    struct tk_jpeg_fast_request fr = {.scale_denom = scale,
                                      .codings = TK_JPEG_FAST_BASELINE | TK_JPEG_FAST_PROGRESSIVE,
                                      .max_pixels = 1ULL << 40};
    if (tk_jpeg_fast_decode(data, size, &fr, &fast, &eligible, err, sizeof(err)) == TK_OK &&
        eligible) {
        fast_taken++;
        CHECKF(same_pixels(&a, &fast) && stats.fast,
               "%s (%s, 1/%d): eligible, but the engine did not take the fast path", name, variant,
               scale);
    }
    CHECKF(stats.fast == eligible, "%s (%s, 1/%d): the engine reports the %s decoder", name,
           variant, scale, stats.fast ? "fast" : "libjpeg");
    bool tolerant = scale != 8 || is_420(data, size);
    double p = same_pixels(&a, &b) ? INFINITY : psnr(&a, &b);
    bool decodes_agree = a.width == b.width && a.height == b.height && a.layout == b.layout &&
                         (tolerant || !isfinite(p)) && p >= DECODE_PSNR;
    CHECKF(decodes_agree, "%s (%s, 1/%d): decodes differ (PSNR %.2f dB)", name, variant, scale, p);
    if (!decodes_agree) {
        goto cleanup;
    }
    uint32_t tw = a.width / 2 ? a.width / 2 : 1, th = a.height / 2 ? a.height / 2 : 1;
    struct tk_region all = {0, 0, a.width, a.height};
    bool resized = tk_resize(&a, all, tw, th, TK_FILTER_LANCZOS3, &ta) == TK_OK &&
                   tk_resize(&b, all, tw, th, TK_FILTER_LANCZOS3, &tb) == TK_OK;
    CHECKF(resized, "%s (%s, 1/%d): resize failed", name, variant, scale);
    if (!resized) {
        goto cleanup;
    }
    double tp = same_pixels(&ta, &tb) ? INFINITY : psnr(&ta, &tb);
    CHECKF((tolerant || !isfinite(tp)) && tp >= THUMB_PSNR,
           "%s (%s, 1/%d): thumbnails differ (PSNR %.2f dB)", name, variant, scale, tp);
    compared++;
    printf("  %-58s %-11s 1/%d %s thumbnail %ux%u PSNR %.2f\n", name, variant, scale,
           eligible ? "fast   " : "libjpeg", tw, th, tp);
cleanup:
    tk_image_free(&a);
    tk_image_free(&b);
    tk_image_free(&fast);
    tk_image_free(&ta);
    tk_image_free(&tb);
}

static void check_scales(const char *name, const char *variant, const uint8_t *data, size_t size) {
    check(name, variant, data, size, 8);
    check(name, variant, data, size, 4);
    check(name, variant, data, size, 2);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s ISA FILE...\n", argv[0]);
        return 2;
    }
    int rc = test_isa_forced(argv[1]);
    if (rc != 0) {
        return rc;
    }
    printf("resampler kernels: %s\n", tk_simd_name());
    for (int i = 2; i < argc; i++) {
        size_t size;
        uint8_t *data = test_read_file(argv[i], &size);
        const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
        CHECKF(data != NULL, "cannot read %s", argv[i]);
        if (!data) {
            continue;
        }
        check_scales(name, "as stored", data, size);
        uint8_t *prog = NULL;
        size_t prog_size = 0;
        if (ref_make_progressive(data, size, &prog, &prog_size) == 0) {
            check_scales(name, "progressive", prog, prog_size);
        }
        free(prog);
        free(data);
    }
    printf("%d compared, %d through the fast decoder, %d failures\n", compared, fast_taken,
           check_failures);
    CHECKF(fast_taken >= 40 && compared >= 50, "too few images went through the fast decoder");
    return check_done("test_fast_pipeline");
}
