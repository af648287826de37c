/* cases_dc.c — the DC-only fast path against libjpeg-turbo at 1/8 (see cases_dc.h). */
#include "cases_dc.h"

#include "decode.h"
#include "files.h"
#include "jpeg_reference.h"
#include "testing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Progressive photos and baseline ones: each is also re-coded as progressive in setup. */
static const char *const photos[] = {
    "exif-orientation/Landscape_1.jpg",
    "jpeg/exif-samples__canon_hdr_NO.jpg",
    "jpeg/sharp__2569067123_aca715a2ee_o.jpg",
    "jpeg/sharp__gain-map.jpg",
    "jpeg/metadata-extractor-images__Issue_242.jpg",
    "jpeg/metadata-extractor-images__Panasonic_DMC-LC70_Lumix.jpg",
};

enum { VARIANT_STORED = 0, VARIANT_PROGRESSIVE = 1 };
enum { PATH_LIBJPEG = 0, PATH_DC = 1 };

struct dc_state {
    uint8_t *data;
    size_t size;
    int path;
    bool baseline_ok; /* the stored file may be baseline: let the DC decoder take it */
};

static int decode_once(struct dc_state *s, struct tk_image *img, char *err, size_t errlen) {
    if (s->path == PATH_DC) {
        bool eligible = false;
        enum tk_jpeg_dc_mode mode =
            s->baseline_ok ? TK_JPEG_DC_ALSO_BASELINE : TK_JPEG_DC_PROGRESSIVE_ONLY;
        if (tk_jpeg_dc_decode_mode(s->data, s->size, mode, 1ULL << 40, img, &eligible, err,
                                   errlen) != TK_OK) {
            return -1;
        }
        if (!eligible) {
            snprintf(err, errlen, "not eligible for the DC-only path");
            return -1;
        }
        return 0;
    }
    struct tk_jpeg_request req = {.scale_denom = 8, .max_pixels = 1ULL << 40};
    return tk_jpeg_decode_general(s->data, s->size, &req, img, err, errlen) == TK_OK ? 0 : -1;
}

static int dc_setup(const struct tk_bench_case *c, void **state, struct tk_bench_info *info,
                    char *err, size_t errlen) {
    struct dc_state *s = calloc(1, sizeof *s);
    if (s == NULL || (s->data = test_read_file(c->path, &s->size)) == NULL) {
        snprintf(err, errlen, "cannot read %s", c->path);
        free(s);
        return -1;
    }
    if (c->p[0] == VARIANT_PROGRESSIVE) {
        uint8_t *prog = NULL;
        size_t prog_size = 0;
        if (ref_make_progressive(s->data, s->size, &prog, &prog_size) != 0) {
            snprintf(err, errlen, "cannot re-code %s as progressive", c->path);
            free(s->data);
            free(s);
            return -1;
        }
        free(s->data);
        s->data = prog;
        s->size = prog_size;
    }
    s->path = c->p[1];
    s->baseline_ok = c->p[0] == VARIANT_STORED;
    struct tk_image img = {0};
    if (decode_once(s, &img, err, errlen) != 0) {
        free(s->data);
        free(s);
        return -1;
    }
    info->bytes = (double)s->size;
    snprintf(info->label, sizeof info->label, "decoded %ux%u from %zu bytes", img.width, img.height,
             s->size);
    tk_image_free(&img);
    *state = s;
    return 0;
}

static int dc_run(void *state, char *err, size_t errlen) {
    struct tk_image img = {0};
    int r = decode_once(state, &img, err, errlen);
    tk_image_free(&img);
    return r;
}

static void dc_teardown(void *state) {
    struct dc_state *s = state;
    if (s != NULL) {
        free(s->data);
        free(s);
    }
}

void tk_bench_add_dc_cases(void *table, const char *data_dir) {
    static const char *const variant[] = {"stored", "progressive"};
    static const char *const path_name[] = {"libjpeg", "dc"};
    for (size_t i = 0; i < sizeof photos / sizeof photos[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", data_dir, photos[i]);
        FILE *f = fopen(path, "rb");
        if (f == NULL) {
            continue;
        }
        fclose(f);
        const char *base = strrchr(photos[i], '/') + 1;
        for (int v = 0; v < 2; v++) {
            for (int p = 0; p < 2; p++) {
                struct tk_bench_case *c = tk_bench_table_add(table);
                if (c == NULL) {
                    return;
                }
                snprintf(c->name, sizeof c->name, "eighth/%.100s/%s/%s", base, variant[v],
                         path_name[p]);
                snprintf(c->path, sizeof c->path, "%s", path);
                c->setup = dc_setup;
                c->run = dc_run;
                c->teardown = dc_teardown;
                c->p[0] = v;
                c->p[1] = p;
            }
        }
    }
}
