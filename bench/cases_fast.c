/* cases_fast.c — the fast reduced-scale decoder against libjpeg-turbo (see cases_fast.h). */
#include "cases_fast.h"

#include "decode.h"
#include "jpeg_fast.h"
#include "jpeg_reference.h"
#include "testing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { VARIANT_STORED = 0, VARIANT_PROGRESSIVE = 1 };
enum { PATH_LIBJPEG = 0, PATH_FAST = 1 };

static int decode_once(struct tk_bench_file_state *s, struct tk_image *img, char *err,
                       size_t errlen) {
    if (s->fast_path == PATH_FAST) {
        bool eligible = false;
        struct tk_jpeg_fast_request req = {.scale_denom = s->denom,
                                           .codings =
                                               TK_JPEG_FAST_BASELINE | TK_JPEG_FAST_PROGRESSIVE,
                                           .max_pixels = 1ULL << 40};
        if (tk_jpeg_fast_decode(s->data, s->size, &req, img, &eligible, err, errlen) != TK_OK) {
            return -1;
        }
        if (!eligible) {
            snprintf(err, errlen, "not eligible for the fast decoder");
            return -1;
        }
        return 0;
    }
    struct tk_jpeg_request req = {.scale_denom = s->denom, .max_pixels = 1ULL << 40};
    return tk_jpeg_decode_general(s->data, s->size, &req, img, err, errlen) == TK_OK ? 0 : -1;
}

static int fast_setup(const struct tk_bench_case *c, void **state, struct tk_bench_info *info,
                      char *err, size_t errlen) {
    struct tk_bench_file_state *s = tk_bench_file_state_new(c->path, err, errlen);
    if (s == NULL) {
        return -1;
    }
    if (c->p[0] == VARIANT_PROGRESSIVE) {
        uint8_t *prog = NULL;
        size_t prog_size = 0;
        if (ref_make_progressive(s->data, s->size, &prog, &prog_size) != 0) {
            snprintf(err, errlen, "cannot re-code %s as progressive", c->path);
            tk_bench_file_teardown(s);
            return -1;
        }
        free(s->data);
        s->data = prog;
        s->size = prog_size;
    }
    s->fast_path = c->p[1];
    s->denom = c->p[2];
    struct tk_image img = {0};
    if (decode_once(s, &img, err, errlen) != 0) {
        tk_bench_file_teardown(s);
        return -1;
    }
    info->bytes = (double)s->size;
    snprintf(info->label, sizeof info->label, "decoded %ux%u from %zu bytes", img.width, img.height,
             s->size);
    tk_image_free(&img);
    *state = s;
    return 0;
}

static int fast_run(void *state, char *err, size_t errlen) {
    struct tk_image img = {0};
    int r = decode_once(state, &img, err, errlen);
    tk_image_free(&img);
    return r;
}

void tk_bench_add_fast_cases(struct tk_bench_table *t, const char *data_dir) {
    static const char *const variant[] = {"stored", "progressive"};
    static const char *const path_name[] = {"libjpeg", "fast"};
    static const int scales[] = {8, 4, 2};
    /* Every photo of tk_bench_photos, also re-coded as progressive in setup. */
    for (size_t i = 0; i < tk_bench_photo_count; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", data_dir, tk_bench_photos[i]);
        if (!tk_bench_file_exists(path)) {
            continue;
        }
        const char *base = tk_bench_base_name(tk_bench_photos[i]);
        for (size_t sc = 0; sc < sizeof scales / sizeof scales[0]; sc++) {
            for (int v = 0; v < 2; v++) {
                for (int p = 0; p < 2; p++) {
                    if (scales[sc] == 2 && v == VARIANT_STORED && p == PATH_FAST) {
                        continue; /* baseline at 1/2 is libjpeg-turbo's */
                    }
                    struct tk_bench_case *c =
                        tk_bench_table_add(t, fast_setup, fast_run, tk_bench_file_teardown, path);
                    if (c == NULL) {
                        return;
                    }
                    snprintf(c->name, sizeof c->name, "reduced/1:%d/%.100s/%s/%s", scales[sc], base,
                             variant[v], path_name[p]);
                    c->p[0] = v;
                    c->p[1] = p;
                    c->p[2] = scales[sc];
                }
            }
        }
    }
}
