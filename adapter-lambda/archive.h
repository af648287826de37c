/*
 * archive.h — the zip archive action (ARCHIVE_PREFIX): each accepted upload is also stored
 * as ARCHIVE_PREFIX + source key + ".zip" in ARCHIVE_BUCKET (default: the source bucket).
 *
 * The container is written by libzip (a maintained library, in memory, no temporary file):
 * one deflated entry named after the source file (the last segment of its key), with the
 * object's Last-Modified as modification time. `unzip -t` and Python's zipfile read it.
 * JPEGs barely shrink; the ratio is reported as measured.
 *
 * Thread-safety: reentrant.
 */
#ifndef TK_LAMBDA_ARCHIVE_H
#define TK_LAMBDA_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

/** A zip in memory; free with archive_free(). */
struct archive_zip {
    uint8_t *data;
    size_t size;
};

/**
 * Zip @p size bytes at @p data as one entry @p entry_name with modification time @p mtime
 * (epoch seconds; 0: 1980-01-01, the zip epoch).
 * @param err  receives libzip's message on failure
 * @return 0, or -1
 */
int archive_zip_one(const void *data, size_t size, const char *entry_name, int64_t mtime,
                    struct archive_zip *out, char *err, size_t errlen);

/** @return the entry name of @p key: its last '/'-separated segment ("a/b/c.jpg" -> "c.jpg"). */
const char *archive_entry_name(const char *key);

/** Free @p z and zero it. */
void archive_free(struct archive_zip *z);

#endif /* TK_LAMBDA_ARCHIVE_H */
