/*
 * test_jpeg_fast.c — the fast reduced-scale JPEG decoder (engine/src/jpeg_fast*.c) against
 * libjpeg-turbo, on every JPEG given (files or folders), each as stored and losslessly re-coded:
 * as progressive (libjpeg's standard script), with a restart marker after every MCU row, and
 * as progressive with the AC bands split at 5|6.
 *
 * What must hold, at 1/8, 1/4 and 1/2 (1/2: progressive only; baseline goes to libjpeg):
 *   - Coefficients: every value the decoder keeps equals libjpeg's own
 *     (jpeg_read_coefficients), exactly — the entropy decoding, AC skipping and the
 *     progressive scan plan are right; and with split bands the plan skips exactly the scans
 *     whose coefficients the scale does not need.
 *   - Pixels at 1/8: byte for byte libjpeg's scale-1/8 output for gray, 4:4:4, 4:2:2 and
 *     4:4:0. For 4:2:0 libjpeg-turbo rebuilds chroma with a 2x2 IDCT that needs AC
 *     coefficients the decoder never reads; it upsamples the DC chroma instead, so there the
 *     images must agree within PSNR >= TOL_EIGHTH_420 dB (luma is still exact).
 *   - Pixels at 1/4 and 1/2: each pixel is the box average of the band-limited block
 *     (jpeg_fast.h), while libjpeg-turbo's reduced IDCTs also use coefficients 3, 5 and 7;
 *     the images must agree within PSNR >= TOL_REDUCED dB.
 *   - Truncated files (cut at several points): never an image where the engine's libjpeg path
 *     (stopped at its first data-loss warning) gives none; a clean error otherwise.
 */
#include "check.h"
#include "decode.h"
#include "files.h"
#include "jpeg_fast.h"
#include "jpeg_reference.h"
#include "testing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The DC-only decoder's tolerance, kept for every approximate case (measured on the test
 * images: worst 28.6 dB for 4:2:0 at 1/8, 31.4 dB at 1/4 and 1/2; the camera photos in
 * ../shared give 44-56 dB). */
#define TOL_EIGHTH_420 28.0
#define TOL_REDUCED    28.0

static int exact, tolerated, coef_checks, not_eligible, truncations, scan_plans;
static double worst_420 = INFINITY, worst_reduced = INFINITY;

static double psnr(const uint8_t *a, const uint8_t *b, size_t n) {
    double se = 0;
    for (size_t i = 0; i < n; i++) {
        double d = (double)a[i] - b[i];
        se += d * d;
    }
    return se == 0 ? INFINITY : 10 * log10(255.0 * 255.0 * (double)n / se);
}

/*
 * The stored n x n top-left coefficients of every block with image data equal libjpeg's.
 * @return the scans the decoder skipped, or -1 when it did not decode the file.
 */
static int check_coefficients(const char *name, const char *variant, int scale, const uint8_t *data,
                              size_t size) {
    struct ref_coefs ref;
    char err[256] = "";
    if (ref_jpeg_coefficients(data, size, &ref, err, sizeof(err)) != 0) {
        return -1;
    }
    struct tk_jpeg_fast_request req = {.scale_denom = scale,
                                       .codings = TK_JPEG_FAST_BASELINE | TK_JPEG_FAST_PROGRESSIVE,
                                       .max_pixels = 1ULL << 40};
    struct tk_jpeg_fast_planes got;
    bool eligible = false;
    enum tk_status s =
        tk_jpeg_fast_decode_planes(data, size, &req, &got, &eligible, err, sizeof(err));
    CHECKF(s == TK_OK, "%s (%s, 1/%d): planes: %s", name, variant, scale, err);
    if (s == TK_OK && eligible) {
        CHECK_EQ_INT(got.n_comp, ref.n_comp);
        long mismatches = 0;
        for (int ci = 0; ci < got.n_comp && ci < ref.n_comp; ci++) {
            const struct tk_jpeg_fast_plane *g = &got.comp[ci];
            const struct ref_coef_plane *r = &ref.comp[ci];
            CHECKF(g->bw == r->bw && g->bh == r->bh, "%s: component %d is %dx%d blocks, not %dx%d",
                   name, ci, g->bw, g->bh, r->bw, r->bh);
            CHECKF(memcmp(g->quant, r->quant, sizeof(g->quant)) == 0,
                   "%s: component %d quantisation table differs", name, ci);
            for (int by = 0; by < g->bh && by < r->bh; by++) {
                for (int bx = 0; bx < g->bw && bx < r->bw; bx++) {
                    const int16_t *gb = g->coef + ((size_t)by * (size_t)g->pw + (size_t)bx) *
                                                      (size_t)(got.n * got.n);
                    const int16_t *rb = r->coef + ((size_t)by * (size_t)r->bw + (size_t)bx) * 64;
                    for (int v = 0; v < got.n; v++) {
                        for (int u = 0; u < got.n; u++) {
                            mismatches += gb[v * got.n + u] != rb[v * 8 + u];
                        }
                    }
                }
            }
        }
        CHECKF(mismatches == 0, "%s (%s, 1/%d): %ld coefficients differ from libjpeg's", name,
               variant, scale, mismatches);
        coef_checks++;
    }
    int skipped = s == TK_OK && eligible ? got.scans_skipped : -1;
    tk_jpeg_fast_planes_free(&got);
    ref_coefs_free(&ref);
    return skipped;
}

/* @return the pixels libjpeg decoded at this scale (0 when it refuses the file). */
static long check_pixels(const char *name, const char *variant, int scale, const uint8_t *data,
                         size_t size) {
    struct ref_jpeg_request rr = {.scale_denom = (unsigned)scale, .strict = true};
    struct ref_image ref;
    char err[256] = "";
    if (ref_jpeg_decode(data, size, &rr, &ref, err, sizeof(err)) != 0) {
        return 0; /* libjpeg refuses it (12-bit, lossless, corrupt): nothing to compare with */
    }
    long pixels = (long)ref.width * ref.height;
    struct tk_jpeg_fast_request req = {.scale_denom = scale,
                                       .codings = TK_JPEG_FAST_BASELINE | TK_JPEG_FAST_PROGRESSIVE,
                                       .max_pixels = 1ULL << 40};
    struct tk_image img;
    bool eligible = false;
    enum tk_status s = tk_jpeg_fast_decode(data, size, &req, &img, &eligible, err, sizeof(err));
    CHECKF(s == TK_OK, "%s (%s, 1/%d): fast decoder says %s (%s) where libjpeg decodes", name,
           variant, scale, tk_status_name(s), err);
    if (s == TK_OK && !eligible) {
        not_eligible++;
    } else if (s == TK_OK) {
        bool same_size = (int)img.width == ref.width && (int)img.height == ref.height &&
                         (int)img.layout == ref.channels;
        CHECKF(same_size, "%s (%s, 1/%d): %ux%u/%d vs libjpeg %dx%d/%d", name, variant, scale,
               img.width, img.height, img.layout, ref.width, ref.height, ref.channels);
        if (same_size) {
            size_t n = (size_t)ref.width * (size_t)ref.height * (size_t)ref.channels;
            bool is_420 = ref.components == 3 && ref.h_samp == 2 && ref.v_samp == 2;
            double p = psnr(img.pixels, ref.pixels, n);
            bool same = memcmp(img.pixels, ref.pixels, n) == 0;
            const char *rule;
            if (scale == 8 && !is_420) {
                rule = "exact";
                CHECKF(same, "%s (%s, 1/8): must equal libjpeg's, PSNR %.2f dB", name, variant, p);
            } else {
                double tol = scale == 8 ? TOL_EIGHTH_420 : TOL_REDUCED;
                double *worst = scale == 8 ? &worst_420 : &worst_reduced;
                *worst = p < *worst ? p : *worst;
                rule = scale == 8 ? "4:2:0" : "reduced";
                CHECKF(p >= tol, "%s (%s, 1/%d): PSNR %.2f dB below %.1f", name, variant, scale, p,
                       tol);
            }
            exact += same;
            tolerated += !same;
            printf("  %-58s %-11s 1/%d %5dx%-5d %-7s PSNR %.2f\n", name, variant, scale, ref.width,
                   ref.height, rule, p);
        }
    }
    tk_image_free(&img);
    free(ref.pixels);
    return pixels;
}

/* Cut the file short at several points: no image where libjpeg gives none, else the same. */
static void check_truncations(const char *name, const char *variant, const uint8_t *data,
                              size_t size) {
    static const double cuts[] = {0.02, 0.1, 0.3, 0.6, 0.95, 0.999};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        size_t n = (size_t)((double)size * cuts[i]);
        struct tk_jpeg_request general = {.scale_denom = 8, .max_pixels = 1ULL << 40};
        struct tk_image ref;
        char err[256] = "";
        bool libjpeg_ok =
            tk_jpeg_decode_general(data, n, &general, &ref, err, sizeof(err)) == TK_OK;
        tk_image_free(&ref);
        for (int scale = 8; scale >= 4; scale /= 2) {
            struct tk_jpeg_fast_request req = {.scale_denom = scale,
                                               .codings =
                                                   TK_JPEG_FAST_BASELINE | TK_JPEG_FAST_PROGRESSIVE,
                                               .max_pixels = 1ULL << 40};
            struct tk_image img;
            bool eligible = false;
            err[0] = '\0';
            enum tk_status s =
                tk_jpeg_fast_decode(data, n, &req, &img, &eligible, err, sizeof(err));
            CHECKF(libjpeg_ok || !(s == TK_OK && eligible),
                   "%s (%s) cut to %zu of %zu bytes: an image where libjpeg has none", name,
                   variant, n, size);
            CHECKF(s == TK_OK || err[0] != '\0',
                   "%s (%s) cut to %zu bytes: error without a message", name, variant, n);
            truncations++;
            tk_image_free(&img);
        }
    }
}

/*
 * Every scale; at 1/2 a baseline file is not eligible (libjpeg's job) and counted so. A huge
 * image (the 280 MP bomb) is checked at 1/8 only, to keep the test fast.
 */
static void check_variant(const char *name, const char *variant, const uint8_t *data, size_t size,
                          const int expect_skipped[3]) {
    for (int scale = 8, i = 0; scale >= 2; scale /= 2, i++) {
        long pixels = check_pixels(name, variant, scale, data, size);
        if (scale == 8 && pixels * 64 > 20000000L) {
            return;
        }
        int skipped = check_coefficients(name, variant, scale, data, size);
        if (expect_skipped != NULL && skipped >= 0) {
            CHECKF(skipped == expect_skipped[i], "%s (%s, 1/%d): %d scans skipped, expected %d",
                   name, variant, scale, skipped, expect_skipped[i]);
            scan_plans += skipped == expect_skipped[i];
        }
    }
    if (strcmp(variant, "as stored") == 0 || strcmp(variant, "progressive") == 0) {
        check_truncations(name, variant, data, size); /* one sequential and one progressive */
    }
}

/* Components in the frame header of @p data (0 when there is none). */
static int count_components(const uint8_t *data, size_t size) {
    for (size_t i = 2; i + 9 < size;) {
        if (data[i] != 0xFF) {
            return 0;
        }
        uint8_t m = data[i + 1];
        if (m >= 0xC0 && m <= 0xC2) {
            return data[i + 9];
        }
        i += 2 + (size_t)((data[i + 2] << 8) | data[i + 3]);
    }
    return 0;
}

static void check_file(const char *path) {
    size_t size;
    uint8_t *data = test_read_file(path, &size);
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    CHECKF(data != NULL, "cannot read %s", path);
    if (data == NULL) {
        return;
    }
    check_variant(name, "as stored", data, size, NULL);
    static const struct {
        enum ref_recoding how;
        const char *name;
    } recodings[] = {{REF_PROGRESSIVE, "progressive"},
                     {REF_RESTART_ROWS, "restarts"},
                     {REF_PROGRESSIVE_SPLIT, "split bands"}};
    for (size_t i = 0; i < sizeof(recodings) / sizeof(recodings[0]); i++) {
        uint8_t *other = NULL;
        size_t other_size = 0;
        if (ref_transcode(data, size, recodings[i].how, &other, &other_size) == 0) {
            /* Split bands: at 1/8 every AC scan is skipped (4 per component), at 1/4 the two of
             * coefficients 6..63 per component, at 1/2 none (6..24 are needed). */
            int components = count_components(other, other_size);
            int split[3] = {4 * components, 2 * components, 0};
            check_variant(name, recodings[i].name, other, other_size,
                          recodings[i].how == REF_PROGRESSIVE_SPLIT ? split : NULL);
        }
        free(other);
    }
    free(data);
}

/*
 * A progressive file whose last AC scan names an undefined Huffman table: fatal to libjpeg
 * even though at 1/8 no AC scan is read, so the fast decoder must not make an image either.
 */
static void check_undefined_ac_table(const char *path) {
    size_t size;
    uint8_t *data = test_read_file(path, &size);
    uint8_t *prog = NULL;
    size_t prog_size = 0;
    CHECKF(data != NULL && ref_make_progressive(data, size, &prog, &prog_size) == 0,
           "cannot re-code %s", path);
    size_t last_ac = 0; /* offset of the last AC scan's SOS */
    for (size_t i = 0; prog != NULL && i + 8 < prog_size; i++) {
        if (prog[i] == 0xFF && prog[i + 1] == 0xDA && prog[i + 4] == 1 && prog[i + 7] != 0) {
            last_ac = i; /* one component, Ss != 0 */
        }
    }
    CHECKF(last_ac != 0, "%s: no AC scan found", path);
    if (last_ac != 0) {
        prog[last_ac + 6] = (uint8_t)((prog[last_ac + 6] & 0xF0) | 3); /* AC table 3: undefined */
        struct tk_jpeg_fast_request req = {
            .scale_denom = 8, .codings = TK_JPEG_FAST_PROGRESSIVE, .max_pixels = 1ULL << 40};
        struct tk_image img;
        bool eligible = false;
        char err[256] = "";
        enum tk_status s =
            tk_jpeg_fast_decode(prog, prog_size, &req, &img, &eligible, err, sizeof(err));
        CHECKF(s == TK_ERR_CORRUPT, "%s with an undefined AC table: %s (%s)", path,
               tk_status_name(s), err);
        tk_image_free(&img);
    }
    free(prog);
    free(data);
}

static void check_path(const char *path) {
    struct stat st;
    bool exists = stat(path, &st) == 0;
    CHECKF(exists, "no such path %s", path);
    if (!exists) {
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        check_file(path);
        return;
    }
    size_t n;
    char **names = test_list_dir(path, ".jpg", &n);
    for (size_t i = 0; i < n; i++) {
        char file[4096];
        snprintf(file, sizeof(file), "%s/%s", path, names[i]);
        check_file(file);
    }
    test_names_free(names, n);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        check_path(argv[i]);
    }
    if (argc > 1) {
        check_undefined_ac_table(argv[argc - 1]);
    }
    printf("%d exact, %d within tolerance (worst: 4:2:0 at 1/8 %.2f dB, 1/4 and 1/2 %.2f dB), "
           "%d coefficient comparisons, %d scan plans as expected, %d not eligible, "
           "%d truncations\n",
           exact, tolerated, worst_420, worst_reduced, coef_checks, scan_plans, not_eligible,
           truncations);
    /* The test must have compared real images at every scale, progressive ones among them. */
    CHECKF(exact + tolerated >= 60, "too few images compared (%d)", exact + tolerated);
    CHECKF(coef_checks >= 60, "too few coefficient comparisons (%d)", coef_checks);
    CHECKF(scan_plans >= 30, "too few progressive scan plans checked (%d)", scan_plans);
    return check_done("test_jpeg_fast");
}
