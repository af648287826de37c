/*
 * reqfile.h - test helpers for the SigV4 vectors: parse a raw HTTP request in the test
 * suite's format (".req" / "request.txt"). Files are read with tests/common/files.h.
 */
#ifndef TK_TEST_SIGV4_REQFILE_H
#define TK_TEST_SIGV4_REQFILE_H

#include <stddef.h>
#include <time.h>

#include "aws/sigv4.h"

/** A parsed request. All strings are owned by the struct (reqfile_free). */
struct reqfile {
    char *method;
    char *path;  /* request target up to '?', byte for byte */
    char *query; /* after the first '?', or NULL */
    struct sigv4_header *headers;
    size_t n_headers;
    char *body; /* bytes after the blank line (may be empty); NUL-terminated */
    size_t body_len;
};

/** How a folded header line (one starting with a space or tab) is read. The two suites
 *  disagree on get-header-value-multiline ("My-Header1:value1\n  value2\n     value3"). */
enum reqfile_fold {
    /* AWS's suite: each continuation line is one more value of the header, merged like a
     * repeated header: "value1,value2,value3". */
    REQFILE_FOLD_AS_VALUES,
    /* aws-c-auth: RFC 7230 obs-fold, the line joins the value after a space:
     * "value1 value2 value3". */
    REQFILE_FOLD_AS_SPACE,
};

/**
 * Parse "METHOD target HTTP/1.1\nName:value\n...\n\nbody". The target may contain spaces (the
 * suite has "/example space/"). Header values are kept as written (the signer trims them).
 * @return 0 on success, -1 on a malformed request or allocation failure.
 */
int reqfile_parse(const char *text, size_t len, enum reqfile_fold fold, struct reqfile *out);

/** Free what reqfile_parse allocated (safe on a zeroed struct). */
void reqfile_free(struct reqfile *r);

/** The value of the first header named `name` (case-insensitive), or NULL. */
const char *reqfile_header(const struct reqfile *r, const char *name);

/** Parse "20150830T123600Z" or "2015-08-30T12:36:00Z" as UTC. @return 0 or -1. */
int reqfile_parse_time(const char *s, time_t *out);

#endif
