/*
 * request.h — one signed AWS request: the helper every AWS client of the adapter is built on.
 *
 * S3 (REST + XML), DynamoDB (POST "/" with X-Amz-Target and application/x-amz-json-1.0),
 * SNS and CloudWatch (POST "/" with a form-encoded Action=... body, or JSON) all come down to
 * the same call: a method, a path, a query, a few headers and a body, sent to the service's
 * endpoint and signed with SigV4 (sigv4.h). aws_send() does that:
 *
 *   - the endpoint follows the SDKs (endpoint.h): AWS_ENDPOINT_URL_<SERVICE>, else
 *     AWS_ENDPOINT_URL, else https://<service>.<region>.amazonaws.com;
 *   - every request is signed with the client's credentials (X-Amz-Security-Token when a
 *     session token is set), carries X-Amz-Date, User-Agent and, during an invocation,
 *     X-Amzn-Trace-Id; S3 requests also carry x-amz-content-sha256 (the real payload hash);
 *   - failures are classified: transient (5xx, 429, throttling and timeout codes, connection
 *     errors, timeouts) are retried with full-jitter backoff (retry.h) inside the invocation
 *     deadline; everything else is permanent and returned at once with the service's error
 *     code and message, parsed from the XML (S3, query protocol) or JSON (JSON protocol)
 *     error body.
 *
 * One reused curl handle per client, so one client per service endpoint.
 * Thread-safety: a struct aws_client belongs to one thread at a time.
 */
#ifndef TK_LAMBDA_AWS_REQUEST_H
#define TK_LAMBDA_AWS_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aws/credentials.h"
#include "aws/endpoint.h"
#include "aws/http.h"
#include "aws/retry.h"
#include "aws/sigv4.h"

/** Most extra headers one request may carry. */
#define AWS_MAX_HEADERS 16

/** Outcome of a call. */
enum aws_status {
    AWS_OK = 0,
    AWS_ERR_PERMANENT = 1, /**< will not succeed by retrying (AccessDenied, NoSuchKey, ...) */
    AWS_ERR_TRANSIENT = 2, /**< still failing after the retries the deadline allowed */
    AWS_ERR_TOO_LARGE = 3, /**< the 2xx response body exceeds the request's bound (permanent) */
    AWS_ERR_NO_MEMORY = 4, /**< an allocation failed */
};

/** @return "ok", "permanent", "transient", "too_large" or "no_memory". */
const char *aws_status_name(enum aws_status s);

/** Details of a failed call. */
struct aws_error {
    long http_status;    /**< last HTTP status, 0 when no response arrived */
    char code[64];       /**< the service's error code ("NoSuchKey"), or a transport name */
    char message[320];   /**< the service's error message, or libcurl's explanation */
    char request_id[64]; /**< request id of the failing response, if any */
    unsigned attempts;   /**< tries made */
};

/**
 * Whether an error response is worth retrying: 5xx, 429, or one of the throttling and
 * transient codes of botocore's standard retry mode (SlowDown, Throttling,
 * ThrottlingException, ProvisionedThroughputExceededException, RequestTimeout, ...),
 * ExpiredToken (a retried invocation runs with fresh credentials), or a request body S3 found
 * damaged on the way (BadDigest, IncompleteBody, XAmzContentSHA256Mismatch).
 */
bool aws_error_is_transient(long http_status, const char *code);

/**
 * The error code, message and request id of an error body: XML (<Code>, <Message>,
 * <RequestId>, entities decoded: S3 and the query protocol) or JSON ("__type" after its '#',
 * "message" or "Message": the JSON protocol). Missing parts give "". Outputs are
 * NUL-terminated, truncated if needed.
 */
void aws_parse_error(const char *body, size_t len, char *code, size_t code_len, char *message,
                     size_t message_len, char *request_id, size_t request_id_len);

/** Fill @p e (NULL is fine) with an HTTP status (0: none), a code and a message. */
void aws_error_set(struct aws_error *e, long http_status, const char *code, const char *message);

/** Format @p e as one line: "NoSuchKey (HTTP 404): The specified key does not exist.
 *  [request id X, 3 attempts]". */
void aws_error_format(const struct aws_error *e, char *out, size_t outlen);

/** Client settings. Strings are copied by aws_client_create(). */
struct aws_client_config {
    const char *service;  /**< signing name and endpoint prefix: "s3", "dynamodb", "sts",
                               "sns", "monitoring" (CloudWatch) */
    const char *region;   /**< AWS_REGION, required */
    const char *endpoint; /**< NULL: AWS's endpoint; else from aws_endpoint_from_env() */
    const struct aws_credentials *credentials; /**< required */
    const struct retry_policy *retry;          /**< copied; NULL: retry_policy_default() */
    long attempt_timeout_ms; /**< bound of one try when no deadline is set; 0: 30 s */
};

/** A client of one service endpoint; opaque. */
struct aws_client;

/**
 * Create a client (one reused curl handle for all its requests).
 * @param err  receives a reason on failure ("no AWS region (AWS_REGION)", ...)
 * @return 0, or -1 on missing settings, a malformed endpoint or allocation failure
 */
int aws_client_create(const struct aws_client_config *cfg, struct aws_client **out, char *err,
                      size_t errlen);

/** Release @p c (NULL is fine). Secrets are wiped before their memory is freed. */
void aws_client_free(struct aws_client *c);

/**
 * Set the invocation context for following calls: retries and per-try timeouts end before
 * @p deadline_ms (epoch ms; 0: none), and @p trace_id (NULL/"": none; only printable ASCII
 * is kept) is sent as X-Amzn-Trace-Id.
 */
void aws_client_set_invocation(struct aws_client *c, int64_t deadline_ms, const char *trace_id);

/** @return the endpoint the client sends to (S3 decides its addressing style from it). */
const struct aws_endpoint *aws_client_endpoint(const struct aws_client *c);

/** @return the client's region. */
const char *aws_client_region(const struct aws_client *c);

/**
 * A check of a complete 2xx response (the body against a length or checksum, say). @return
 * true when it is good; false with @p e's code and message set when the body was damaged on
 * the way: the response then counts as a transient failure and the request is retried.
 */
typedef bool (*aws_verify_fn)(struct aws_client *c, const struct http_response *resp, void *ctx,
                              struct aws_error *e);

/** One request. Nothing is copied or retained after aws_send() returns. */
struct aws_request {
    const char *method; /**< "GET", "PUT", "POST" */
    const char *host;   /**< NULL: the endpoint's host (and base path); else this host over
                             https, for S3's virtual-hosted buckets on AWS's endpoint */
    const char *path;   /**< percent-encoded path after the endpoint's base path ("/" when
                             NULL); sent and signed as is (S3) or normalised (other services) */
    const char *query;  /**< percent-encoded query without '?', or NULL */
    const struct sigv4_header *headers; /**< up to AWS_MAX_HEADERS extra headers, all signed
                                             (Content-Type, X-Amz-Target, x-amz-meta-...) */
    size_t n_headers;
    const void *body; /**< request body (NULL when body_len is 0) */
    size_t body_len;
    uint64_t max_body;    /**< bound on a 2xx response body; 0: unbounded */
    aws_verify_fn verify; /**< NULL, or a check of each 2xx response before it counts */
    void *verify_ctx;
};

/**
 * Sign and send @p r, retrying transient failures within the deadline.
 * @param resp  overwritten; on AWS_OK holds the 2xx response (status and body; headers via
 *              aws_response_header()); free with http_response_free() whatever the result
 * @param e     filled on failure (may be NULL)
 * @return AWS_OK or the failure class
 */
enum aws_status aws_send(struct aws_client *c, const struct aws_request *r,
                         struct http_response *resp, struct aws_error *e);

/**
 * The value of response header @p name (case-insensitive) of the last response @p c received,
 * copied into @p out (truncated to outlen-1 bytes, NUL-terminated).
 * @return true when present
 */
bool aws_response_header(struct aws_client *c, const char *name, char *out, size_t outlen);

/**
 * A presigned URL (query-string SigV4, sigv4_presign_query()) for a request of @p method to
 * @p host (NULL: the endpoint's) and the percent-encoded @p path, with the client's
 * credentials (X-Amz-Security-Token when a session token is set), valid for
 * @p expires_seconds from @p when (epoch seconds, injected). The @p n_headers headers (at most
 * AWS_MAX_HEADERS, e.g. content-type) are signed beside host: the client must send them with
 * exactly these values. The payload is UNSIGNED-PAYLOAD (S3's presigned form).
 * @param url  receives a malloc'd URL (free())
 * @return 0, or -1 when memory runs out or arguments are invalid
 */
int aws_presign(const struct aws_client *c, const char *method, const char *host, const char *path,
                const struct sigv4_header *headers, size_t n_headers, unsigned expires_seconds,
                int64_t when, char **url);

#endif /* TK_LAMBDA_AWS_REQUEST_H */
