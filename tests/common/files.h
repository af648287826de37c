/*
 * files.h — the one file reader of thumbkit's C tests and benchmarks, with the
 * folder listing and the whole-file writer they share.
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

/**
 * Write "argv[1]/@p sub" (argv[1] alone when @p sub is NULL) into @p out: the folder of
 * test data a test gets as its first argument. Without that argument print a usage line
 * and exit(2).
 */
void test_data_dir(char *out, size_t len, int argc, char **argv, const char *sub);

/** A whole file in memory, from test_load_file(). */
struct test_file {
    unsigned char *data; /**< malloc'd, NUL-terminated */
    size_t size;
};

/** test_load() into a struct test_file (exits on error). Free with test_file_free(). */
struct test_file test_load_file(const char *dir, const char *name);

/** Free @p f's data and zero it. */
void test_file_free(struct test_file *f);

/**
 * Write @p size bytes to @p path, replacing it.
 * @return 0, or -1 with errno set
 */
int test_write_file(const char *path, const void *data, size_t size);

/**
 * The entries of folder @p dir whose names end with @p suffix ("" for all), without "." and
 * "..", sorted by strcmp; hidden names (starting with '.') are left out. On any error print
 * why and exit(2).
 * @param n  receives the count
 * @return a malloc'd array of malloc'd names; free with test_names_free()
 */
char **test_list_dir(const char *dir, const char *suffix, size_t *n);

/** Free what test_list_dir() returned. */
void test_names_free(char **names, size_t n);

#endif /* TK_TESTS_FILES_H */
