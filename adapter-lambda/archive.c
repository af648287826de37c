/* archive.c — one-entry zip files with libzip, in memory (see archive.h). */
#include "archive.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/text.h"

const char *archive_entry_name(const char *key) {
    const char *slash = strrchr(key, '/');
    return slash && slash[1] ? slash + 1 : key;
}

void archive_free(struct archive_zip *z) {
    if (z) {
        free(z->data);
        memset(z, 0, sizeof *z);
    }
}

/* Copy the finished archive out of @p src (kept open with zip_source_keep()). */
static int read_back(zip_source_t *src, struct archive_zip *out, zip_error_t *ze) {
    zip_stat_t st;
    if (zip_source_stat(src, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
        zip_source_open(src) != 0) {
        zip_error_set(ze, ZIP_ER_READ, 0);
        return -1;
    }
    out->data = malloc(st.size ? st.size : 1);
    zip_int64_t got = out->data ? zip_source_read(src, out->data, st.size) : -1;
    zip_source_close(src);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        zip_error_set(ze, out->data ? ZIP_ER_READ : ZIP_ER_MEMORY, 0);
        archive_free(out);
        return -1;
    }
    out->size = (size_t)st.size;
    return 0;
}

int archive_zip_one(const void *data, size_t size, const char *entry_name, int64_t mtime,
                    struct archive_zip *out, char *err, size_t errlen) {
    zip_error_t ze;
    int rc = -1;
    memset(out, 0, sizeof *out);
    zip_error_init(&ze);
    /* The archive is built in a growing memory buffer, kept after zip_close() to read back. */
    zip_source_t *dst = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = NULL;
    if (dst != NULL) {
        zip_source_keep(dst);
        za = zip_open_from_source(dst, ZIP_TRUNCATE, &ze);
    }
    if (za != NULL) {
        zip_source_t *entry = zip_source_buffer(za, data, size, 0);
        zip_int64_t idx = entry ? zip_file_add(za, entry_name, entry, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0) {
            zip_source_free(entry);
            zip_error_set(&ze, zip_error_code_zip(zip_get_error(za)), 0);
            zip_discard(za);
        } else {
            zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9);
            if (mtime > 0) {
                zip_file_set_mtime(za, (zip_uint64_t)idx, (time_t)mtime, 0);
            }
            if (zip_close(za) != 0) {
                zip_error_set(&ze, zip_error_code_zip(zip_get_error(za)), 0);
                zip_discard(za);
            } else {
                rc = read_back(dst, out, &ze);
            }
        }
    }
    if (rc != 0) {
        text_copy(err, errlen, zip_error_strerror(&ze));
    }
    zip_source_free(dst);
    zip_error_fini(&ze);
    return rc;
}
