/*
 * gu_files.c — whole-file read/write, image allocation, FNV-1a hashes.
 */
#include "golden_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int gu_read_file(const char *path, uint8_t **data, size_t *size) {
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0;
    if (f == NULL) {
        return -1;
    }
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *nb = realloc(buf, cap);
            if (nb == NULL) {
                free(buf);
                fclose(f);
                errno = ENOMEM;
                return -1;
            }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0) {
            break;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        errno = EIO;
        return -1;
    }
    *data = buf;
    *size = n;
    return 0;
}

int gu_write_file(const char *path, const void *data, size_t size) {
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return -1;
    }
    size_t w = fwrite(data, 1, size, f);
    int rc = fclose(f);
    return w == size && rc == 0 ? 0 : -1;
}

int gu_image_alloc(struct tk_image *img, uint32_t w, uint32_t h, enum tk_layout layout) {
    memset(img, 0, sizeof *img);
    size_t stride = (size_t)w * (size_t)layout;
    img->pixels = calloc((stride * h) > 0 ? stride * h : 1, 1);
    if (img->pixels == NULL) {
        return -1;
    }
    img->width = w;
    img->height = h;
    img->stride = stride;
    img->layout = layout;
    return 0;
}

uint64_t gu_fnv1a(const void *data, size_t size, uint64_t h) {
    const uint8_t *p = data;
    for (size_t i = 0; i < size; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}
