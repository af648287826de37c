/* test_hostile.c — hostile inputs: nothing printed, no thumbnails from bad data,
 * decompression bombs refused from the header with little memory. */
#include "tk_test.h"

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

/* Run every hostile case with stdout and stderr sent to a file that must stay empty. */
static void test_nothing_printed(const char *data_dir) {
    char jdir[4096], pdir[4096];
    snprintf(jdir, sizeof(jdir), "%s/jpeg", data_dir);
    snprintf(pdir, sizeof(pdir), "%s/pngsuite", data_dir);
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
    run_dir(jdir, ".jpg", TK_FORMAT_JPEG);
    run_dir(pdir, ".png", TK_FORMAT_PNG);
    static const uint8_t soi_only[] = {0xFF, 0xD8, 0xFF};
    static const uint8_t sig_only[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    run_case(soi_only, sizeof(soi_only), TK_FORMAT_JPEG, "SOI only");
    run_case(sig_only, sizeof(sig_only), TK_FORMAT_PNG, "PNG signature only");
    fflush(stdout);
    fflush(stderr);
    long printed = ftell(sink);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    fseek(sink, 0, SEEK_END);
    printed = ftell(sink);
    fclose(sink);
    /* our own CHECK messages went to the sink too: only engine output counts */
    CHECKF(printed == 0 || check_failures != failures_before,
           "the engine printed %ld bytes on hostile inputs", printed);
    CHECKF(check_failures == failures_before, "%d hostile-input checks failed (output hidden)",
           check_failures - failures_before);
    CHECKF(cases_run > 1000, "only %zu cases ran", cases_run);
    printf("hostile inputs: %zu cases, %ld bytes printed\n", cases_run, printed);
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

static void put32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8),
    p[3] = (uint8_t)v;
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
}

int main(int argc, char **argv) {
    char data[2048]; /* room for the subfolders appended below */
    test_data_dir(data, sizeof(data), argc, argv, NULL);
    test_nothing_printed(data);
    test_bombs(data);
    return check_done("test_hostile");
}
