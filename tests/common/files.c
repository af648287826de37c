/* files.c — read, write and list files for tests and benchmarks (see files.h). */
#include "files.h"

#include <dirent.h>
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

void test_data_dir(char *out, size_t len, int argc, char **argv, const char *sub) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s TEST_DATA_DIR\n", argc > 0 ? argv[0] : "test");
        exit(2);
    }
    if (sub != NULL) {
        snprintf(out, len, "%s/%s", argv[1], sub);
    } else {
        snprintf(out, len, "%s", argv[1]);
    }
}

struct test_file test_load_file(const char *dir, const char *name) {
    struct test_file f;
    f.data = test_load(dir, name, &f.size);
    return f;
}

void test_file_free(struct test_file *f) {
    free(f->data);
    f->data = NULL;
    f->size = 0;
}

int test_write_file(const char *path, const void *data, size_t size) {
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return -1;
    }
    size_t w = fwrite(data, 1, size, f);
    int rc = fclose(f);
    if (w != size) {
        errno = EIO;
        return -1;
    }
    return rc == 0 ? 0 : -1;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_failed(const char *dir) {
    fprintf(stderr, "cannot list %s: %s\n", dir, strerror(errno));
    exit(2);
}

char **test_list_dir(const char *dir, const char *suffix, size_t *n) {
    DIR *d = opendir(dir);
    if (d == NULL) {
        list_failed(dir);
    }
    char **names = NULL;
    size_t count = 0, cap = 0, sl = strlen(suffix);
    for (struct dirent *e = readdir(d); e != NULL; e = readdir(d)) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l < sl || strcmp(e->d_name + l - sl, suffix) != 0) {
            continue;
        }
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            char **grown = realloc(names, cap * sizeof(*names));
            if (grown == NULL) {
                list_failed(dir);
            }
            names = grown;
        }
        if ((names[count] = strdup(e->d_name)) == NULL) {
            list_failed(dir);
        }
        count++;
    }
    closedir(d);
    if (count > 0) {
        qsort(names, count, sizeof(*names), by_name);
    }
    *n = count;
    return names;
}

void test_names_free(char **names, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
    }
    free(names);
}
