/*
 * cli_io.c — whole-file read, mkdir -p, and temp files for atomic publishing.
 */
#include "cli_io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum cli_read_status cli_read_file(const char *path, size_t max_bytes, uint8_t **data, size_t *size,
                                   int *err_no, uint64_t *file_size) {
    enum cli_read_status st = CLI_READ_OK;
    uint8_t *buf = NULL;
    struct stat sb;
    /* O_NONBLOCK: open() of a FIFO without a writer would wait forever; fstat() below then
     * refuses anything but a regular file (where the flag changes nothing). */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    *data = NULL;
    *size = 0;
    *err_no = 0;
    *file_size = 0;
    if (fd < 0) {
        *err_no = errno;
        return CLI_READ_ERRNO;
    }
    if (fstat(fd, &sb) != 0) {
        *err_no = errno;
        st = CLI_READ_ERRNO;
        goto cleanup;
    }
    if (!S_ISREG(sb.st_mode)) {
        st = CLI_READ_NOT_FILE;
        goto cleanup;
    }
    *file_size = (uint64_t)sb.st_size;
    if ((uint64_t)sb.st_size > max_bytes) {
        st = CLI_READ_TOO_BIG;
        goto cleanup;
    }
    size_t n = (size_t)sb.st_size;
    buf = malloc(n ? n : 1);
    if (buf == NULL) {
        *err_no = ENOMEM;
        st = CLI_READ_ERRNO;
        goto cleanup;
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            *err_no = errno;
            st = CLI_READ_ERRNO;
            goto cleanup;
        }
        if (r == 0) {
            break; /* the file shrank since fstat: take what is there */
        }
        got += (size_t)r;
    }
    *data = buf;
    *size = got;
    buf = NULL;
cleanup:
    free(buf);
    close(fd);
    return st;
}

int cli_mkdirs(const char *dir) {
    char *p = strdup(dir);
    int rc = 0;
    if (p == NULL) {
        return ENOMEM;
    }
    size_t len = strlen(p);
    /* Create each prefix in turn; EEXIST is fine (another worker may have won the race). */
    for (size_t i = 1; i <= len && rc == 0; i++) {
        if (p[i] != '/' && p[i] != '\0') {
            continue;
        }
        char saved = p[i];
        p[i] = '\0';
        if (mkdir(p, 0777) != 0) {
            struct stat sb;
            if (errno != EEXIST) {
                rc = errno;
            } else if (stat(p, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
                rc = ENOTDIR;
            }
        }
        p[i] = saved;
    }
    free(p);
    return rc;
}

int cli_mkdirs_for(const char *path) {
    const char *slash = strrchr(path, '/');
    if (slash == NULL || slash == path) {
        return 0;
    }
    char *dir = strndup(path, (size_t)(slash - path));
    if (dir == NULL) {
        return ENOMEM;
    }
    int rc = cli_mkdirs(dir);
    free(dir);
    return rc;
}

int cli_write_temp(const char *final_path, const void *data, size_t size, mode_t mode,
                   char *tmp_path, size_t tmp_len) {
    /* Same folder as the final name, so rename() is atomic; hidden so folder walks skip it. */
    const char *slash = strrchr(final_path, '/');
    int dir_len = slash ? (int)(slash - final_path + 1) : 0;
    const char *base = slash ? slash + 1 : final_path;
    int n = snprintf(tmp_path, tmp_len, "%.*s.%s.XXXXXX", dir_len, final_path, base);
    if (n < 0 || (size_t)n >= tmp_len) {
        return ENAMETOOLONG;
    }
    int fd = mkstemp(tmp_path);
    if (fd < 0) {
        return errno;
    }
    int rc = 0;
    const uint8_t *p = data;
    size_t left = size;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0) {
            rc = errno;
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    if (rc == 0 && fchmod(fd, mode) != 0) {
        rc = errno;
    }
    if (close(fd) != 0 && rc == 0) {
        rc = errno; /* NFS and full disks may report write errors only here */
    }
    if (rc != 0) {
        unlink(tmp_path);
    }
    return rc;
}

int cli_probe_writable(const char *dir) {
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/.thumbkit-probe.XXXXXX", dir);
    if (n < 0 || (size_t)n >= sizeof path) {
        return ENAMETOOLONG;
    }
    int fd = mkstemp(path);
    if (fd < 0) {
        return errno;
    }
    close(fd);
    unlink(path);
    return 0;
}
