/*
 * handler.h — one invocation: parse the event, make and store each thumbnail,
 * log, count, and decide what to answer the Runtime API.
 *
 * Per job: skip reason -> skipped; keymap_filter (recursion guard, extension,
 * size cap) -> skipped or refused; S3 GET (byte limit); tk_thumbnail, which decides the
 * formats (TK_ERR_NOT_AN_IMAGE -> skipped); S3 PUT of the complete thumbnail only. Outcomes:
 *   not an image, filtered            -> JOB_SKIPPED (logged)
 *   corrupt, unsupported, too large,
 *   S3 4xx (NoSuchKey, AccessDenied)  -> JOB_FAILED_PERMANENT (logged, counted, not retried)
 *   S3 5xx/throttling/connection,
 *   deadline reached                  -> JOB_FAILED_TRANSIENT (retried by Lambda / SQS)
 * With the image service on (service.h): the DynamoDB record is claimed before the GET and
 * finished after the PUTs, the zip archive is written after the GET, the SNS message after
 * the record. API Gateway events are answered by the HTTP API (api.h) instead.
 * One EMF line per invocation (METRIC_MODE emf, both) and one PutMetricData call (api,
 * both). A non-batch event with a transient failure makes the invocation fail (so Lambda
 * retries); SQS and Batch Operations report per item.
 *
 * Thread-safety: a struct handler belongs to one thread at a time.
 */
#ifndef TK_LAMBDA_HANDLER_H
#define TK_LAMBDA_HANDLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "log.h"
#include "aws/request.h"
#include "metrics.h"

/** Everything one invocation needs; owned by the caller, set up once at cold start. */
struct handler {
    const struct config *cfg; /**< loaded configuration */
    struct aws_client *s3;    /**< client of service "s3" (source and destination buckets) */
    struct aws_client *ddb;   /**< DynamoDB (METADATA_TABLE), NULL when off */
    struct aws_client *sns;   /**< SNS (NOTIFY_TOPIC_ARN), NULL when off */
    struct aws_client *cw;    /**< CloudWatch (METRIC_MODE api or both), NULL when off */
    struct log_ctx *log;      /**< JSON log lines */
    FILE *metrics_out;        /**< where the EMF line goes (NULL: stdout) */
};

/** What to tell the Runtime API about one invocation. Free with handler_result_free(). */
struct handler_result {
    bool failed;         /**< true: POST /error; false: POST /response with `response` */
    char *response;      /**< malloc'd JSON response (when !failed) */
    char error_type[64]; /**< when failed */
    char error_message[2560];
    struct metrics counts; /**< what the EMF line reported */
};

/**
 * Handle one invocation payload @p event (@p len bytes).
 * @param request_id  for logs and the EMF line (NULL/"" allowed)
 * @param deadline_ms epoch ms after which no new job is started and S3 retries stop (0: none)
 * @param trace_id    X-Ray trace header sent on S3 calls as X-Amzn-Trace-Id (NULL/"": none)
 * @param res         overwritten; release with handler_result_free()
 * @return 0; -1 only when memory runs out before a result could be built
 */
int handler_invoke(struct handler *h, const char *event, size_t len, const char *request_id,
                   int64_t deadline_ms, const char *trace_id, struct handler_result *res);

/** Free the response of @p res and zero it. */
void handler_result_free(struct handler_result *res);

#endif /* TK_LAMBDA_HANDLER_H */
