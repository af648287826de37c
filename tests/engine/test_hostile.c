/* test_hostile.c — hostile inputs: nothing printed, no thumbnails from bad data,
 * decompression bombs refused from the header with little memory. */
#include "tk_test.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* Fixed-seed generator: the mutations are the same on every run. */
static uint32_t rng_state = 0x9E3779B9u;
static uint32_t rng(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static size_t cases_run = 0;

static void put32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8),
    p[3] = (uint8_t)v;
}

/* Any status is fine; a failure must leave no thumbnail and a message. */
static void run_case(const uint8_t *p, size_t n, enum tk_format fmt, const char *what) {
    struct tk_options o;
    tk_options_init(&o);
    o.format = fmt;
    o.n_targets = 2;
    o.targets[1] = (struct tk_target){40, 30, TK_FIT_COVER};
    struct tk_result r;
    enum tk_status st = tk_thumbnail(p, n, &o, &r);
    CHECKF((int)st >= TK_OK && st <= TK_ERR_OVER_BUDGET, "%s", what);
    if (st == TK_OK) {
        CHECKF(r.n_thumbs == 2 && r.thumbs[0].data != NULL && r.thumbs[1].size > 0, "%s", what);
    } else {
        CHECKF(r.n_thumbs == 0 && r.thumbs[0].data == NULL && r.error[0] != '\0', "%s", what);
    }
    tk_result_free(&r);
    cases_run++;
}

static void mutate_file(const char *dir, const char *name, enum tk_format fmt) {
    struct test_file b = test_load_file(dir, name);
    run_case(b.data, b.size, fmt, name);
    uint8_t *copy = malloc(b.size + 1);
    if (copy == NULL) {
        exit(2);
    }
    for (int cut = 1; cut <= 4; cut++) {
        run_case(b.data, b.size * (size_t)cut / 5, fmt, name); /* truncations */
    }
    for (int k = 0; k < 6; k++) {
        memcpy(copy, b.data, b.size);
        for (int f = 0; f < 1 + k * 3; f++) { /* flip a few bytes after the magic */
            size_t at = b.size > 16 ? 8 + rng() % (b.size - 8) : 0;
            copy[at] ^= (uint8_t)(1u + rng() % 255u);
        }
        run_case(copy, b.size, fmt, name);
    }
    free(copy);
    test_file_free(&b);
}

static void run_dir(const char *dir, const char *suffix, enum tk_format fmt) {
    size_t n;
    char **names = test_list_dir(dir, suffix, &n);
    for (size_t i = 0; i < n; i++) {
        mutate_file(dir, names[i], fmt);
    }
    test_names_free(names, n);
}

/* Every occurrence of @p box (a 4-character box type) in @p p: its offset, or 0 past the end. */
static size_t find_box(const uint8_t *p, size_t n, const char *box, size_t from) {
    for (size_t i = from > 4 ? from : 4; i + 4 <= n; i++) {
        if (memcmp(p + i, box, 4) == 0) {
            return i;
        }
    }
    return 0;
}

/* HEIF-specific damage: wrong brands, corrupt or missing tiles, broken item tables. Each case
 * must give a named error (or a whole thumbnail) and never a half-written one. */
static void test_heif_variants(const char *dir, const char *name) {
    struct test_file b = test_load_file(dir, name);
    uint8_t *c = malloc(b.size);
    if (c == NULL) {
        exit(2);
    }
    static const char *const brands[] = {"avif", "heic", "mif1", "isom", "crx ", "jxl "};
    for (size_t i = 0; i < sizeof(brands) / sizeof(brands[0]); i++) { /* wrong brand */
        memcpy(c, b.data, b.size);
        memcpy(c + 8, brands[i], 4);
        memcpy(c + 16, brands[i], 4);
        run_case(c, b.size, TK_FORMAT_JPEG, brands[i]);
    }
    size_t mdat = find_box(b.data, b.size, "mdat", 0);
    for (int k = 0; k < 8 && mdat > 0; k++) { /* corrupt tiles: coded data overwritten */
        memcpy(c, b.data, b.size);
        size_t span = (b.size - mdat) / 8;
        memset(c + mdat + 8 + (size_t)k * span, k % 2 ? 0xFF : 0x00, span / 2);
        run_case(c, b.size, TK_FORMAT_JPEG, "corrupt tile data");
    }
    static const char *const boxes[] = {"iloc", "iinf", "ipma", "ipco", "iref", "pitm",
                                        "hvcC", "av1C", "ispe", "colr", "irot", "grid"};
    for (size_t i = 0; i < sizeof(boxes) / sizeof(boxes[0]); i++) { /* broken tables */
        size_t at = find_box(b.data, b.size, boxes[i], 0);
        if (at == 0 || at + 16 > b.size) {
            continue;
        }
        for (int v = 0; v < 3; v++) {
            memcpy(c, b.data, b.size);
            static const uint8_t fill[3] = {0x00, 0xFF, 0x7F};
            memset(c + at + 4, fill[v], 12); /* the box's version, flags and first fields */
            run_case(c, b.size, TK_FORMAT_JPEG, boxes[i]);
            memcpy(c, b.data, b.size);
            put32(c + at - 4, v == 0 ? 0 : v == 1 ? 0xFFFFFFFFu : 9); /* its size */
            run_case(c, b.size, TK_FORMAT_JPEG, boxes[i]);
        }
    }
    free(c);
    test_file_free(&b);
}

/* Run @p body with stdout and stderr sent to a file. @return the bytes written there, or -1
 * when the body's own checks failed (their messages went to the file too). */
static long run_captured(void (*body)(const char *), const char *data_dir) {
    fflush(stdout);
    fflush(stderr);
    FILE *sink = tmpfile();
    int saved_out = dup(1), saved_err = dup(2);
    if (sink == NULL || saved_out < 0 || saved_err < 0 || dup2(fileno(sink), 1) < 0 ||
        dup2(fileno(sink), 2) < 0) {
        fprintf(stderr, "cannot redirect output\n");
        exit(2);
    }
    int failures_before = check_failures;
    body(data_dir);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    fseek(sink, 0, SEEK_END);
    long printed = ftell(sink);
    fclose(sink);
    CHECKF(check_failures == failures_before, "%d hostile-input checks failed (output hidden)",
           check_failures - failures_before);
    return check_failures == failures_before ? printed : -1;
}

static void sub_dir(char *out, size_t len, const char *data_dir, const char *name) {
    snprintf(out, len, "%s/%s", data_dir, name);
}

static void cases_without_av1(const char *data_dir) {
    char dir[4096];
    static const struct {
        const char *dir, *suffix;
        enum tk_format out;
    } dirs[] = {{"jpeg", ".jpg", TK_FORMAT_JPEG},
                {"pngsuite", ".png", TK_FORMAT_PNG},
                {"webp", ".webp", TK_FORMAT_WEBP},
                {"heic", ".heic", TK_FORMAT_WEBP},
                {"icc", ".jpg", TK_FORMAT_JPEG}};
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        sub_dir(dir, sizeof(dir), data_dir, dirs[i].dir);
        run_dir(dir, dirs[i].suffix, dirs[i].out);
    }
    sub_dir(dir, sizeof(dir), data_dir, "heic");
    test_heif_variants(dir, "immich-test-assets__IMG_2682.heic");
    static const uint8_t soi_only[] = {0xFF, 0xD8, 0xFF};
    static const uint8_t sig_only[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    run_case(soi_only, sizeof(soi_only), TK_FORMAT_JPEG, "SOI only");
    run_case(sig_only, sizeof(sig_only), TK_FORMAT_PNG, "PNG signature only");
}

static void cases_av1(const char *data_dir) {
    char dir[4096];
    sub_dir(dir, sizeof(dir), data_dir, "avif");
    run_dir(dir, ".avif", TK_FORMAT_PNG);
    test_heif_variants(dir, "immich-test-assets__8bit-sRGB.avif");
}

/* Is the libheif.so.1 the engine loads Debian's full build (with the x265 encoder) rather
 * than the package's decoder-only one? Debian's dav1d, under it, logs malformed AV1 to
 * stderr through its default logger; the package's build turns that logger off
 * (packaging/patches/libheif-dav1d-quiet.patch). */
static bool loads_debian_libheif(void) {
    void *h = dlopen("libheif.so.1", RTLD_NOW | RTLD_LOCAL);
    int (*have_encoder)(int) =
        h != NULL ? (int (*)(int))dlsym(h, "heif_have_encoder_for_format") : NULL;
    bool debian = have_encoder != NULL && have_encoder(1 /* heif_compression_HEVC */) != 0;
    if (h != NULL) {
        dlclose(h);
    }
    return debian;
}

/* Every hostile case with stdout and stderr captured: nothing may be printed. */
static void test_nothing_printed(const char *data_dir) {
    long printed = run_captured(cases_without_av1, data_dir);
    CHECKF(printed == 0, "the engine printed %ld bytes on hostile inputs", printed);
    long printed_av1 = run_captured(cases_av1, data_dir);
    bool debian = loads_debian_libheif();
    CHECKF(printed_av1 == 0 || (printed_av1 > 0 && debian),
           "the engine printed %ld bytes on hostile AVIF inputs", printed_av1);
    CHECKF(cases_run > 1000, "only %zu cases ran", cases_run);
    printf("hostile inputs: %zu cases, %ld bytes printed; AVIF: %ld bytes%s\n", cases_run, printed,
           printed_av1,
           printed_av1 > 0 ? " (Debian's dav1d logger, which the package's libheif turns off)"
                           : "");
}

/* Run @p p through tk_thumbnail in a child; report its status and peak RSS growth in KiB. */
static void run_in_child(const uint8_t *p, size_t n, enum tk_status *st, long *growth_kib) {
    int fds[2];
    if (pipe(fds) != 0) {
        exit(2);
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        struct rusage before, after;
        getrusage(RUSAGE_SELF, &before);
        struct tk_options o;
        tk_options_init(&o);
        struct tk_result r;
        long out[2];
        out[0] = (long)tk_thumbnail(p, n, &o, &r);
        getrusage(RUSAGE_SELF, &after);
        out[1] = after.ru_maxrss - before.ru_maxrss;
        tk_result_free(&r);
        ssize_t w = write(fds[1], out, sizeof(out));
        _exit(w == (ssize_t)sizeof(out) ? 0 : 3);
    }
    close(fds[1]);
    long in[2] = {-1, -1};
    ssize_t got = read(fds[0], in, sizeof(in));
    close(fds[0]);
    int wst = 0;
    waitpid(pid, &wst, 0);
    CHECK(got == (ssize_t)sizeof(in) && WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
    *st = (enum tk_status)in[0];
    *growth_kib = in[1];
}

static void test_bombs(const char *data_dir) {
    char jdir[4096];
    snprintf(jdir, sizeof(jdir), "%s/jpeg", data_dir);
    struct test_file giant = test_load_file(jdir, "sharp__giant-image.jpg"); /* 20000x14000 */
    enum tk_status st;
    long growth;
    run_in_child(giant.data, giant.size, &st, &growth);
    CHECKF(st == TK_ERR_TOO_LARGE, "giant JPEG: %s", tk_status_name(st));
    CHECKF(growth < 16 * 1024, "giant JPEG: peak RSS grew by %ld KiB", growth);
    printf("giant JPEG: %s, peak RSS growth %ld KiB\n", tk_status_name(st), growth);
    test_file_free(&giant);

    /* a PNG whose IHDR claims 60000x60000 RGBA (14 GB decoded) */
    uint8_t png[8 + 25 + 12] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    put32(png + 8, 13);
    memcpy(png + 12, "IHDR", 4);
    put32(png + 16, 60000);
    put32(png + 20, 60000);
    png[24] = 8, png[25] = 6;
    put32(png + 29, tk_test_crc32(png + 12, 17));
    put32(png + 33, 0);
    memcpy(png + 37, "IEND", 4);
    put32(png + 41, tk_test_crc32(png + 37, 4));
    run_in_child(png, sizeof(png), &st, &growth);
    CHECKF(st == TK_ERR_TOO_LARGE, "PNG bomb: %s", tk_status_name(st));
    CHECKF(growth < 16 * 1024, "PNG bomb: peak RSS grew by %ld KiB", growth);
    printf("PNG bomb: %s, peak RSS growth %ld KiB\n", tk_status_name(st), growth);

    /* a lossless WebP whose header claims 16384x16384 (268 MP) and whose data is missing */
    uint8_t webp[12 + 8 + 5] = {'R', 'I', 'F', 'F', 17, 0, 0, 0,    'W',  'E',  'B',  'P', 'V',
                                'P', '8', 'L', 5,   0,  0, 0, 0x2f, 0xff, 0xff, 0xff, 0x0f};
    run_in_child(webp, sizeof(webp), &st, &growth);
    CHECKF(st == TK_ERR_TOO_LARGE, "WebP bomb: %s", tk_status_name(st));
    CHECKF(growth < 16 * 1024, "WebP bomb: peak RSS grew by %ld KiB", growth);
    printf("WebP bomb: %s, peak RSS growth %ld KiB\n", tk_status_name(st), growth);

    /* real HEIC and AVIF files whose every 'ispe' (image size) says 20000x20000 */
    static const char *const heifs[][2] = {{"heic", "immich-test-assets__IMG_2682.heic"},
                                           {"avif", "immich-test-assets__8bit-sRGB.avif"}};
    for (int i = 0; i < 2; i++) {
        char dir[4096];
        snprintf(dir, sizeof(dir), "%s/%s", data_dir, heifs[i][0]);
        struct test_file f = test_load_file(dir, heifs[i][1]);
        uint8_t *c = malloc(f.size);
        if (c == NULL) {
            exit(2);
        }
        memcpy(c, f.data, f.size);
        int patched = 0;
        for (size_t at = find_box(c, f.size, "ispe", 0); at > 0 && at + 16 <= f.size;
             at = find_box(c, f.size, "ispe", at + 4)) {
            put32(c + at + 8, 20000);
            put32(c + at + 12, 20000);
            patched++;
        }
        CHECK(patched > 0);
        run_in_child(c, f.size, &st, &growth);
        CHECKF(st == TK_ERR_TOO_LARGE, "%s size bomb: %s", heifs[i][0], tk_status_name(st));
        CHECKF(growth < 16 * 1024, "%s size bomb: peak RSS grew by %ld KiB", heifs[i][0], growth);
        printf("%s size bomb: %s, peak RSS growth %ld KiB\n", heifs[i][0], tk_status_name(st),
               growth);
        free(c);
        test_file_free(&f);
    }
}

int main(int argc, char **argv) {
    char data[2048]; /* room for the subfolders appended below */
    test_data_dir(data, sizeof(data), argc, argv, NULL);
    test_nothing_printed(data);
    test_bombs(data);
    return check_done("test_hostile");
}
