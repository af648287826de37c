/* cases_common.c — the case table and the file-based case state (see cases_common.h). */
#include "cases_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"

const char *const tk_bench_photos[] = {
    "exif-orientation/Landscape_1.jpg",                             /* 1800x1200 4:2:0 baseline */
    "jpeg/exif-samples__canon_hdr_NO.jpg",                          /* 2048x1536 4:2:2 */
    "jpeg/sharp__2569067123_aca715a2ee_o.jpg",                      /* 2725x2225 6 MP */
    "jpeg/sharp__gain-map.jpg",                                     /* 3840x2160 8.3 MP */
    "jpeg/metadata-extractor-images__Issue_242.jpg",                /* 960x1280 progressive */
    "jpeg/metadata-extractor-images__Panasonic_DMC-LC70_Lumix.jpg", /* progressive 4:4:4 */
};
const size_t tk_bench_photo_count = sizeof tk_bench_photos / sizeof tk_bench_photos[0];

struct tk_bench_case *tk_bench_table_add(struct tk_bench_table *t, tk_bench_setup_fn setup,
                                         tk_bench_run_fn run, tk_bench_teardown_fn teardown,
                                         const char *path) {
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        struct tk_bench_case *v = realloc(t->v, cap * sizeof *v);
        if (v == NULL) {
            t->failed = 1;
            return NULL;
        }
        t->v = v;
        t->cap = cap;
    }
    struct tk_bench_case *c = &t->v[t->n++];
    memset(c, 0, sizeof *c);
    c->setup = setup;
    c->run = run;
    c->teardown = teardown;
    if (path != NULL) {
        snprintf(c->path, sizeof c->path, "%s", path);
    }
    return c;
}

struct tk_bench_file_state *tk_bench_file_state_new(const char *path, char *err, size_t errlen) {
    struct tk_bench_file_state *s = calloc(1, sizeof *s);
    if (s == NULL) {
        tk_bench_set_err(err, errlen, "out of memory");
        return NULL;
    }
    s->data = test_read_file(path, &s->size);
    if (s->data == NULL) {
        snprintf(err, errlen, "cannot read %s", path);
        free(s);
        return NULL;
    }
    return s;
}

void tk_bench_file_teardown(void *state) {
    struct tk_bench_file_state *s = state;
    if (s != NULL) {
        free(s->data);
        free(s->px);
        free(s->out);
        free(s);
    }
}

void tk_bench_set_err(char *err, size_t errlen, const char *msg) {
    if (errlen > 0) {
        snprintf(err, errlen, "%s", msg);
    }
}

bool tk_bench_file_exists(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f != NULL) {
        fclose(f);
        return true;
    }
    return false;
}

const char *tk_bench_base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}
