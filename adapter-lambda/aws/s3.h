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
    char etag[80];           /**< ETag header without quotes, "" when absent */
    char content_type[128];  /**< Content-Type header, "" when absent */
    char version_id[128];    /**< x-amz-version-id, "" when absent (unversioned bucket) */
    int64_t last_modified;   /**< Last-Modified, epoch seconds; 0 when absent or unreadable */
    const char *verified_by; /**< how the body was checked against the object: "crc64nvme",
                                  "crc32", ... (a checksum), "content-length", "size" (the
                                  event's), "head" (a HeadObject) */
};

/** A metadata pair sent as x-amz-meta-NAME: VALUE (value must be printable ASCII). */
struct s3_meta {
    const char *name;
    const char *value;
};

/** Which object to download, and what is known of it beforehand (from the event). */
struct s3_get {
    const char *bucket;
    const char *key;
    const char *version_id;    /**< NULL/"": the latest version; else exactly this one */
    uint64_t expected_size;    /**< the event's object size, 0 when unknown */
    const char *expected_etag; /**< the event's ETag (quotes optional), NULL when unknown */
    uint64_t max_bytes;        /**< refuse larger objects; 0: no limit */
};

/**
 * Compute the URL, Host and encoded path of @p bucket/@p key for @p endpoint_url (NULL: AWS,
 * virtual-hosted, or path style for bucket names with dots) in @p region.
 * @return 0, or -1 on a malformed endpoint, an empty bucket, or allocation failure
 */
int s3_object_address(const char *endpoint_url, const char *region, const char *bucket,
                      const char *key, struct aws_address *out);

/**
 * GetObject with client @p c (service "s3"), pinned to g->version_id when given. Refuses
 * objects over g->max_bytes from Content-Length before reading the body, and while streaming
 * (code ObjectTooLarge).
 *
 * The body is checked against the object before it counts, so a body cut short is never
 * handed on as if it were the whole object: against S3's full-object checksum (asked for
 * with x-amz-checksum-mode: ENABLED), against Content-Length, and against the event's size
 * when the response is the event's object (same version or ETag). A mismatch is retried
 * like a transient failure (code BodyChecksumMismatch or IncompleteBody). When none of these
 * applies (no Content-Length, no checksum, no size) a HeadObject supplies the length.
 * @param obj  overwritten; on AWS_OK owns the data
 * @param e    filled on failure (may be NULL)
 * @return AWS_OK or the failure class
 */
enum aws_status s3_get_object(struct aws_client *c, const struct s3_get *g, struct s3_object *obj,
                              struct aws_error *e);

/** What HeadObject says of an object. */
struct s3_head {
    bool exists;           /**< false: 404 (the other fields are empty) */
    uint64_t size;         /**< Content-Length */
    char etag[80];         /**< without quotes */
    char version_id[128];  /**< x-amz-version-id, "" when absent */
    int64_t last_modified; /**< epoch seconds, 0 when absent */
    char meta[4][160];     /**< the x-amz-meta-* values asked for, "" when absent */
};

/**
 * HeadObject of @p bucket/@p key (version @p version_id when not NULL/""), reading up to 4
 * metadata values named in @p meta_names (without "x-amz-meta-"; NULL-terminated).
 * A missing object is AWS_OK with out->exists false.
 * @return AWS_OK or the failure class
 */
enum aws_status s3_head_object(struct aws_client *c, const char *bucket, const char *key,
                               const char *version_id, const char *const *meta_names,
                               struct s3_head *out, struct aws_error *e);

/** A PutObject, with what S3 should check before it writes. */
struct s3_put {
    const char *bucket;
    const char *key;
    const void *data; /**< size > 0 bytes */
    size_t size;
    const char *content_type;
    const char *cache_control;  /**< Cache-Control, NULL: none */
    const struct s3_meta *meta; /**< at most 8 */
    size_t n_meta;
    const char *if_match; /**< write only over this ETag (S3 conditional write), or NULL */
    bool if_none_match;   /**< write only if no object has the key (If-None-Match: *) */
};

/**
 * PutObject of p->size bytes with Content-MD5 (S3 refuses a body damaged on the way with
 * BadDigest, which is retried), then the ETag S3 answers is checked against the MD5 of what
 * was sent where S3 promises they match (not for SSE-KMS or SSE-C objects): a mismatch means
 * the stored object is not these bytes, reported as transient (code StoredObjectMismatch)
 * with the stored ETag in @p etag_out, so the caller can overwrite it. A failed condition is
 * permanent with code PreconditionFailed (HTTP 412).
 * @param etag_out  receives the new object's ETag without quotes (may be NULL; 80 bytes)
 * @param e  filled on failure (may be NULL)
 * @return AWS_OK or the failure class
 */
enum aws_status s3_put(struct aws_client *c, const struct s3_put *p, char *etag_out,
                       struct aws_error *e);

/**
 * PutObject of @p size bytes (size > 0) with @p content_type and @p n_meta (at most 8)
 * metadata pairs: s3_put() without conditions.
 * @param e  filled on failure (may be NULL)
 * @return AWS_OK or the failure class
 */
enum aws_status s3_put_object(struct aws_client *c, const char *bucket, const char *key,
                              const void *data, size_t size, const char *content_type,
                              const struct s3_meta *meta, size_t n_meta, struct aws_error *e);

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
