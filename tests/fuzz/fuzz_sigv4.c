/*
 * fuzz_sigv4.c — libFuzzer target: the SigV4 canonicaliser and the percent-encoder.
 *
 * The input's lines are the request: method, path, query, then "name:value" headers, with
 * the first byte choosing S3 or generic rules. Each stage must not fail on any text, and the
 * encoder must round-trip: form-decoding what urlcode_encode made gives back the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sigv4.h"
#include "base/urlcode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_HEADERS 12

static void check_round_trip(const char *s, bool keep_slash) {
    char *enc = urlcode_encode(s, keep_slash);
    if (enc == NULL) {
        abort();
    }
    if (strlen(enc) != urlcode_encode_into(NULL, s, strlen(s), keep_slash)) {
        abort();
    }
    for (const char *p = enc; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!(urlcode_is_unreserved(c) || c == '%' || (keep_slash && c == '/'))) {
            abort(); /* only unreserved bytes and escapes may leave the encoder */
        }
    }
    char *dec = NULL;
    if (urlcode_form_decode(enc, &dec) != 0 || strcmp(dec, s) != 0) {
        abort();
    }
    free(dec);
    free(enc);
}

static void sign(const char *text, bool s3) {
    char *copy = strdup(text);
    if (copy == NULL) {
        return;
    }
    const char *field[3] = {"GET", "/", NULL};
    struct sigv4_header headers[MAX_HEADERS + 2];
    size_t nh = 0;
    headers[nh++] = (struct sigv4_header){"host", "example.amazonaws.com"};
    headers[nh++] = (struct sigv4_header){"x-amz-date", "20150830T123600Z"};
    size_t line_no = 0;
    for (char *line = copy; line != NULL; line_no++) {
        char *next = strchr(line, '\n');
        if (next != NULL) {
            *next++ = '\0';
        }
        if (line_no < 3) {
            field[line_no] = line;
        } else if (nh < MAX_HEADERS + 2) {
            char *colon = strchr(line, ':');
            if (colon != NULL) {
                *colon = '\0';
                headers[nh++] = (struct sigv4_header){line, colon + 1};
            }
        }
        line = next;
    }
    struct sigv4_request req = {.method = field[0],
                                .path = field[1],
                                .query = field[2],
                                .headers = headers,
                                .n_headers = nh,
                                .payload_hash = "UNSIGNED-PAYLOAD"};
    struct sigv4_scope scope = {"us-east-1", s3 ? "s3" : "service", 1440938160, s3};
    struct sigv4_credentials creds = {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                      "token"};
    char *signed_headers = NULL;
    char *creq = sigv4_canonical_request(&req, &scope, &signed_headers);
    char *authz = sigv4_sign(&req, &creds, &scope);
    char *presigned = sigv4_presign_query(&req, &creds, &scope, 900);
    /* Allocation is the only documented failure; these inputs are small. */
    if (creq == NULL || signed_headers == NULL || authz == NULL || presigned == NULL) {
        abort();
    }
    free(presigned);
    free(authz);
    free(signed_headers);
    free(creq);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) {
        return 0;
    }
    char *text = malloc(size);
    if (text == NULL) {
        return 0;
    }
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0'; /* C strings: the input ends at its first NUL */
    check_round_trip(text, false);
    check_round_trip(text, true);
    char *dec = NULL;
    if (urlcode_form_decode(text, &dec) == 0) {
        free(dec);
    }
    sign(text, (data[0] & 1) != 0);
    free(text);
    return 0;
}
