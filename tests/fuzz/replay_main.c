/*
 * replay_main.c — a plain driver for a libFuzzer target: run LLVMFuzzerTestOneInput once on
 * every file under the folders (or files) named on the command line, in name order.
 * With --mutate first, each file also runs cut at every length up to 256 bytes and at 16 more
 * points, and with 200 fixed-seed byte mutations: a small fuzz run without clang, for targets
 * cheap enough to afford it (tk_fuzz_target MUTATE).
 *
 * Built with any compiler, it makes each target's seed corpus and its saved crashes a
 * regression test of the default suite (ctest fuzz.replay.<target>), and under the ASan
 * build a sanitized one. A target that crashes, aborts or leaks fails the test the same way
 * the fuzzer would report it.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t n_run;
static int mutate;

static uint32_t rng_state = 0x2545F491u;
static uint32_t rng(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Run on an exact-size copy of @p n bytes, so ASan sees a read past the end as libFuzzer
 * would. */
static int one(const uint8_t *p, size_t n) {
    uint8_t *copy = malloc(n ? n : 1);
    if (copy == NULL) {
        return -1;
    }
    memcpy(copy, p, n);
    LLVMFuzzerTestOneInput(copy, n);
    free(copy);
    n_run++;
    return 0;
}

/* --mutate: the input cut short and with a few bytes changed. */
static int variants(const uint8_t *data, size_t size) {
    int rc = 0;
    for (size_t n = 0; rc == 0 && n < size && n <= 256; n++) {
        rc = one(data, n);
    }
    for (size_t k = 1; rc == 0 && k <= 16; k++) {
        rc = one(data, size * k / 17);
    }
    uint8_t *m = malloc(size ? size : 1);
    for (int k = 0; rc == 0 && m != NULL && k < 200; k++) {
        memcpy(m, data, size);
        for (int flips = 1 + k % 8; flips > 0 && size > 0; flips--) {
            m[rng() % size] = (uint8_t)rng();
        }
        rc = one(m, size);
    }
    free(m);
    return m == NULL ? -1 : rc;
}

static int run_file(const char *path) {
    size_t size = 0;
    unsigned char *data = test_read_file(path, &size);
    if (data == NULL) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        return -1;
    }
    int rc = one(data, size);
    if (rc == 0 && mutate) {
        rc = variants(data, size);
    }
    free(data);
    return rc;
}

static int by_name(const struct dirent **a, const struct dirent **b) {
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int run_path(const char *path) {
    struct stat sb;
    if (stat(path, &sb) != 0) {
        return 0; /* a folder of regressions that does not exist yet is empty */
    }
    if (!S_ISDIR(sb.st_mode)) {
        return run_file(path);
    }
    struct dirent **names = NULL;
    int n = scandir(path, &names, NULL, by_name);
    int rc = n < 0 ? -1 : 0;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (rc == 0 && name[0] != '.' && strcmp(name, "README.md") != 0) {
            char full[4096];
            snprintf(full, sizeof full, "%s/%s", path, name);
            rc = run_path(full);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv) {
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "--mutate") == 0) {
        mutate = 1;
        first = 2;
    }
    if (argc <= first) {
        fprintf(stderr, "usage: %s [--mutate] CORPUS_DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    for (int i = first; i < argc; i++) {
        if (run_path(argv[i]) != 0) {
            return 1;
        }
    }
    printf("replayed %zu inputs\n", n_run);
    /* A target registered without a single seed is a configuration mistake, not a pass. */
    return n_run > 0 ? 0 : 1;
}
