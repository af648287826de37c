/*
 * cli_io.h — file helpers for the CLI: read a whole file, create folders, and
 * publish files atomically (temp file in the target folder, then rename).
 */
#ifndef TK_CLI_IO_H
#define TK_CLI_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/** Why cli_read_file() failed. */
enum cli_read_status {
    CLI_READ_OK = 0,
    CLI_READ_ERRNO,    /**< open/stat/read failed: see errno value */
    CLI_READ_NOT_FILE, /**< not a regular file */
    CLI_READ_TOO_BIG,  /**< larger than the limit; nothing was read */
};

/**
 * Read all of @p path into a new buffer with one read pass, after checking its size
 * against @p max_bytes (so a huge file is refused before any allocation).
 * On success *@p data (free()) and *@p size are set; on failure *@p err_no and *@p file_size
 * say why.
 */
enum cli_read_status cli_read_file(const char *path, size_t max_bytes, uint8_t **data, size_t *size,
                                   int *err_no, uint64_t *file_size);

/** mkdir -p for the folder part of @p path (everything before the last '/'). @return 0 or errno. */
int cli_mkdirs_for(const char *path);

/** mkdir -p @p dir. @return 0 or errno. */
int cli_mkdirs(const char *dir);

/**
 * Whether files can be created in folder @p dir: a hidden temporary file is made and removed
 * (permission bits alone do not say, e.g. for root or on a read-only mount).
 * @return 0, or the errno of the failure
 */
int cli_probe_writable(const char *dir);

/**
 * Write @p size bytes to a new temporary file beside @p final_path, with mode @p mode.
 * The temp path goes to @p tmp_path (>= strlen(final_path) + 16 bytes).
 * @return 0 or errno (the temp file is removed on failure).
 */
int cli_write_temp(const char *final_path, const void *data, size_t size, mode_t mode,
                   char *tmp_path, size_t tmp_len);

#endif
