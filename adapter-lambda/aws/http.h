/*
 * http.h — a thin HTTP/1.1 client over one reused libcurl easy handle.
 *
 * One struct http_client per endpoint (the Runtime API, each AWS service): a share object
 * keeps the connection cache, so keep-alive connections are reused between requests, while
 * each request gets a fresh easy handle. `Expect: 100-continue` is always suppressed. Response
 * bodies are collected in memory, optionally bounded: a 2xx response whose Content-Length exceeds
 * the bound is refused before its body is read, and the bound is also enforced while streaming (for
 * chunked responses or lying servers).
 *
 * Requires curl_global_init() to have been called once by the program.
 * Thread-safety: a client belongs to one thread at a time.
 */
#ifndef TK_LAMBDA_AWS_HTTP_H
#define TK_LAMBDA_AWS_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Transport-level result of one request (the HTTP status is separate). */
enum http_result {
    HTTP_OK = 0,        /**< a complete response was received (any HTTP status) */
    HTTP_ERR_CONNECT,   /**< could not resolve or connect, or the connection broke */
    HTTP_ERR_TIMEOUT,   /**< the per-request timeout expired */
    HTTP_ERR_TOO_LARGE, /**< the 2xx body exceeded max_body (declared or streamed) */
    HTTP_ERR_NO_MEMORY, /**< an allocation failed */
    HTTP_ERR_OTHER,     /**< any other libcurl failure (bad URL, TLS setup, ...) */
};

/** @return a stable lower-case name for @p r ("ok", "connect", "timeout", ...). */
const char *http_result_name(enum http_result r);

/** @return whether @p r is worth retrying (connection problems and timeouts). */
bool http_result_transient(enum http_result r);

/** A client: one easy handle and its connection cache. */
struct http_client {
    void *curl;  /**< CURL * of the last request (its headers), owned; NULL before the first */
    void *share; /**< CURLSH * holding the connection cache across requests, owned */
};

/** One request. Nothing is copied or retained after http_perform() returns. */
struct http_request {
    const char *method;         /**< "GET", "HEAD", "POST" or "PUT" */
    const char *url;            /**< absolute URL, already encoded */
    const char *const *headers; /**< n_headers "Name: value" lines, or NULL */
    size_t n_headers;
    const void *body; /**< request body for POST/PUT (may be NULL when body_len 0) */
    size_t body_len;
    long timeout_ms;   /**< whole-request timeout; 0 = none (Runtime API /next) */
    uint64_t max_body; /**< bound on a 2xx response body; 0 = unbounded */
};

/** One response; release with http_response_free(). */
struct http_response {
    long status; /**< HTTP status code, 0 when none was received */
    char *body;  /**< malloc'd, NUL-terminated (body[body_len] == 0), or NULL */
    size_t body_len;
    size_t body_cap;
    int64_t content_length; /**< declared Content-Length, -1 when absent */
};

/**
 * Create the easy handle.
 * @return 0, or -1 when libcurl cannot allocate one
 */
int http_client_init(struct http_client *c);

/** Release the handle and its connections. Safe on a zeroed client. */
void http_client_cleanup(struct http_client *c);

/**
 * Perform @p req and collect the response into @p resp (overwritten on entry; free it with
 * http_response_free() whatever the result).
 * @param err  receives libcurl's explanation on failure (may be NULL when errlen is 0)
 * @return HTTP_OK when a response arrived (check resp->status), else the failure
 */
enum http_result http_perform(struct http_client *c, const struct http_request *req,
                              struct http_response *resp, char *err, size_t errlen);

/**
 * The value of response header @p name (case-insensitive) from the last request made with
 * @p c, copied into @p out (truncated to outlen-1 bytes, NUL-terminated).
 * @return true when present
 */
bool http_header(struct http_client *c, const char *name, char *out, size_t outlen);

/** Free the body of @p resp and zero it. */
void http_response_free(struct http_response *resp);

#endif /* TK_LAMBDA_AWS_HTTP_H */
