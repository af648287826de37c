/*
 * api.h — the HTTP API of the image service (API Gateway HTTP API, payload 2.0), answered
 * by the same bootstrap: requests are checked by api_request.h, then
 *
 *   POST /images (JSON)   201 {imageId, upload {method, url, headers, expiresAt, expiresIn},
 *                          maxBytes, thumbnails [{size, bucket, key}], links {self}}
 *                          and Location: /images/<id>. The key is UPLOAD_PREFIX + a random
 *                          UUID + "." + the extension; the URL is a presigned S3 PUT bound to
 *                          that key and Content-Type, valid URL_EXPIRES seconds.
 *   POST /images (image)  201 {imageId, status "uploaded", bytes, thumbnails, links}: the
 *                          body stored at such a key with PutObject.
 *   GET /images/{id+}     200 the record (record.h) with a presigned GET url per thumbnail;
 *                          404 when there is none.
 *   GET /images           200 {items [records as above], count, nextCursor (null at the end)}
 *   OPTIONS               204 with the CORS preflight headers.
 *
 * Every answer is JSON with Content-Type application/json, Cache-Control no-store and the
 * CORS headers (Access-Control-Allow-Origin: CORS_ALLOW_ORIGIN, Access-Control-Expose-Headers:
 * Location). Errors are {"error": {"code", "message"}, "requestId"} with the status of
 * api_request.h, and: 501 when the route's feature is not configured (UPLOAD_BUCKET,
 * METADATA_TABLE), 502 when DynamoDB or S3 refuses (a missing table, access denied), 503 with
 * Retry-After when they fail transiently. Nothing is written unless the request was valid.
 *
 * Thread-safety: as the handler's.
 */
#ifndef TK_LAMBDA_API_H
#define TK_LAMBDA_API_H

#include <stddef.h>

#include "handler.h"

/**
 * Answer the API Gateway event @p event (@p len bytes): res->response is the proxy response.
 * @return 0, or -1 when memory runs out
 */
int api_handle(struct handler *h, const char *event, size_t len, const char *request_id,
               struct handler_result *res);

#endif /* TK_LAMBDA_API_H */
