/*
 * files.h — the one file reader of thumbkit's C tests and benchmarks.
 */
#ifndef TK_TESTS_FILES_H
#define TK_TESTS_FILES_H

#include <stddef.h>

/**
 * Read the whole regular file @p path into memory.
 * @param size  receives the byte count (the buffer has one extra NUL byte after it)
 * @return a malloc'd buffer (free()), or NULL with errno set on any error
 */
unsigned char *test_read_file(const char *path, size_t *size);

/**
 * Read @p dir/@p name (@p dir may be NULL); on any error print why and exit(2), so a missing
 * fixture fails the test loudly instead of passing vacuously.
 * @return a malloc'd, NUL-terminated buffer (free())
 */
unsigned char *test_load(const char *dir, const char *name, size_t *size);

#endif /* TK_TESTS_FILES_H */
