/*
 * runtime_api.h — a client of the Lambda Runtime API (2018-06-01).
 *
 *   GET  /2018-06-01/runtime/invocation/next               (no timeout: the sandbox
 *                                                           freezes between invocations)
 *   POST /2018-06-01/runtime/invocation/{id}/response
 *   POST /2018-06-01/runtime/invocation/{id}/error          + Lambda-Runtime-Function-Error-Type
 *   POST /2018-06-01/runtime/init/error                     + Lambda-Runtime-Function-Error-Type
 *
 * The endpoint (AWS_LAMBDA_RUNTIME_API, "host:port") is given once; the fixed URLs
 * are built once and one curl handle is reused for every call. runtime_client_transport()
 * hands the client to the invocation loop (loop.h).
 *
 * Thread-safety: a struct runtime_client belongs to one thread at a time.
 */
#ifndef TK_LAMBDA_RUNTIME_RUNTIME_API_H
#define TK_LAMBDA_RUNTIME_RUNTIME_API_H

#include <stddef.h>
#include <stdint.h>

#include "aws/http.h"
#include "runtime/loop.h"

/** A Runtime API client. */
struct runtime_client {
    struct http_client http;
    char base[192];     /**< "http://HOST:PORT/2018-06-01/runtime" */
    char url_next[224]; /**< base + "/invocation/next" */
    char url_init[224]; /**< base + "/init/error" */
};

/**
 * Set up @p rc for @p endpoint ("127.0.0.1:9001", as in AWS_LAMBDA_RUNTIME_API).
 * @return 0, or -1 (message in @p err) when the endpoint is empty or too long, or curl fails
 */
int runtime_client_init(struct runtime_client *rc, const char *endpoint, char *err, size_t errlen);

/** Release @p rc. Safe on a zeroed client. */
void runtime_client_cleanup(struct runtime_client *rc);

/** @return a transport that talks to the Runtime API through @p rc (which must outlive it). */
struct runtime_transport runtime_client_transport(struct runtime_client *rc);

/**
 * Block until the next invocation (no timeout).
 * @param inv  overwritten; on success owns the event
 * @return 0, or -1 (message in @p err) on a transport failure, a non-200 status or a
 *         response without a request id
 */
int runtime_next(struct runtime_client *rc, struct runtime_invocation *inv, char *err,
                 size_t errlen);

/**
 * Post the response body (JSON) of invocation @p request_id.
 * @return 0 when the API accepted it (2xx), else -1 with a message in @p err
 */
int runtime_respond(struct runtime_client *rc, const char *request_id, const char *body, size_t len,
                    char *err, size_t errlen);

/**
 * Report that invocation @p request_id failed: body {"errorMessage","errorType","stackTrace":[]}
 * and header Lambda-Runtime-Function-Error-Type: @p error_type.
 * @return 0 when the API accepted it (2xx), else -1 with a message in @p err
 */
int runtime_error(struct runtime_client *rc, const char *request_id, const char *error_type,
                  const char *message, char *err, size_t errlen);

/**
 * Report a failed initialisation (invalid configuration) to /init/error. The caller then exits.
 * @return 0 when the API accepted it (2xx), else -1 with a message in @p err
 */
int runtime_init_error(struct runtime_client *rc, const char *error_type, const char *message,
                       char *err, size_t errlen);

/**
 * Build the error document {"errorMessage":..,"errorType":..,"stackTrace":[]}.
 * @return malloc'd JSON (free()), or NULL when memory runs out
 */
char *runtime_error_body(const char *error_type, const char *message);

#endif /* TK_LAMBDA_RUNTIME_RUNTIME_API_H */
