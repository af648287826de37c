/*
 * query.h — AWS's query protocol (SNS, CloudWatch, STS) on the signed request helper:
 * POST / with an application/x-www-form-urlencoded body Action=...&Version=...&Name=value.
 *
 * A body is built pair by pair (names and values percent-encoded with the adapter's one
 * encoder), then sent with aws_query_send(); the XML answer is returned as is.
 * Thread-safety: a struct aws_query belongs to one thread at a time.
 */
#ifndef TK_LAMBDA_AWS_QUERY_H
#define TK_LAMBDA_AWS_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/request.h"

/** A form body being built; zero-initialise, then aws_query_add(), then aws_query_free(). */
struct aws_query {
    char *text; /**< "Action=Publish&Version=..." (malloc'd) */
    size_t len, cap;
    bool oom; /**< an allocation failed: aws_query_send() refuses the body */
};

/** Append NAME=VALUE (printf-formatted name), both percent-encoded. */
void aws_query_add(struct aws_query *q, const char *value, const char *name_fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Free the body of @p q and zero it. */
void aws_query_free(struct aws_query *q);

/**
 * POST the body of @p q to client @p c's endpoint.
 * @param resp  overwritten; on AWS_OK the 2xx response (free with http_response_free())
 * @return AWS_OK or the failure class
 */
enum aws_status aws_query_send(struct aws_client *c, const struct aws_query *q,
                               struct http_response *resp, struct aws_error *e);

#endif /* TK_LAMBDA_AWS_QUERY_H */
