/*
 * s3.h — the few S3 calls a thumbnailer needs: GetObject and PutObject.
 *
 * Requests are signed with SigV4 (sigv4.h) for the Authorization header, with
 * x-amz-content-sha256 = the real SHA-256 of the payload (signed) and, when set,
 * X-Amz-Security-Token. Addressing follows the AWS SDK convention:
 * virtual-hosted style (https://BUCKET.s3.REGION.amazonaws.com/KEY) on AWS,
 * path style (ENDPOINT/BUCKET/KEY) when an endpoint URL is configured
 * (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, e.g. moto). Keys are the decoded UTF-8
 * keys; they are percent-encoded here per SigV4 rules, keeping '/'.
 *
 * Failures are classified: transient (5xx, 429, SlowDown, RequestTimeout,
 * connection errors, timeouts) are retried with full-jitter backoff (retry.h)
 * inside the invocation deadline; everything else is permanent and returned at
 * once with the S3 error code and message parsed from the error XML.
 *
 * Thread-safety: a struct s3_client belongs to one thread at a time.
 */
#ifndef TK_LAMBDA_S3_H
#define TK_LAMBDA_S3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "retry.h"

/** Outcome of an S3 call. */
enum s3_status {
    S3_OK = 0,
    S3_ERR_PERMANENT = 1, /**< will not succeed by retrying (AccessDenied, NoSuchKey, ...) */
    S3_ERR_TRANSIENT = 2, /**< still failing after the retries the deadline allowed */
    S3_ERR_TOO_LARGE = 3, /**< GetObject: the object exceeds the byte limit (permanent) */
    S3_ERR_NO_MEMORY = 4, /**< an allocation failed */
};

/** @return "ok", "permanent", "transient", "too_large" or "no_memory". */
const char *s3_status_name(enum s3_status s);

/** Details of a failed call. */
struct s3_error {
    long http_status;    /**< last HTTP status, 0 when no response arrived */
    char code[64];       /**< S3 error code ("NoSuchKey"), or a transport name ("connect") */
    char message[320];   /**< S3 error message, or libcurl's explanation */
    char request_id[64]; /**< x-amz-request-id of the failing response, if any */
    unsigned attempts;   /**< tries made */
};

/** Client settings. Strings are copied by s3_client_create(). */
struct s3_config {
    const char *region;               /**< AWS_REGION, required */
    const char *endpoint_url;         /**< NULL: AWS; else "http://host:port[/base]" (path style) */
    const char *access_key_id;        /**< required */
    const char *secret_access_key;    /**< required */
    const char *session_token;        /**< NULL or "" when none */
    const struct retry_policy *retry; /**< copied; NULL: retry_policy_default() */
    long attempt_timeout_ms;          /**< bound of one try when no deadline is set; 0: 30 s */
};

/** An S3 client; opaque. */
struct s3_client;

/** A downloaded object; free with s3_object_free(). */
struct s3_object {
    uint8_t *data; /**< malloc'd, size bytes (plus a NUL not counted) */
    size_t size;
    char etag[80]; /**< ETag header without quotes, "" when absent */
};

/** A metadata pair sent as x-amz-meta-NAME: VALUE (value must be printable ASCII). */
struct s3_meta {
    const char *name;
    const char *value;
};

/** Where one object lives; from s3_object_address(). Strings malloc'd. */
struct s3_address {
    char *url;  /**< full URL as sent */
    char *host; /**< Host header value (signed) */
    char *path; /**< encoded path as sent and signed */
};

/**
 * Compute the URL, Host and encoded path of @p bucket/@p key for @p endpoint_url (NULL: AWS,
 * virtual-hosted, or path style for bucket names with dots) in @p region.
 * @return 0, or -1 on a malformed endpoint or allocation failure
 */
int s3_object_address(const char *endpoint_url, const char *region, const char *bucket,
                      const char *key, struct s3_address *out);

/** Free the strings of @p a and zero it. */
void s3_address_free(struct s3_address *a);

/**
 * Whether an S3 error response is worth retrying: 5xx, 429, or the codes SlowDown,
 * RequestTimeout, InternalError, ServiceUnavailable, Throttling, ThrottlingException,
 * RequestLimitExceeded, ExpiredToken.
 */
bool s3_error_is_transient(long http_status, const char *code);

/**
 * Extract <Code>, <Message> and <RequestId> from an S3 error document (entities decoded).
 * Missing elements give "". Output buffers are NUL-terminated, truncated if needed.
 */
void s3_parse_error_xml(const char *xml, size_t len, char *code, size_t code_len, char *message,
                        size_t message_len, char *request_id, size_t request_id_len);

/** Format @p e as one line: "NoSuchKey (HTTP 404): The specified key does not exist.
 *  [request id X, 3 attempts]". */
void s3_error_format(const struct s3_error *e, char *out, size_t outlen);

/**
 * Create a client (one reused curl handle for all its requests).
 * @param err  receives a reason on failure
 * @return 0, or -1 on missing settings or allocation failure
 */
int s3_client_create(const struct s3_config *cfg, struct s3_client **out, char *err, size_t errlen);

/** Release @p c (NULL is fine). Secrets are wiped before their memory is freed. */
void s3_client_free(struct s3_client *c);

/**
 * Set the invocation context for following calls: retries and per-try timeouts end before
 * @p deadline_ms (epoch ms; 0: none), and @p trace_id (NULL/"": none) is sent as
 * X-Amzn-Trace-Id.
 */
void s3_client_set_invocation(struct s3_client *c, int64_t deadline_ms, const char *trace_id);

/**
 * GetObject. Refuses objects over @p max_bytes (0: no limit) from Content-Length before
 * reading the body, and while streaming.
 * @param obj  overwritten; on S3_OK owns the data
 * @param e    filled on failure (may be NULL)
 * @return S3_OK or the failure class
 */
enum s3_status s3_get_object(struct s3_client *c, const char *bucket, const char *key,
                             uint64_t max_bytes, struct s3_object *obj, struct s3_error *e);

/**
 * PutObject of @p size bytes (size > 0) with @p content_type and @p n_meta metadata pairs.
 * @param e  filled on failure (may be NULL)
 * @return S3_OK or the failure class
 */
enum s3_status s3_put_object(struct s3_client *c, const char *bucket, const char *key,
                             const void *data, size_t size, const char *content_type,
                             const struct s3_meta *meta, size_t n_meta, struct s3_error *e);

/** Free the data of @p obj and zero it. */
void s3_object_free(struct s3_object *obj);

#endif /* TK_LAMBDA_S3_H */
