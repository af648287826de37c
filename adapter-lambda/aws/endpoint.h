/*
 * endpoint.h — where an AWS service is reached: the SDKs' endpoint convention.
 *
 * As in every AWS SDK, AWS_ENDPOINT_URL_<SERVICE> (the service id upper-cased, e.g.
 * AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_DYNAMODB) overrides AWS_ENDPOINT_URL, which
 * overrides the service's AWS endpoint https://<service>.<region>.amazonaws.com
 * (amazonaws.com.cn in the cn- regions). A configured endpoint is a local stand-in such as
 * moto: S3 then uses path-style addressing.
 *
 * Thread-safety: reentrant.
 */
#ifndef TK_LAMBDA_AWS_ENDPOINT_H
#define TK_LAMBDA_AWS_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/env.h"

/**
 * The endpoint URL configured for @p service_id ("S3", "DYNAMODB", ...): the value of
 * AWS_ENDPOINT_URL_<service_id>, else of AWS_ENDPOINT_URL, validated (http:// or https://
 * and a host, no white space or control characters) and without trailing '/'.
 * @param url  receives a malloc'd URL (free()), or NULL when neither variable is set
 * @param err  receives e.g. "AWS_ENDPOINT_URL_S3='x' is invalid: expected http://host[:port]
 *             or https://host[:port]"
 * @return 0, or -1 on an invalid value or when memory runs out
 */
int aws_endpoint_from_env(const struct env *env, const char *service_id, char **url, char *err,
                          size_t errlen);

/** Where requests go; from aws_endpoint_init(). Strings malloc'd. */
struct aws_endpoint {
    char *origin; /**< "https://host[:port]": scheme and authority */
    char *host;   /**< "host[:port]": the Host header */
    char *base;   /**< "" or the configured URL's path ("/base"), without trailing '/' */
    bool custom;  /**< true when configured (not AWS's own endpoint) */
};

/**
 * Resolve the endpoint of @p service in @p region: @p url when not NULL (as returned by
 * aws_endpoint_from_env()), else AWS's https://<service>.<region>.amazonaws.com[.cn].
 * @return 0, or -1 on a URL without scheme or host, or when memory runs out
 */
int aws_endpoint_init(struct aws_endpoint *ep, const char *url, const char *service,
                      const char *region);

/** @return the DNS suffix of @p region: "amazonaws.com.cn" in cn- regions, else
 *  "amazonaws.com". */
const char *aws_endpoint_dns_suffix(const char *region);

/** Free the strings of @p ep and zero it. */
void aws_endpoint_free(struct aws_endpoint *ep);

/** Where one request goes; from aws_address_init(). Strings malloc'd. */
struct aws_address {
    char *url;  /**< full URL as sent */
    char *host; /**< Host header value (signed) */
    char *path; /**< encoded path as sent and signed */
};

/**
 * The address of a request to @p ep: with @p host NULL, the endpoint's origin, host and base
 * path; else https://@p host (S3's virtual-hosted buckets). Then @p path (percent-encoded;
 * NULL: "/") and, when not NULL or empty, '?' @p query.
 * @return 0, or -1 when memory runs out
 */
int aws_address_init(struct aws_address *a, const struct aws_endpoint *ep, const char *host,
                     const char *path, const char *query);

/** Free the strings of @p a and zero it. */
void aws_address_free(struct aws_address *a);

#endif /* TK_LAMBDA_AWS_ENDPOINT_H */
