/*
 * s3.h — the few S3 calls a thumbnailer needs: GetObject and PutObject, on the signed
 * request helper (request.h) of a client made for service "s3".
 *
 * Addressing follows the AWS SDK convention: virtual-hosted style
 * (https://BUCKET.s3.REGION.amazonaws.com/KEY) on AWS, path style for bucket names with dots,
 * and path style (ENDPOINT/BUCKET/KEY) when an endpoint URL is configured
 * (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, e.g. moto). Keys are the decoded UTF-8 keys; they
 * are percent-encoded here (urlcode_encode), keeping '/'.
 *
 * Signing, retries, the deadline and error classification are the helper's (request.h).
 * Thread-safety: as the client's: one thread at a time.
 */
#ifndef TK_LAMBDA_AWS_S3_H
#define TK_LAMBDA_AWS_S3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aws/endpoint.h"
#include "aws/request.h"

/** The signing name and endpoint prefix of S3, for aws_client_config.service. */
#define S3_SERVICE "s3"

/** A downloaded object; free with s3_object_free(). */
struct s3_object {
    uint8_t *data; /**< malloc'd, size bytes (plus a NUL not counted) */
    size_t size;
    char etag[80];          /**< ETag header without quotes, "" when absent */
    char content_type[128]; /**< Content-Type header, "" when absent */
    char version_id[128];   /**< x-amz-version-id header, "" when absent */
    int64_t last_modified;  /**< Last-Modified (epoch seconds), 0 when absent or unreadable */
};

/** A metadata pair sent as x-amz-meta-NAME: VALUE (value must be printable ASCII). */
struct s3_meta {
    const char *name;
    const char *value;
};

/**
 * Compute the URL, Host and encoded path of @p bucket/@p key for @p endpoint_url (NULL: AWS,
 * virtual-hosted, or path style for bucket names with dots) in @p region.
 * @return 0, or -1 on a malformed endpoint, an empty bucket, or allocation failure
 */
int s3_object_address(const char *endpoint_url, const char *region, const char *bucket,
                      const char *key, struct aws_address *out);

/**
 * GetObject with client @p c (service "s3"). Refuses objects over @p max_bytes (0: no limit)
 * from Content-Length before reading the body, and while streaming (code ObjectTooLarge).
 * @param obj  overwritten; on AWS_OK owns the data
 * @param e    filled on failure (may be NULL)
 * @return AWS_OK or the failure class
 */
enum aws_status s3_get_object(struct aws_client *c, const char *bucket, const char *key,
                              uint64_t max_bytes, struct s3_object *obj, struct aws_error *e);

/**
 * PutObject of @p size bytes (size > 0) with @p content_type and @p n_meta (at most 8)
 * metadata pairs.
 * @param e  filled on failure (may be NULL)
 * @return AWS_OK or the failure class
 */
enum aws_status s3_put_object(struct aws_client *c, const char *bucket, const char *key,
                              const void *data, size_t size, const char *content_type,
                              const struct s3_meta *meta, size_t n_meta, struct aws_error *e);

/** Optional headers of a PutObject beyond the content type and metadata. */
struct s3_put_extra {
    const char *cache_control; /**< Cache-Control, NULL: none */
};

/**
 * s3_put_object() with the headers of @p extra (NULL: none) as well.
 * @return AWS_OK or the failure class
 */
enum aws_status s3_put_object_extra(struct aws_client *c, const char *bucket, const char *key,
                                    const void *data, size_t size, const char *content_type,
                                    const struct s3_meta *meta, size_t n_meta,
                                    const struct s3_put_extra *extra, struct aws_error *e);

/**
 * A presigned URL for @p method ("GET" or "PUT") on @p bucket/@p key, addressed as the
 * client's requests are, valid @p expires_seconds from @p when (epoch seconds). With a
 * @p content_type (PUT), Content-Type is signed: the uploader must send exactly that value.
 * S3 checks the signature, the expiry and the header when the URL is used.
 * @param url  receives a malloc'd URL (free())
 * @return 0, or -1 when memory runs out or the bucket is empty
 */
int s3_presign(const struct aws_client *c, const char *method, const char *bucket, const char *key,
               const char *content_type, unsigned expires_seconds, int64_t when, char **url);

/** Free the data of @p obj and zero it. */
void s3_object_free(struct s3_object *obj);

#endif /* TK_LAMBDA_AWS_S3_H */
