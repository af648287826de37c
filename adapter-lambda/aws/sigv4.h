/*
 * sigv4.h - AWS Signature Version 4 (AWS4-HMAC-SHA256), as pure staged functions.
 *
 * canonical request -> string to sign -> signature -> Authorization value, plus presigned
 * query strings. Every function is pure: no globals, no clock (the time is in the scope),
 * no environment, no I/O. All functions are thread-safe (they only touch their arguments).
 * Percent-encoding is the adapter's one encoder, urlcode_encode() (base/urlcode.h).
 *
 * Strings returned as `char *` are malloc'd and owned by the caller (free()); NULL means an
 * allocation failed or an argument was NULL. Fixed-size outputs are NUL-terminated.
 *
 * Tested stage by stage against AWS's SigV4 test suite and aws-c-auth's signing suite
 * (tests/data/sigv4) and against botocore (tests/lambda/sigv4).
 */
#ifndef TK_LAMBDA_AWS_SIGV4_H
#define TK_LAMBDA_AWS_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/** One HTTP header to sign. Name in any case; the value is trimmed and its runs of
 *  spaces/tabs are collapsed to one space when canonicalised. */
struct sigv4_header {
    const char *name;
    const char *value;
};

/** The request to sign. Nothing is copied or retained. */
struct sigv4_request {
    const char *method; /* "GET", "PUT" */
    /* Path as sent on the wire, already percent-encoded: "/bucket/a%20b.jpg". With S3 rules it
     * is the canonical URI as is; otherwise it is normalised and every segment encoded again
     * (the "double encoding" most AWS services expect). NULL or "" means "/"; a missing
     * leading '/' is added. */
    const char *path;
    /* Raw query string without '?', or NULL. Each name and value is percent-decoded (%XX only:
     * '+' is a literal plus) and re-encoded per SigV4, then sorted. */
    const char *query;
    /* Headers to sign (header signing must include host and x-amz-date), any order/case.
     * Repeated names are merged with ',' in the order given. To sign a session token in the
     * Authorization-header flow, add an X-Amz-Security-Token header here. */
    const struct sigv4_header *headers;
    size_t n_headers;
    const char *payload_hash; /* hex SHA-256 of the body, or "UNSIGNED-PAYLOAD" */
};

/** Credentials. session_token may be NULL; it is used by sigv4_presign_query() only (header
 *  signing signs whatever headers the request carries). */
struct sigv4_credentials {
    const char *access_key_id, *secret_access_key, *session_token;
};

/** Where and when the signature is valid. */
struct sigv4_scope {
    const char *region, *service;
    time_t when;   /* injected clock, UTC seconds since the epoch */
    bool s3_rules; /* S3: no path normalisation, no double encoding of the path */
};

/**
 * Stage 1: build the canonical request
 * (method \n URI \n query \n headers \n \n signed-headers \n payload-hash).
 * @param signed_headers_out if not NULL, receives the malloc'd signed-header list
 *        ("host;x-amz-date"), owned by the caller; set to NULL on failure.
 * @return the malloc'd canonical request, or NULL on allocation failure/NULL argument.
 */
char *sigv4_canonical_request(const struct sigv4_request *req, const struct sigv4_scope *scope,
                              char **signed_headers_out);

/**
 * Stage 2: the string to sign
 * ("AWS4-HMAC-SHA256\n<amz-date>\n<date>/<region>/<service>/aws4_request\n<hex sha256(creq)>").
 * @return malloc'd string, or NULL on allocation failure/NULL argument.
 */
char *sigv4_string_to_sign(const struct sigv4_scope *scope, const char *canonical_request);

/**
 * Stage 3: derive the signing key from the secret and scope and HMAC the string to sign.
 * @param out_hex receives 64 lower-case hex digits and a NUL; "" if an argument is NULL or
 *        OpenSSL fails.
 */
void sigv4_signature(const struct sigv4_credentials *creds, const struct sigv4_scope *scope,
                     const char *string_to_sign, char out_hex[65]);

/**
 * Stage 4: the Authorization header value
 * ("AWS4-HMAC-SHA256 Credential=<akid>/<scope>, SignedHeaders=<list>, Signature=<hex>").
 * @return malloc'd string, or NULL on allocation failure/NULL argument.
 */
char *sigv4_authorization(const struct sigv4_credentials *creds, const struct sigv4_scope *scope,
                          const char *signed_headers, const char signature_hex[65]);

/**
 * All four stages: sign a request for the Authorization header.
 * @return the malloc'd Authorization header value, or NULL on failure.
 */
char *sigv4_sign(const struct sigv4_request *req, const struct sigv4_credentials *creds,
                 const struct sigv4_scope *scope);

/**
 * Presigned URL (query-string authentication). Signs the request's headers (an x-amz-date
 * header, if present, is ignored: the date travels as X-Amz-Date) with X-Amz-Algorithm,
 * X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and, when
 * creds->session_token is set, X-Amz-Security-Token added to the query. For S3 pass
 * payload_hash "UNSIGNED-PAYLOAD".
 * @return the malloc'd query string to put after '?': the canonical (sorted, encoded) form of
 *         the existing query plus the X-Amz-* parameters, ending with &X-Amz-Signature=<hex>;
 *         NULL on failure.
 */
char *sigv4_presign_query(const struct sigv4_request *req, const struct sigv4_credentials *creds,
                          const struct sigv4_scope *scope, unsigned expires_seconds);

/** Format `when` (UTC) as the ISO 8601 basic form "20150830T123600Z" into out (17 bytes).
 *  Writes "" if the time cannot be represented. */
void sigv4_amz_date(time_t when, char out[17]);

/** Hex (lower-case) SHA-256 of len bytes at data into out (64 digits + NUL); "" on failure. */
void sigv4_sha256_hex(const void *data, size_t len, char out[65]);

#ifdef __cplusplus
}
#endif

#endif /* TK_LAMBDA_AWS_SIGV4_H */
