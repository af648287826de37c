/*
 * loop.h — the custom runtime's invocation loop, apart from HTTP.
 *
 *   init ─┬─ failed ──► /init/error, return 1
 *         └─ ok ──► loop: /next ─► _X_AMZN_TRACE_ID ─► invoke ─► /response | /error ─► done
 *
 * The loop talks to the Runtime API through a struct runtime_transport (the real client:
 * runtime_client_transport() in runtime_api.h; a unit test passes its own) and runs the
 * function through a struct runtime_handler, so every path of it is testable without HTTP.
 * Logging belongs to the function: the loop reports its own problems through
 * runtime_handler.report.
 *
 * Thread-safety: runtime_run() owns the calling thread; it sets the process environment
 * variable _X_AMZN_TRACE_ID per invocation, as the Lambda contract asks.
 */
#ifndef TK_LAMBDA_RUNTIME_LOOP_H
#define TK_LAMBDA_RUNTIME_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** One invocation handed out by /next. Free with runtime_invocation_free(). */
struct runtime_invocation {
    char request_id[128];   /**< Lambda-Runtime-Aws-Request-Id */
    int64_t deadline_ms;    /**< Lambda-Runtime-Deadline-Ms (epoch ms), 0 when absent */
    char function_arn[256]; /**< Lambda-Runtime-Invoked-Function-Arn, "" when absent */
    char trace_id[256];     /**< Lambda-Runtime-Trace-Id, "" when absent */
    char *event;            /**< the payload, malloc'd and NUL-terminated */
    size_t event_len;
};

/** Free the event of @p inv and zero it. */
void runtime_invocation_free(struct runtime_invocation *inv);

/** How the loop reaches the Runtime API. Each call returns 0, or -1 with a message in @p err. */
struct runtime_transport {
    void *ctx; /**< passed to every call */
    /** Block until the next invocation; on success @p inv owns its event. */
    int (*next)(void *ctx, struct runtime_invocation *inv, char *err, size_t errlen);
    /** Post the response body of invocation @p request_id. */
    int (*respond)(void *ctx, const char *request_id, const char *body, size_t len, char *err,
                   size_t errlen);
    /** Report that invocation @p request_id failed. */
    int (*error)(void *ctx, const char *request_id, const char *error_type, const char *message,
                 char *err, size_t errlen);
    /** Report a failed initialisation. */
    int (*init_error)(void *ctx, const char *error_type, const char *message, char *err,
                      size_t errlen);
};

/** What one invocation produced; the strings belong to the handler until done(). */
struct runtime_result {
    bool failed;               /**< true: post /error; false: post /response */
    const char *response;      /**< the JSON response body, when !failed */
    const char *error_type;    /**< when failed: Lambda-Runtime-Function-Error-Type */
    const char *error_message; /**< when failed */
};

/** Why initialisation failed, for /init/error. */
struct runtime_init_failure {
    char type[64];     /**< e.g. "Runtime.InvalidConfiguration" */
    char message[640]; /**< e.g. "invalid configuration: JPEG_QUALITY='0' is invalid: ..." */
};

/** The function the loop runs. */
struct runtime_handler {
    void *ctx; /**< passed to every call */
    /** Initialise before the first /next (NULL: nothing to do). @return 0, or -1 with @p why
     *  filled: the loop posts it to /init/error and gives up. */
    int (*init)(void *ctx, struct runtime_init_failure *why);
    /** Handle @p inv. @return 0 with @p res filled, or -1 when memory ran out (the loop posts
     *  Runtime.OutOfMemory). */
    int (*invoke)(void *ctx, const struct runtime_invocation *inv, struct runtime_result *res);
    /** The result of an invocation was posted (or could not be): release @p res (NULL: nothing
     *  to release). */
    void (*done)(void *ctx, struct runtime_result *res);
    /** A problem of the loop itself: @p message ("cannot get the next invocation") and the
     *  transport's @p error. */
    void (*report)(void *ctx, const char *message, const char *error);
};

/** Tuning of runtime_run(); runtime_options_default() gives what Lambda needs. */
struct runtime_options {
    unsigned next_failures_max; /**< consecutive /next failures before giving up (>= 1) */
    uint32_t next_retry_ms;     /**< pause after a failed /next */
};

/** @return the defaults: give up after 3 consecutive /next failures, 100 ms apart. */
struct runtime_options runtime_options_default(void);

/**
 * Run the custom runtime: init (on failure post /init/error and return), then
 * /next -> invoke -> /response or /error, for ever.
 * @param opt  NULL: runtime_options_default()
 * @return 1 when init failed, or when /next failed next_failures_max times in a row (the
 *         Runtime API is gone); it does not return otherwise
 */
int runtime_run(const struct runtime_transport *t, const struct runtime_handler *h,
                const struct runtime_options *opt);

#endif /* TK_LAMBDA_RUNTIME_LOOP_H */
