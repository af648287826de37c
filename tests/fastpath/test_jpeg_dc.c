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
#include "jpeg_dc.h"
#include "jpeg_reference.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TOLERANCE_420_PSNR 28.0

static int failures, exact_matches, tolerant_matches, not_eligible, truncations;

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
    struct ref_image ref;
    if (ref_decode_eighth(data, size, &ref) != 0) {
        return; /* libjpeg refuses it (12-bit, lossless, corrupt): nothing to compare with */
    }
    struct tk_image img;
    bool eligible;
    char err[256] = "";
    enum tk_status s =
        tk_jpeg_dc_decode(data, size, mode, 1ULL << 40, &img, &eligible, err, sizeof(err));
    if (s != TK_OK) {
        printf("FAIL %s (%s): fast path says %d (%s) where libjpeg decodes\n", name, variant, s,
               err);
        failures++;
    } else if (!eligible) {
        not_eligible++;
    } else if ((int)img.width != ref.width || (int)img.height != ref.height ||
               (int)img.layout != ref.channels) {
        printf("FAIL %s (%s): %ux%u/%d vs libjpeg %dx%d/%d\n", name, variant, img.width, img.height,
               img.layout, ref.width, ref.height, ref.channels);
        failures++;
    } else {
        size_t n = (size_t)ref.width * ref.height * ref.channels;
        bool is_420 = ref.components == 3 && ref.h_samp == 2 && ref.v_samp == 2;
        double p = psnr(img.pixels, ref.pixels, n);
        if (memcmp(img.pixels, ref.pixels, n) == 0) {
            exact_matches++;
        } else if (is_420 && p >= TOLERANCE_420_PSNR) {
            tolerant_matches++;
        } else {
            printf("FAIL %s (%s): %s, PSNR %.2f dB\n", name, variant,
                   is_420 ? "4:2:0 below tolerance" : "must be exact", p);
            failures++;
        }
        printf("  %-60s %-11s %dx%d %s PSNR %.2f\n", name, variant, ref.width, ref.height,
               is_420 ? "4:2:0" : "exact", p);
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
        enum tk_status s = tk_jpeg_dc_decode(data, n, TK_JPEG_DC_PROGRESSIVE_ONLY, 1ULL << 40, &img,
                                             &eligible, err, sizeof(err));
        if (s == TK_OK && eligible) {
            printf("FAIL %s cut to %zu of %zu bytes decoded without error\n", name, n, size);
            failures++;
        } else if (s != TK_OK && err[0] == '\0') {
            printf("FAIL %s cut to %zu bytes: error without a message\n", name, n);
            failures++;
        }
        truncations++;
        tk_image_free(&img);
    }
}

static void check_file(const char *path) {
    size_t size;
    uint8_t *data = ref_read_file(path, &size);
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (!data) {
        printf("FAIL cannot read %s\n", path);
        failures++;
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

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void check_path(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        printf("FAIL no such path %s\n", path);
        failures++;
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        check_file(path);
        return;
    }
    DIR *dir = opendir(path);
    char *names[512];
    size_t n = 0;
    for (struct dirent *e; dir && (e = readdir(dir)) && n < 512;) {
        size_t len = strlen(e->d_name);
        if (len > 4 && (strcmp(e->d_name + len - 4, ".jpg") == 0)) {
            names[n] = malloc(strlen(path) + len + 2);
            snprintf(names[n], strlen(path) + len + 2, "%s/%s", path, e->d_name);
            n++;
        }
    }
    if (dir) {
        closedir(dir);
    }
    qsort(names, n, sizeof(names[0]), by_name);
    for (size_t i = 0; i < n; i++) {
        check_file(names[i]);
        free(names[i]);
    }
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        check_path(argv[i]);
    }
    printf("%d exact, %d within the 4:2:0 tolerance, %d not eligible, %d truncations refused, "
           "%d failures\n",
           exact_matches, tolerant_matches, not_eligible, truncations, failures);
    /* The test must have compared real images, progressive ones among them. */
    if (exact_matches + tolerant_matches < 10) {
        printf("FAIL too few images compared\n");
        failures++;
    }
    return failures ? 1 : 0;
}
