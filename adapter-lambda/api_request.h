/*
 * api_request.h — an HTTP API request (API Gateway payload 2.0) checked and routed, with no
 * AWS call: what api.h then executes. Pure and bounded, so the fuzz target
 * (tests/fuzz/fuzz_api_request.c) drives it directly.
 *
 * Routes (rawPath, percent-encoded; a stage prefix is removed by apigw.h):
 *   POST    /images          Content-Type application/json {"contentType","contentLength"}:
 *                            reserve an upload (API_RESERVE); Content-Type image/...: the
 *                            image itself in the body, base64 when binary (API_UPLOAD)
 *   GET     /images          ?limit=1..100 (default 20)&cursor=<opaque>: a page (API_LIST)
 *   GET     /images/{id+}    the record of source key id (API_GET)
 *   OPTIONS any of these     CORS preflight (API_OPTIONS)
 * Anything else is API_ERROR with the status to answer: 400 (malformed JSON, bad id, bad
 * limit or cursor, missing field), 404 (unknown route), 405 (wrong method, with Allow), 413
 * (too large: contentLength over MAX_INPUT_BYTES, an inline body over API_INLINE_MAX, an
 * event over Lambda's 6 MB), 415 (a content type that is not an allowed image or JSON).
 *
 * The id (GET /images/{id+}) is percent-decoded once and must be a plausible S3 key: 1 to
 * 1024 bytes of valid UTF-8 without control characters, not starting with '/', without empty,
 * "." or ".." segments, not ending in '/', and not under KEY_PREFIX or ARCHIVE_PREFIX. It is
 * only ever used as the DynamoDB key; S3 keys come from the record or are made here.
 *
 * Thread-safety: reentrant.
 */
#ifndef TK_LAMBDA_API_REQUEST_H
#define TK_LAMBDA_API_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "events/apigw.h"
#include "thumbkit.h"

/** Largest image accepted inline (base64 in the body): under Lambda's 6 MB request payload
 *  once base64 (4/3) and the event around it are counted. */
#define API_INLINE_MAX (4u * 1024u * 1024u)
/** Lambda's synchronous invocation payload limit (request and response). */
#define API_EVENT_MAX (6u * 1024u * 1024u)
/** Largest JSON body of POST /images. */
#define API_JSON_MAX (64u * 1024u)
/** Default and largest page of GET /images. */
#define API_LIST_DEFAULT 20
#define API_LIST_MAX     100

/** What to do. */
enum api_route {
    API_ERROR,   /**< answer status/code/message */
    API_OPTIONS, /**< CORS preflight: 204 */
    API_RESERVE, /**< POST /images with JSON */
    API_UPLOAD,  /**< POST /images with the image */
    API_GET,     /**< GET /images/{id+} */
    API_LIST,    /**< GET /images */
};

/** A checked request; free with api_request_free(). */
struct api_request {
    enum api_route route;
    int status;                /**< API_ERROR: the HTTP status */
    const char *code;          /**< API_ERROR: "InvalidJson", "NotFound", ... (static) */
    char message[320];         /**< API_ERROR: for a person */
    const char *allow;         /**< 405: the Allow header (static) */
    char *id;                  /**< API_GET: the decoded, checked source key */
    unsigned limit;            /**< API_LIST */
    char *cursor_id;           /**< API_LIST: the key to continue after, or NULL */
    char content_type[64];     /**< API_RESERVE, API_UPLOAD: normalised media type */
    uint64_t content_length;   /**< API_RESERVE: declared size; API_UPLOAD: body size */
    enum tk_format format;     /**< the image format the content type names */
    const char *ext;           /**< the extension of the new key (one of ALLOWED_EXTENSIONS) */
    struct apigw_request http; /**< the parsed event (owns the body) */
};

/**
 * Parse, route and check the @p len bytes of API Gateway event @p event under @p cfg.
 * @param out  overwritten; free with api_request_free() whatever the result
 * @return 0, or -1 when @p event is not an API Gateway event or memory runs out
 */
int api_request_parse(const struct config *cfg, const char *event, size_t len,
                      struct api_request *out);

/** Free @p r and zero it. */
void api_request_free(struct api_request *r);

/**
 * Whether @p key is acceptable as an image id under @p cfg (the rules above).
 * @param why  receives the reason when not (static text)
 */
bool api_valid_id(const struct config *cfg, const char *key, size_t len, const char **why);

#endif /* TK_LAMBDA_API_REQUEST_H */
