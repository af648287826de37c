/* tk_test.c — harness and helpers shared by the engine tests. */
#include "tk_test.h"

#include <dirent.h>
#include <math.h>
#include <string.h>

int tk_test_failures = 0;

int tk_test_done(const char *name) {
    if (tk_test_failures != 0) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, tk_test_failures);
        return 1;
    }
    printf("%s: all checks passed\n", name);
    return 0;
}

struct tk_blob tk_test_load(const char *dir, const char *name) {
    char path[4096];
    struct tk_blob b = {0};
    snprintf(path, sizeof(path), "%s%s%s", dir ? dir : "", dir ? "/" : "", name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b.size = n > 0 ? (size_t)n : 0;
    b.data = malloc(b.size + 1);
    if (b.data == NULL || fread(b.data, 1, b.size, f) != b.size) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    return b;
}

void tk_test_blob_free(struct tk_blob *b) {
    free(b->data);
    b->data = NULL;
    b->size = 0;
}

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **tk_test_list(const char *dir, const char *suffix, size_t *n) {
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "cannot list %s\n", dir);
        exit(2);
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    size_t sl = strlen(suffix);
    for (struct dirent *e = readdir(d); e != NULL; e = readdir(d)) {
        size_t l = strlen(e->d_name);
        if (l < sl || strcmp(e->d_name + l - sl, suffix) != 0) {
            continue;
        }
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof(*names));
            if (names == NULL) {
                exit(2);
            }
        }
        names[count++] = strdup(e->d_name);
    }
    closedir(d);
    if (count > 0) {
        qsort(names, count, sizeof(*names), cmp_names);
    }
    *n = count;
    return names;
}

void tk_test_names_free(char **names, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
    }
    free(names);
}

double tk_test_mad(const struct tk_image *a, const struct tk_image *b) {
    if (a->width != b->width || a->height != b->height || a->layout != b->layout) {
        return -1;
    }
    double sum = 0;
    size_t row = (size_t)a->width * (size_t)a->layout;
    for (uint32_t y = 0; y < a->height; y++) {
        const uint8_t *pa = a->pixels + (size_t)y * a->stride;
        const uint8_t *pb = b->pixels + (size_t)y * b->stride;
        for (size_t i = 0; i < row; i++) {
            sum += fabs((double)pa[i] - (double)pb[i]);
        }
    }
    return sum / ((double)row * a->height);
}

double tk_test_region_mean(const struct tk_image *img, uint32_t x, uint32_t y, uint32_t w,
                           uint32_t h, int c) {
    double sum = 0;
    for (uint32_t j = y; j < y + h; j++) {
        for (uint32_t i = x; i < x + w; i++) {
            sum += img->pixels[(size_t)j * img->stride + (size_t)i * img->layout + (size_t)c];
        }
    }
    return sum / ((double)w * h);
}

enum tk_status tk_test_thumb(const struct tk_blob *b, uint32_t box_w, uint32_t box_h,
                             struct tk_result *res) {
    struct tk_options o;
    tk_options_init(&o);
    o.targets[0].width = box_w;
    o.targets[0].height = box_h;
    o.format = TK_FORMAT_PNG;
    o.keep_pixels = true;
    return tk_thumbnail(b->data, b->size, &o, res);
}

uint32_t tk_test_crc32(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) {
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
        }
    }
    return ~c;
}
