/*
 * replay_main.c — a plain driver for a libFuzzer target: run LLVMFuzzerTestOneInput once on
 * every file under the folders (or files) named on the command line, in name order.
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

static int run_file(const char *path) {
    size_t size = 0;
    unsigned char *data = test_read_file(path, &size);
    if (data == NULL) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        return -1;
    }
    /* An exact-size copy, so ASan sees a read past the end as libFuzzer would. */
    uint8_t *copy = malloc(size ? size : 1);
    if (copy == NULL) {
        free(data);
        return -1;
    }
    memcpy(copy, data, size);
    free(data);
    LLVMFuzzerTestOneInput(copy, size);
    free(copy);
    n_run++;
    return 0;
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
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        if (run_path(argv[i]) != 0) {
            return 1;
        }
    }
    printf("replayed %zu inputs\n", n_run);
    /* A target registered without a single seed is a configuration mistake, not a pass. */
    return n_run > 0 ? 0 : 1;
}
