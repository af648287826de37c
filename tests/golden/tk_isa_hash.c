/*
 * tk_isa_hash.c — hash the full tk_thumbnail output of every file under a folder.
 *
 *   tk_isa_hash ISA DATA_DIR OUT_FILE
 *
 * Run once per ISA with TK_SIMD forced; the files must then be identical (the
 * bit-exact contract covers whole outputs, not only the resampler). Each file is
 * thumbnailed twice from one decode each: JPEG (Lanczos3) and PNG (Catmull-Rom),
 * two targets each (fit inside and cover). Exit 77 when the CPU lacks ISA.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "files.h"
#include "golden_util.h"
#include "isa.h"
#include "thumbkit.h"

struct tally {
    FILE *out;
    int decoded; /* files for which at least one call succeeded */
    int files;
};

static void hash_one(struct tally *t, const char *rel, const uint8_t *data, size_t size,
                     enum tk_format fmt, enum tk_filter filter, int *ok) {
    struct tk_options o;
    struct tk_result res;
    tk_options_init(&o);
    o.format = fmt;
    o.filter = filter;
    o.n_targets = 2;
    o.targets[0] = (struct tk_target){256, 256, TK_FIT_INSIDE};
    o.targets[1] = (struct tk_target){96, 64, TK_FIT_COVER};
    memset(&res, 0, sizeof res);
    enum tk_status st = tk_thumbnail(data, size, &o, &res);
    fprintf(t->out, "%s %s %s", rel, tk_format_name(fmt), tk_status_name(st));
    for (size_t i = 0; st == TK_OK && i < res.n_thumbs; i++) {
        const struct tk_thumb *th = &res.thumbs[i];
        fprintf(t->out, " %ux%u:%zu:%016" PRIx64, th->width, th->height, th->size,
                gu_fnv1a(th->data, th->size, GU_FNV_INIT));
    }
    fputc('\n', t->out);
    *ok |= st == TK_OK;
    tk_result_free(&res);
}

static int walk(struct tally *t, const char *dir, const char *rel) {
    size_t n = 0;
    char **names = test_list_dir(dir, "", &n); /* sorted; hidden files left out */
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char path[2048], relpath[2048];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        snprintf(relpath, sizeof relpath, "%s%s%s", rel, rel[0] ? "/" : "", names[i]);
        if (stat(path, &st) != 0) {
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            rc = walk(t, path, relpath);
            continue;
        }
        size_t size = 0;
        uint8_t *data = test_read_file(path, &size);
        if (data == NULL) {
            fprintf(stderr, "%s: %s\n", path, strerror(errno));
            rc = -1;
            continue;
        }
        int ok = 0;
        hash_one(t, relpath, data, size, TK_FORMAT_JPEG, TK_FILTER_LANCZOS3, &ok);
        hash_one(t, relpath, data, size, TK_FORMAT_PNG, TK_FILTER_CATMULL_ROM, &ok);
        t->files++;
        t->decoded += ok;
        free(data);
    }
    test_names_free(names, n);
    return rc;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: tk_isa_hash ISA DATA_DIR OUT_FILE\n");
        return 2;
    }
    int forced = test_isa_forced(argv[1]);
    if (forced == CHECK_SKIP) {
        remove(argv[3]); /* a stale list from another machine must not be compared */
    }
    if (forced != 0) {
        return forced;
    }
    if (strcmp(tk_simd_name(), argv[1]) != 0) {
        fprintf(stderr, "expected kernels %s, running %s (is TK_SIMD set?)\n", argv[1],
                tk_simd_name());
        return 1;
    }
    struct tally t = {.out = fopen(argv[3], "w")};
    if (t.out == NULL) {
        fprintf(stderr, "%s: %s\n", argv[3], strerror(errno));
        return 1;
    }
    int rc = walk(&t, argv[2], "");
    if (fclose(t.out) != 0) {
        rc = -1;
    }
    printf("%s: %d files, %d decoded, hashes in %s\n", argv[1], t.files, t.decoded, argv[3]);
    CHECKF(rc == 0, "hashing %s failed", argv[2]);
    CHECKF(t.decoded > 0, "no file decoded: nothing was compared");
    return check_done("tk_isa_hash");
}
