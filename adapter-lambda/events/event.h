/*
 * event.h — turn a Lambda invocation payload into thumbnail jobs, and build
 * the invocation response from their outcomes.
 *
 * Shapes understood (the payload is inspected, never trusted):
 *   - S3 notification            {"Records":[{"eventSource":"aws:s3",...}]}
 *   - SQS                        {"Records":[{"eventSource":"aws:sqs","body":...}]}, where each
 *                                body is an S3 notification, an SNS notification wrapping one,
 *                                an EventBridge S3 event, or anything else (skipped)
 *   - SNS                        {"Records":[{"EventSource":"aws:sns","Sns":{"Message":...}}]}
 *   - EventBridge                {"source":"aws.s3","detail-type":"Object Created","detail":...}
 *   - S3 Batch Operations        {"invocationSchemaVersion":"1.0"|"2.0","tasks":[...]}
 *   - direct invoke              {"bucket":"...","key":"..."}
 * Keys are decoded exactly once: S3 notifications and Batch Operations keys are
 * form-URL-encoded (urlcode_form_decode); EventBridge and direct-invoke keys are
 * taken literally.
 *
 * Thread-safety: reentrant; a struct event_batch belongs to one thread at a time.
 */
#ifndef TK_LAMBDA_EVENTS_EVENT_H
#define TK_LAMBDA_EVENTS_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Where an invocation came from (the outermost envelope). */
enum event_source {
    EVENT_S3,          /**< S3 event notification, invoked directly by S3 */
    EVENT_SQS,         /**< SQS batch (body: S3, SNS(S3), EventBridge(S3) or other) */
    EVENT_SNS,         /**< SNS notification (Message: S3 notification or other) */
    EVENT_EVENTBRIDGE, /**< EventBridge event from source "aws.s3" */
    EVENT_BATCH,       /**< S3 Batch Operations task list, schema 1.0 or 2.0 */
    EVENT_DIRECT,      /**< {"bucket": "...", "key": "..."} */
    EVENT_API,         /**< API Gateway HTTP API request (apigw.h): no jobs */
    EVENT_UNKNOWN,     /**< valid JSON of a shape we do not handle: no jobs */
};

/** What became of one job; the handler fills one per job for event_response(). */
enum job_outcome {
    JOB_OK,               /**< thumbnail written */
    JOB_SKIPPED,          /**< deliberately not processed (filter, skip_reason) */
    JOB_FAILED_PERMANENT, /**< will never succeed (corrupt, too large, ...): do not retry */
    JOB_FAILED_TRANSIENT, /**< may succeed later (S3 5xx, throttling): ask for a retry */
};

/** One object to make a thumbnail of. All strings are owned by the batch. */
struct event_job {
    char *bucket;     /**< source bucket; NULL only when skip_reason is set */
    char *key;        /**< decoded key (UTF-8 bytes); NULL only when skip_reason is set */
    uint64_t size;    /**< object size from the event; 0 when unknown */
    char *etag;       /**< ETag from the event (no quotes) or NULL */
    char *version_id; /**< version id or NULL */
    char *sequencer;  /**< S3's "sequencer" (order of events on one key) or NULL */
    char *event_name; /**< e.g. "ObjectCreated:Put", "Object Created"; NULL if none */
    char *item_id;    /**< SQS messageId (batchItemFailures) or Batch Ops taskId; else NULL */
    const char *skip_reason; /**< static text; non-NULL: do not process (and count as skipped) */
    bool malformed;          /**< with skip_reason: the record itself is broken (no key, bad
                                  encoding); report JOB_FAILED_PERMANENT rather than JOB_SKIPPED */
};

/** A parsed invocation; the jobs of one SQS message are contiguous. Zero-initialise or let
 *  event_parse() fill it; free with event_batch_free(). */
struct event_batch {
    enum event_source source; /**< outermost envelope */
    struct event_job *jobs;   /**< n_jobs entries, in event order */
    size_t n_jobs;
    char *invocation_id;  /**< Batch Operations invocationId, else NULL */
    char *schema_version; /**< Batch Operations invocationSchemaVersion ("1.0"/"2.0"), else NULL */
    char *job_id;         /**< Batch Operations job.id, else NULL */
};

/** @return a stable lower-case name for @p s ("s3", "sqs", "sns", "eventbridge", "batch",
 *  "direct", "api", "unknown"), for logs. */
const char *event_source_name(enum event_source s);

/** @return a stable name for @p o ("ok", "skipped", "failed_permanent", "failed_transient"). */
const char *event_outcome_name(enum job_outcome o);

/** Width of a normalised sequencer: hex digits, upper case, left-padded with zeros. */
#define EVENT_SEQUENCER_LEN 32

/**
 * Normalise S3's sequencer @p s (event_job.sequencer): up to EVENT_SEQUENCER_LEN hex digits,
 * upper-cased and left-padded with '0' into @p out, so that two normalised sequencers of one
 * key compare as strings in event order (S3's rule). The one form every ordered write uses:
 * the DynamoDB record (record.h) and the thumbnail's metadata (publish.h).
 * @return false (out = "") when @p s is NULL, empty, too long or not hex
 */
bool event_sequencer(const char *s, char out[EVENT_SEQUENCER_LEN + 1]);

/**
 * Parse the invocation payload @p json (@p len bytes, need not be NUL-terminated).
 *
 * Valid JSON of an unknown shape is not an error: it gives source EVENT_UNKNOWN
 * and no jobs. Records that are recognised but must not be processed (ObjectRemoved,
 * s3:TestEvent, a plain-text SQS body, an undecodable key, ...) become jobs with
 * skip_reason set, so SQS message ids and Batch Operations task ids are kept.
 *
 * @param out   overwritten (not freed) on entry; on failure left empty (safe to free)
 * @param err   receives a one-line reason on failure (may be NULL if errlen is 0)
 * @return 0 on success; -1 when @p json is not valid JSON or memory runs out
 */
int event_parse(const char *json, size_t len, struct event_batch *out, char *err, size_t errlen);

/**
 * Build the JSON response for the invocation, given one outcome per job.
 *
 *  - EVENT_SQS:   {"batchItemFailures":[{"itemIdentifier":"<messageId>"},...]} listing each
 *                 message with at least one JOB_FAILED_TRANSIENT job (once, in event order).
 *                 Permanent failures are not listed: retrying cannot help.
 *  - EVENT_BATCH: {"invocationSchemaVersion":..,"treatMissingKeysAs":"PermanentFailure",
 *                 "invocationId":..,"results":[{"taskId":..,"resultCode":..,"resultString":..}]}
 *                 with resultCode Succeeded (ok, skipped), TemporaryFailure (transient) or
 *                 PermanentFailure (permanent).
 *  - otherwise:   {"processed":n,"skipped":n,"failed":n}
 *
 * @param outcomes  b->n_jobs entries (may be NULL when n_jobs is 0)
 * @param messages  NULL, or b->n_jobs entries each NULL or a short text used as the
 *                  Batch Operations resultString (default: the outcome or skip reason)
 * @return a malloc'd NUL-terminated JSON string (free()), or NULL when memory runs out
 */
char *event_response(const struct event_batch *b, const enum job_outcome *outcomes,
                     const char *const *messages);

/**
 * Whether the invocation as a whole must fail (/error) so Lambda retries it: true when
 * the source reports per-item results neither via SQS batchItemFailures nor via Batch
 * Operations result codes (S3, SNS, EventBridge, direct) and at least one job failed
 * transiently. Permanent failures never fail the invocation: retrying cannot help.
 * @return true to post /error instead of the event_response() body
 */
bool event_invocation_failed(const struct event_batch *b, const enum job_outcome *outcomes);

/** Free everything in @p b and reset it (no jobs, EVENT_UNKNOWN). NULL and zeroed batches
 *  are fine. */
void event_batch_free(struct event_batch *b);

#endif /* TK_LAMBDA_EVENTS_EVENT_H */
