/*
 * test_jpeg_dc.c — the DC-only fast path against libjpeg-turbo's own 1/8 decode,
 * on every JPEG given (files or folders), both as stored and re-coded as
 * progressive by libjpeg-turbo's lossless transcoder.
 *
 * Stated tolerance: grayscale, 4:4:4 and 4:2:2 must match byte for byte. For
 * 4:2:0, libjpeg-turbo rebuilds chroma with a 2x2 IDCT that needs AC
 * coefficients the fast path never reads; there the 1/8 images must agree
 * within PSNR >= TOLERANCE_420_PSNR dB (luma is still exact; only chroma
 * interpolation differs).
 */
#include "check.h"
#include "files.h"
#include "jpeg_dc.h"
#include "jpeg_reference.h"
#include "testing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TOLERANCE_420_PSNR 28.0

static int exact_matches, tolerant_matches, not_eligible, truncations;

static double psnr(const uint8_t *a, const uint8_t *b, size_t n) {
    double se = 0;
    for (size_t i = 0; i < n; i++) {
        double d = (double)a[i] - b[i];
        se += d * d;
    }
    return se == 0 ? INFINITY : 10 * log10(255.0 * 255.0 * n / se);
}

static void check_one(const char *name, const char *variant, const uint8_t *data, size_t size,
                      enum tk_jpeg_dc_mode mode) {
    static const struct ref_jpeg_request eighth = {.scale_denom = 8, .strict = true};
    struct ref_image ref;
    char err[256] = "";
    if (ref_jpeg_decode(data, size, &eighth, &ref, err, sizeof(err)) != 0) {
        return; /* libjpeg refuses it (12-bit, lossless, corrupt): nothing to compare with */
    }
    struct tk_image img;
    bool eligible;
    enum tk_status s =
        tk_jpeg_dc_decode_mode(data, size, mode, 1ULL << 40, &img, &eligible, err, sizeof(err));
    CHECKF(s == TK_OK, "%s (%s): fast path says %d (%s) where libjpeg decodes", name, variant, s,
           err);
    if (s == TK_OK && !eligible) {
        not_eligible++;
    } else if (s == TK_OK) {
        bool same_size = (int)img.width == ref.width && (int)img.height == ref.height &&
                         (int)img.layout == ref.channels;
        CHECKF(same_size, "%s (%s): %ux%u/%d vs libjpeg %dx%d/%d", name, variant, img.width,
               img.height, img.layout, ref.width, ref.height, ref.channels);
        if (same_size) {
            size_t n = (size_t)ref.width * ref.height * ref.channels;
            bool is_420 = ref.components == 3 && ref.h_samp == 2 && ref.v_samp == 2;
            double p = psnr(img.pixels, ref.pixels, n);
            bool exact = memcmp(img.pixels, ref.pixels, n) == 0;
            bool tolerated = !exact && is_420 && p >= TOLERANCE_420_PSNR;
            exact_matches += exact;
            tolerant_matches += tolerated;
            CHECKF(exact || tolerated, "%s (%s): %s, PSNR %.2f dB", name, variant,
                   is_420 ? "4:2:0 below tolerance" : "must be exact", p);
            printf("  %-60s %-11s %dx%d %s PSNR %.2f\n", name, variant, ref.width, ref.height,
                   is_420 ? "4:2:0" : "exact", p);
        }
    }
    tk_image_free(&img);
    free(ref.pixels);
}

/* Cut progressive data short at several points: always an error, never a crash or an image. */
static void check_truncations(const char *name, const uint8_t *data, size_t size) {
    static const double cuts[] = {0.02, 0.1, 0.3, 0.6, 0.95, 0.999};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        size_t n = (size_t)(size * cuts[i]);
        struct tk_image img;
        bool eligible;
        char err[256] = "";
        enum tk_status s =
            tk_jpeg_dc_decode(data, n, 1ULL << 40, &img, &eligible, err, sizeof(err));
        CHECKF(!(s == TK_OK && eligible), "%s cut to %zu of %zu bytes decoded without error", name,
               n, size);
        CHECKF(s == TK_OK || err[0] != '\0', "%s cut to %zu bytes: error without a message", name,
               n);
        truncations++;
        tk_image_free(&img);
    }
}

static void check_file(const char *path) {
    size_t size;
    uint8_t *data = test_read_file(path, &size);
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    CHECKF(data != NULL, "cannot read %s", path);
    if (!data) {
        return;
    }
    check_one(name, "as stored", data, size, TK_JPEG_DC_ALSO_BASELINE);
    uint8_t *prog = NULL;
    size_t prog_size = 0;
    if (ref_make_progressive(data, size, &prog, &prog_size) == 0) {
        check_one(name, "progressive", prog, prog_size, TK_JPEG_DC_PROGRESSIVE_ONLY);
        check_truncations(name, prog, prog_size);
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
    printf("%d exact, %d within the 4:2:0 tolerance, %d not eligible, %d truncations refused, "
           "%d failures\n",
           exact_matches, tolerant_matches, not_eligible, truncations, check_failures);
    /* The test must have compared real images, progressive ones among them. */
    CHECKF(exact_matches + tolerant_matches >= 10, "too few images compared (%d)",
           exact_matches + tolerant_matches);
    return check_done("test_jpeg_dc");
}
