/*
 * service.h — the image-service steps of a job, around the thumbnail itself (handler.h):
 *
 *   claim the DynamoDB record (record.h)  -> GET -> zip archive (archive.h) -> thumbnails
 *   -> finish the record -> SNS message (notify.h) -> clear notifyPending
 *
 * Each step is off when its variable is unset. A step's AWS failure follows the S3 rules:
 * transient -> the job fails transiently (retried), permanent -> it fails permanently.
 * Thread-safety: as the handler's.
 */
#ifndef TK_LAMBDA_SERVICE_H
#define TK_LAMBDA_SERVICE_H

#include <stdbool.h>

#include "aws/s3.h"
#include "handler.h"
#include "job.h"
#include "record.h"
#include "thumbkit.h"

/** What a job produced, for service_conclude(). */
struct service_result {
    const struct s3_object *obj;          /**< the source, or NULL when not downloaded */
    const struct tk_result *tr;           /**< thumbnails made (with thumb_keys), or NULL */
    char *const *thumb_keys;              /**< destination keys of tr's thumbnails */
    const struct record_archive *archive; /**< the archive written, or NULL */
    const char *request_id;
};

/**
 * Claim the record of @p r's job (METADATA_TABLE set), before anything is read or written.
 * @return true to go on; false when the job is over (outcome set: skipped as a duplicate or
 *         older event, or failed as DynamoDB failed)
 */
bool service_claim(struct handler *h, struct job_run *r, const char *request_id);

/**
 * Zip @p obj into the archive (ARCHIVE_PREFIX set).
 * @param out  filled when an archive was written (its key is malloc'd into *key_out)
 * @return true on success or when off; false when the job failed (outcome set)
 */
bool service_archive(struct handler *h, struct job_run *r, const struct s3_object *obj,
                     struct record_archive *out, char **key_out);

/**
 * The job's image outcome is known (ok, skipped or failed permanently; a transient failure
 * leaves the record as it is): write the record and send the SNS message. The outcome
 * becomes a failure when these do, and "skipped" (superseded) when a newer event holds the
 * record.
 */
void service_conclude(struct handler *h, struct job_run *r, const struct service_result *res);

#endif /* TK_LAMBDA_SERVICE_H */
