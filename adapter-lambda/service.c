/* service.c — record, archive and notification steps of a job (see service.h). */
#include "service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "base/text.h"
#include "keymap.h"
#include "notify.h"
#include "tk_clock.h"

bool service_claim(struct handler *h, struct job_run *r, const char *request_id) {
    struct aws_error e;
    bool go = false;
    char why[256], what[320];
    if (h->ddb == NULL) {
        return true;
    }
    enum aws_status st = record_claim(h->ddb, h->cfg->metadata_table, r->job, request_id,
                                      tk_clock_wall_ms(), &go, why, sizeof why, &e);
    if (st != AWS_OK) {
        snprintf(what, sizeof what, "DynamoDB UpdateItem (claim) %s", h->cfg->metadata_table);
        job_aws_failed(r, st, &e, what);
        return false;
    }
    if (!go) {
        job_set_outcome(r, JOB_SKIPPED, "duplicate", why);
    }
    return go;
}

bool service_archive(struct handler *h, struct job_run *r, const struct s3_object *obj,
                     struct record_archive *out, char **key_out) {
    const struct config *cfg = h->cfg;
    const struct event_job *j = r->job;
    struct archive_zip zip;
    struct aws_error e;
    char err[256], what[1200];
    *key_out = NULL;
    if (cfg->archive_prefix == NULL) {
        return true;
    }
    const char *bucket = cfg->archive_bucket ? cfg->archive_bucket : j->bucket;
    if (keymap_archive_key(cfg, j->key, key_out) != 0) {
        job_set_outcome(r, JOB_FAILED_PERMANENT, "InvalidKey",
                        "cannot build the archive key (longer than 1024 bytes?)");
        return false;
    }
    double t0 = tk_clock_mono_ms();
    if (archive_zip_one(obj->data, obj->size, archive_entry_name(j->key), obj->last_modified, &zip,
                        err, sizeof err) != 0) {
        job_set_outcome(r, JOB_FAILED_TRANSIENT, "ArchiveFailed", "");
        job_set_message(r, "zip archive: %s", err);
        return false;
    }
    double t_zip = tk_clock_mono_ms() - t0;
    enum aws_status st =
        s3_put_object(h->s3, bucket, *key_out, zip.data, zip.size, "application/zip", NULL, 0, &e);
    if (st != AWS_OK) {
        snprintf(what, sizeof what, "PutObject s3://%s/%s", bucket, *key_out);
        job_aws_failed(r, st, &e, what);
        archive_free(&zip);
        return false;
    }
    *out = (struct record_archive){bucket, *key_out, zip.size};
    /* Honest ratio: JPEGs are already compressed and barely shrink. */
    struct log_field f[] = {
        LOG_F_STR("key", j->key),
        LOG_F_STR("archiveBucket", bucket),
        LOG_F_STR("archiveKey", *key_out),
        LOG_F_INT("sourceBytes", obj->size),
        LOG_F_INT("zipBytes", zip.size),
        LOG_F_NUM("ratio", obj->size ? (double)zip.size / (double)obj->size : 0.0),
        LOG_F_NUM("zipMs", t_zip),
        LOG_F_NUM("totalMs", tk_clock_mono_ms() - t0),
    };
    log_write(h->log, LOG_LEVEL_INFO, "archive written", f, sizeof f / sizeof f[0]);
    archive_free(&zip);
    return true;
}

/* A later step failed: a job that had already failed permanently keeps its first reason
 * (the later failure is appended) unless the later one is transient and so asks for a retry. */
static void later_failure(struct job_run *r, enum aws_status st, const struct aws_error *e,
                          const char *what) {
    if (r->outcome != JOB_FAILED_PERMANENT) {
        job_aws_failed(r, st, e, what);
        return;
    }
    struct job_run first = *r;
    job_aws_failed(r, st, e, what);
    if (r->outcome == JOB_FAILED_PERMANENT) {
        char later[sizeof r->message];
        text_copy(later, sizeof later, r->message);
        job_set_outcome(r, JOB_FAILED_PERMANENT, first.code_buf, "");
        job_set_message(r, "%s (then %s)", first.message, later);
    }
}

static const char *status_of(enum job_outcome o) {
    return o == JOB_OK ? "processed" : o == JOB_SKIPPED ? "skipped" : "failed";
}

/* Send the SNS message of @p facts; then clear notifyPending. */
static void notify(struct handler *h, struct job_run *r, const cJSON *facts) {
    struct aws_error e;
    char id[96], what[640];
    enum aws_status st = notify_publish(h->sns, h->cfg->notify_topic_arn, facts, id, &e);
    if (st != AWS_OK) {
        snprintf(what, sizeof what, "SNS Publish %s", h->cfg->notify_topic_arn);
        later_failure(r, st, &e, what);
        return;
    }
    struct log_field f[] = {LOG_F_STR("key", r->job->key), LOG_F_STR("messageId", id)};
    log_write(h->log, LOG_LEVEL_DEBUG, "notification sent", f, 2);
    if (h->ddb && record_notified(h->ddb, h->cfg->metadata_table, r->job, &e) != AWS_OK) {
        /* The message went out; the flag stays and a duplicate event may send it again. */
        aws_error_format(&e, what, sizeof what);
        struct log_field w[] = {LOG_F_STR("key", r->job->key), LOG_F_STR("error", what)};
        log_write(h->log, LOG_LEVEL_WARN, "notifyPending not cleared", w, 2);
    }
}

void service_conclude(struct handler *h, struct job_run *r, const struct service_result *res) {
    struct aws_error e;
    char what[320];
    if ((h->ddb == NULL && h->sns == NULL) || r->outcome == JOB_FAILED_TRANSIENT) {
        return;
    }
    const char *status = status_of(r->outcome);
    bool tell = h->sns != NULL && r->outcome != JOB_SKIPPED;
    struct record_input in = {
        .cfg = h->cfg,
        .job = r->job,
        .status = status,
        .reason = r->outcome == JOB_OK ? NULL : r->message,
        .reason_code = r->code,
        .obj = res->obj,
        .tr = r->outcome == JOB_OK ? res->tr : NULL,
        .thumb_keys = res->thumb_keys,
        .archive = res->archive,
        .processing_ms = tk_clock_mono_ms() - r->t0,
        .request_id = res->request_id,
        .now_ms = tk_clock_wall_ms(),
    };
    if (in.tr == NULL && res->tr != NULL && res->tr->source_width) {
        in.tr = res->tr; /* failed after decoding: still say what the image was */
        in.thumb_keys = NULL;
    }
    cJSON *facts = record_facts(&in);
    if (facts == NULL) {
        job_set_outcome(r, JOB_FAILED_TRANSIENT, "no_memory", "out of memory building the record");
        return;
    }
    bool superseded = false;
    enum aws_status st =
        h->ddb ? record_finish(h->ddb, h->cfg->metadata_table, r->job, facts, tell, &superseded, &e)
               : AWS_OK;
    if (st != AWS_OK) {
        snprintf(what, sizeof what, "DynamoDB UpdateItem %s", h->cfg->metadata_table);
        later_failure(r, st, &e, what);
    } else if (superseded) {
        job_set_outcome(r, JOB_SKIPPED, "superseded",
                        "a newer event for this key took the record while this one ran");
    } else if (tell) {
        notify(h, r, facts);
    }
    cJSON_Delete(facts);
}
