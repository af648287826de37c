/*
 * apigw.h — API Gateway HTTP API events (payload format 2.0; Lambda function URLs use the
 * same shape) in, proxy responses out.
 *
 * Recognised by shape: "version": "2.0" and requestContext.http.method. The request keeps
 * its parsed JSON; the strings below point into it. A base64 body (isBase64Encoded) is
 * decoded here; a body that is not valid base64 is refused (the caller answers 400).
 *
 * Thread-safety: reentrant; a struct apigw_request belongs to one thread at a time.
 */
#ifndef TK_LAMBDA_EVENTS_APIGW_H
#define TK_LAMBDA_EVENTS_APIGW_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/** A parsed request; free with apigw_request_free(). */
struct apigw_request {
    cJSON *root;            /**< the whole event (owned) */
    const char *method;     /**< requestContext.http.method, upper case as sent ("GET") */
    const char *raw_path;   /**< rawPath, percent-encoded, without the stage prefix */
    const char *raw_query;  /**< rawQueryString ("" when none) */
    const char *request_id; /**< requestContext.requestId ("" when none) */
    const cJSON *headers;   /**< header object (API Gateway lower-cases the names) or NULL */
    const cJSON *query;     /**< queryStringParameters (decoded, repeated values joined with
                                 ',') or NULL */
    unsigned char *body;    /**< the body as bytes (decoded when it was base64; owned, NUL
                                 after body_len) or NULL */
    size_t body_len;
};

/** Outcome of apigw_parse(). */
enum apigw_parse_status {
    APIGW_OK = 0,       /**< a request */
    APIGW_NOT_API = 1,  /**< valid JSON of another shape */
    APIGW_BAD_BODY = 2, /**< an API event whose base64 body does not decode */
    APIGW_ERROR = 3,    /**< not JSON, or out of memory */
};

/** @return whether @p root has the shape of a payload-2.0 event. */
bool apigw_is_event(const cJSON *root);

/**
 * Parse @p len bytes of @p json.
 * @param out  overwritten; after APIGW_OK (and APIGW_BAD_BODY, which fills everything but
 *             the body) free it with apigw_request_free()
 * @return the outcome
 */
enum apigw_parse_status apigw_parse(const char *json, size_t len, struct apigw_request *out);

/** @return the value of header @p name (compared without case), or NULL. */
const char *apigw_header(const struct apigw_request *r, const char *name);

/** @return the value of query parameter @p name, or NULL. */
const char *apigw_query(const struct apigw_request *r, const char *name);

/** Free @p r and zero it (NULL and zeroed requests are fine). */
void apigw_request_free(struct apigw_request *r);

/** One response header. */
struct apigw_header {
    const char *name;
    const char *value;
};

/**
 * The proxy response {"statusCode":..,"headers":{..},"body":"..","isBase64Encoded":false}
 * for a UTF-8 text @p body (NULL: "").
 * @return a malloc'd JSON string (free()), or NULL when memory runs out
 */
char *apigw_response(int status, const struct apigw_header *headers, size_t n_headers,
                     const char *body);

#endif /* TK_LAMBDA_EVENTS_APIGW_H */
