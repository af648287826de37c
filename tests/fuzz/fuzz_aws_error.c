/*
 * fuzz_aws_error.c — libFuzzer target: the parser of AWS error bodies (S3 and query-protocol
 * XML, JSON-protocol documents) and the transient/permanent decision made from it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Outputs must be NUL-terminated within their buffer and free of control characters, since
 * they go into single-line logs. */
static void check_text(const char *s, size_t cap) {
    size_t n = strnlen(s, cap);
    if (n == cap) {
        abort();
    }
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] < 0x20) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char code[64], message[320], request_id[64];
    aws_parse_error((const char *)data, size, code, sizeof code, message, sizeof message,
                    request_id, sizeof request_id);
    check_text(code, sizeof code);
    check_text(message, sizeof message);
    check_text(request_id, sizeof request_id);
    long status = size > 0 ? 400 + data[0] % 200 : 500;
    bool transient = aws_error_is_transient(status, code);
    if (status >= 500 && !transient) {
        abort(); /* every 5xx is worth a retry, whatever the body says */
    }
    struct aws_error e;
    memset(&e, 0, sizeof e);
    aws_error_set(&e, status, code, message);
    char line[800];
    aws_error_format(&e, line, sizeof line);
    check_text(line, sizeof line);
    return 0;
}
