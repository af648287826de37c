/*
 * record.h — the image's record in DynamoDB (METADATA_TABLE), keyed by ImageID = the source
 * object key: what the source was, what the engine found, which thumbnails were written,
 * the status (processing, processed, failed, skipped) with its reason, the processing time,
 * the request id, and created/updated timestamps.
 *
 * At least once, in any order. S3 delivers each event at least once and not in order; its
 * "sequencer" (hex, compared after left-padding with zeros: S3's rule, event_sequencer())
 * orders the events of one key; the thumbnails are ordered by the same sequencer (publish.h).
 * Every record write is an UpdateItem with a condition expression:
 *
 *  1. claim (before anything is read or written in S3), condition
 *       attribute_not_exists(ImageID) OR attribute_not_exists(sequencer) OR sequencer < :seq
 *       OR (sequencer = :seq AND (#status = :processing OR attribute_exists(notifyPending)))
 *     sets status processing, the sequencer, requestId, updatedAt, createdAt (first time).
 *     When it does not hold, the event is a duplicate of one already done, or older than the
 *     one recorded: the job is skipped and nothing is written.
 *  2. finish (after the thumbnails), condition sequencer = :seq: every fact, the final
 *     status, and notifyPending when an SNS message is still to be sent. When it does not
 *     hold, a newer event claimed the key meanwhile: the job is reported superseded.
 *  3. after the SNS message: REMOVE notifyPending (same condition).
 *
 * A crash or a transient failure between 1 and 2 leaves status processing with our
 * sequencer: the retry passes the claim (same sequencer, still processing) and redoes the
 * work. A record is never "processed" before its thumbnails exist, and a job is reported
 * processed only after its record says so. Events without a sequencer (direct invoke, Batch
 * Operations) are not ordered: they always proceed and keep the stored sequencer.
 *
 * Thread-safety: reentrant; the client belongs to one thread at a time.
 */
#ifndef TK_LAMBDA_RECORD_H
#define TK_LAMBDA_RECORD_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aws/request.h"
#include "aws/s3.h"
#include "config.h"
#include "events/event.h"
#include "thumbkit.h"

/** The archive of a job, for the record. */
struct record_archive {
    const char *bucket, *key;
    uint64_t bytes;
};

/** What a job did, for record_facts(). NULL members are left out of the record. */
struct record_input {
    const struct config *cfg;
    const struct event_job *job;
    const char *status;                   /**< "processed", "failed" or "skipped" */
    const char *reason;                   /**< why failed or skipped (NULL when processed) */
    const char *reason_code;              /**< its stable code ("corrupt", "NoSuchKey", ...) */
    const struct s3_object *obj;          /**< the downloaded source, or NULL */
    const struct tk_result *tr;           /**< the thumbnails made, or NULL */
    char *const *thumb_keys;              /**< tr->n_thumbs destination keys (with tr) */
    const struct record_archive *archive; /**< or NULL */
    double processing_ms;
    const char *request_id;
    int64_t now_ms; /**< updatedAt */
};

/**
 * The facts of a job as plain JSON (camelCase): imageId, status, reason, reasonCode, source
 * {bucket, key, versionId, etag, bytes, contentType, lastModified}, image {format, width, height,
 * uprightWidth, uprightHeight, orientation}, thumbnails [{size, bucket, key, width, height,
 * bytes, format}], archive {bucket, key, bytes}, processingMs, requestId, sequencer,
 * updatedAt. The same object is the SNS message and (plus createdAt) the API's view.
 * @return a new object (cJSON_Delete()), or NULL when memory runs out
 */
cJSON *record_facts(const struct record_input *in);

/**
 * Step 1: claim the record of @p job for this event.
 * @param go   true: proceed; false: duplicate or older event (reason in @p why)
 * @return AWS_OK (see @p go) or the failure class (transient: retry; permanent: e.g. no
 *         such table, access denied)
 */
enum aws_status record_claim(struct aws_client *ddb, const char *table, const struct event_job *job,
                             const char *request_id, int64_t now_ms, bool *go, char *why,
                             size_t whylen, struct aws_error *e);

/**
 * Step 2: write the facts @p facts (record_facts()) with their final status.
 * @param notify_pending  set notifyPending (an SNS message is still to be sent)
 * @param superseded      true when a newer event holds the record (nothing written)
 * @return AWS_OK (see @p superseded) or the failure class
 */
enum aws_status record_finish(struct aws_client *ddb, const char *table,
                              const struct event_job *job, const cJSON *facts, bool notify_pending,
                              bool *superseded, struct aws_error *e);

/** Step 3: the SNS message was sent: REMOVE notifyPending. @return AWS_OK or the failure class */
enum aws_status record_notified(struct aws_client *ddb, const char *table,
                                const struct event_job *job, struct aws_error *e);

/**
 * GetItem (consistent read) of @p image_id.
 * @param out  receives the record as plain JSON (imageId, ...), or NULL when there is none
 * @return AWS_OK or the failure class
 */
enum aws_status record_get(struct aws_client *ddb, const char *table, const char *image_id,
                           cJSON **out, struct aws_error *e);

/**
 * One page of a Scan: up to @p limit records after @p start_id (NULL: from the start).
 * @param items    receives a JSON array of records (plain JSON)
 * @param next_id  receives a malloc'd ImageID to continue after, or NULL at the end
 * @return AWS_OK or the failure class
 */
enum aws_status record_list(struct aws_client *ddb, const char *table, unsigned limit,
                            const char *start_id, cJSON **items, char **next_id,
                            struct aws_error *e);

#endif /* TK_LAMBDA_RECORD_H */
