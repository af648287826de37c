/* files.c — read whole files for tests and benchmarks (see files.h). */
#include "files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

unsigned char *test_read_file(const char *path, size_t *size) {
    unsigned char *buf = NULL;
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (f == NULL) {
        return NULL;
    }
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        errno = EINVAL;
        goto cleanup;
    }
    buf = malloc((size_t)st.st_size + 1);
    if (buf == NULL) {
        goto cleanup;
    }
    size_t n = fread(buf, 1, (size_t)st.st_size, f);
    if (n != (size_t)st.st_size || ferror(f)) {
        free(buf);
        buf = NULL;
        errno = EIO;
        goto cleanup;
    }
    buf[n] = '\0';
    *size = n;
cleanup:
    fclose(f);
    return buf;
}

unsigned char *test_load(const char *dir, const char *name, size_t *size) {
    char path[4096];
    if (dir != NULL) {
        snprintf(path, sizeof path, "%s/%s", dir, name);
    } else {
        snprintf(path, sizeof path, "%s", name);
    }
    unsigned char *buf = test_read_file(path, size);
    if (buf == NULL) {
        fprintf(stderr, "cannot read %s: %s\n", path, strerror(errno));
        exit(2);
    }
    return buf;
}
