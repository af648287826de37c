/*
 * s3.c — GetObject / PutObject on the signed request helper (see s3.h).
 */
#define _GNU_SOURCE /* strptime, timegm */
#include "aws/s3.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/text.h"
#include "base/urlcode.h"

#define MAX_META     8
#define PUT_BODY_MAX (1u << 20) /* PutObject answers are short; bound them anyway */

/* Host (NULL: the endpoint's) and path of bucket/key on @p ep: virtual-hosted on AWS, path
 * style for dotted bucket names (they break the wildcard TLS certificate, as the SDKs know)
 * and on a configured endpoint. */
static int object_target(const struct aws_endpoint *ep, const char *region, const char *bucket,
                         const char *key, char **host, char **path) {
    *host = NULL;
    *path = NULL;
    if (!region || !bucket || !key || !*bucket) {
        return -1;
    }
    char *ekey = urlcode_encode(key, true);
    char *ebucket = urlcode_encode(bucket, false);
    if (ekey && ebucket && !ep->custom && !strchr(bucket, '.')) {
        *host = text_printf("%s.s3.%s.%s", ebucket, region, aws_endpoint_dns_suffix(region));
        *path = *host ? text_printf("/%s", ekey) : NULL;
    } else if (ekey && ebucket) {
        *path = text_printf("/%s/%s", ebucket, ekey);
    }
    free(ekey);
    free(ebucket);
    if (!*path) {
        free(*host);
        *host = NULL;
        return -1;
    }
    return 0;
}

int s3_object_address(const char *endpoint_url, const char *region, const char *bucket,
                      const char *key, struct aws_address *out) {
    struct aws_endpoint ep;
    char *host = NULL, *path = NULL;
    int rc = -1;
    memset(out, 0, sizeof *out);
    if (!region || aws_endpoint_init(&ep, endpoint_url, S3_SERVICE, region) != 0) {
        return -1;
    }
    if (object_target(&ep, region, bucket, key, &host, &path) == 0) {
        rc = aws_address_init(out, &ep, host, path, NULL);
    }
    free(host);
    free(path);
    aws_endpoint_free(&ep);
    return rc;
}

void s3_object_free(struct s3_object *obj) {
    if (!obj) {
        return;
    }
    free(obj->data);
    memset(obj, 0, sizeof *obj);
}

/* Send @p r to bucket/key; on a bad address a permanent InvalidRequest. */
static enum aws_status send_object(struct aws_client *c, struct aws_request *r, const char *bucket,
                                   const char *key, struct http_response *resp,
                                   struct aws_error *e) {
    char *host = NULL, *path = NULL;
    if (object_target(aws_client_endpoint(c), aws_client_region(c), bucket, key, &host, &path) !=
        0) {
        memset(resp, 0, sizeof *resp);
        aws_error_set(e, 0, "InvalidRequest", "cannot build the object URL");
        return AWS_ERR_PERMANENT;
    }
    r->host = host;
    r->path = path;
    enum aws_status st = aws_send(c, r, resp, e);
    free(host);
    free(path);
    return st;
}

/* Content-Type, x-amz-version-id and Last-Modified (an RFC 7231 IMF-fixdate) of the last
 * response into @p obj. */
static void read_object_headers(struct aws_client *c, struct s3_object *obj) {
    char date[64];
    struct tm tm;
    aws_response_header(c, "Content-Type", obj->content_type, sizeof obj->content_type);
    aws_response_header(c, "x-amz-version-id", obj->version_id, sizeof obj->version_id);
    memset(&tm, 0, sizeof tm);
    if (aws_response_header(c, "Last-Modified", date, sizeof date)) {
        const char *end = strptime(date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        obj->last_modified = end != NULL ? (int64_t)timegm(&tm) : 0;
    }
}

enum aws_status s3_get_object(struct aws_client *c, const char *bucket, const char *key,
                              uint64_t max_bytes, struct s3_object *obj, struct aws_error *e) {
    struct http_response resp;
    struct aws_request r = {.method = "GET", .max_body = max_bytes};
    memset(obj, 0, sizeof *obj);
    if (e) {
        memset(e, 0, sizeof *e);
    }
    enum aws_status st = send_object(c, &r, bucket, key, &resp, e);
    if (st == AWS_ERR_TOO_LARGE && e) {
        text_copy(e->code, sizeof e->code, "ObjectTooLarge");
    }
    if (st == AWS_OK) {
        obj->data = (uint8_t *)resp.body;
        obj->size = resp.body_len;
        resp.body = NULL;
        char etag[sizeof obj->etag + 2];
        if (aws_response_header(c, "ETag", etag, sizeof etag)) {
            size_t n = strlen(etag);
            bool quoted = n >= 2 && etag[0] == '"' && etag[n - 1] == '"';
            text_copyn(obj->etag, sizeof obj->etag, etag + quoted, n - 2 * quoted);
        }
        read_object_headers(c, obj);
    }
    http_response_free(&resp);
    return st;
}

/* Why PutObject must not be tried with these arguments, or NULL. */
static const char *put_refusal(const void *data, size_t size, const struct s3_meta *meta,
                               size_t n_meta) {
    if (!data || size == 0) {
        return "refusing to write an empty object"; /* never write an empty object */
    }
    if (n_meta > MAX_META) {
        return "too many metadata entries";
    }
    for (size_t i = 0; i < n_meta; i++) {
        for (const char *p = meta[i].value; *p; p++) {
            if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f) {
                return "metadata value is not printable ASCII";
            }
        }
    }
    return NULL;
}

enum aws_status s3_put_object(struct aws_client *c, const char *bucket, const char *key,
                              const void *data, size_t size, const char *content_type,
                              const struct s3_meta *meta, size_t n_meta, struct aws_error *e) {
    return s3_put_object_extra(c, bucket, key, data, size, content_type, meta, n_meta, NULL, e);
}

enum aws_status s3_put_object_extra(struct aws_client *c, const char *bucket, const char *key,
                                    const void *data, size_t size, const char *content_type,
                                    const struct s3_meta *meta, size_t n_meta,
                                    const struct s3_put_extra *extra, struct aws_error *e) {
    struct http_response resp;
    char names[MAX_META][80];
    struct sigv4_header headers[MAX_META + 2];
    size_t nh = 0;
    if (e) {
        memset(e, 0, sizeof *e);
    }
    const char *refusal = put_refusal(data, size, meta, n_meta);
    if (refusal) {
        aws_error_set(e, 0, "InvalidRequest", refusal);
        return AWS_ERR_PERMANENT;
    }
    if (content_type) {
        headers[nh++] = (struct sigv4_header){"content-type", content_type};
    }
    if (extra && extra->cache_control) {
        headers[nh++] = (struct sigv4_header){"cache-control", extra->cache_control};
    }
    for (size_t i = 0; i < n_meta; i++) {
        snprintf(names[i], sizeof names[i], "x-amz-meta-%s", meta[i].name);
        headers[nh++] = (struct sigv4_header){names[i], meta[i].value};
    }
    struct aws_request r = {.method = "PUT",
                            .headers = headers,
                            .n_headers = nh,
                            .body = data,
                            .body_len = size,
                            .max_body = PUT_BODY_MAX};
    enum aws_status st = send_object(c, &r, bucket, key, &resp, e);
    http_response_free(&resp);
    return st;
}

int s3_presign(const struct aws_client *c, const char *method, const char *bucket, const char *key,
               const char *content_type, unsigned expires_seconds, int64_t when, char **url) {
    char *host = NULL, *path = NULL;
    *url = NULL;
    if (object_target(aws_client_endpoint(c), aws_client_region(c), bucket, key, &host, &path) !=
        0) {
        return -1;
    }
    const struct sigv4_header ct = {"content-type", content_type};
    int rc = aws_presign(c, method, host, path, content_type ? &ct : NULL, content_type ? 1 : 0,
                         expires_seconds, when, url);
    free(host);
    free(path);
    return rc;
}
