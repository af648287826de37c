/*
 * handler.c — one invocation, job by job (see handler.h).
 */
#include "handler.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/s3.h"
#include "base/text.h"
#include "base/urlcode.h"
#include "events/event.h"
#include "job.h"
#include "keymap.h"
#include "metrics_api.h"
#include "api.h"
#include "publish.h"
#include "service.h"
#include "thumbkit.h"
#include "tk_clock.h"

/* Time a stage needs left before the deadline to start, so none starts that cannot finish
 * (Lambda kills the sandbox there, mid-PUT if need be): a whole job (GET, decode, write),
 * the decode and write of a downloaded image, and the conditional writes (HEAD + PUT per size;
 * the request helper keeps its own 500 ms reserve before the deadline). What is not started is
 * a transient failure, retried by Lambda or SQS. A typical decode takes tens of milliseconds;
 * the engine's bound on any input is 2 s of CPU (bench/hostile). */
#define JOB_MIN_MS     1500
#define DECODE_MIN_MS  1000
#define PUBLISH_MIN_MS 800

void handler_result_free(struct handler_result *res) {
    if (res) {
        free(res->response);
        memset(res, 0, sizeof *res);
    }
}

/* The log line of a job that wrote nothing: skipped (INFO), or failed (WARN when transient,
 * ERROR when permanent). */
static void job_log(struct handler *h, const struct job_run *r, uint64_t source_bytes) {
    const struct event_job *j = r->job;
    bool skipped = r->outcome == JOB_SKIPPED;
    bool transient = r->outcome == JOB_FAILED_TRANSIENT;
    struct log_field f[] = {
        LOG_F_STR("bucket", j->bucket),
        LOG_F_STR("key", j->key),
        LOG_F_STR("outcome", event_outcome_name(r->outcome)),
        skipped ? LOG_F_STR("reason", r->message) : LOG_F_STR("errorCode", r->code),
        skipped ? LOG_F_STR("eventName", j->event_name) : LOG_F_STR("error", r->message),
        LOG_F_STR("code", r->code),
        LOG_F_INT("sourceBytes", source_bytes),
        LOG_F_BOOL("retryable", transient),
    };
    enum log_level level = skipped ? LOG_LEVEL_INFO : transient ? LOG_LEVEL_WARN : LOG_LEVEL_ERROR;
    log_write(h->log, level, skipped ? "object skipped" : "thumbnail failed", f, skipped ? 6 : 8);
}

/* Whether @p need_ms are left before @p deadline_ms (0: no deadline); if not, the job fails
 * transiently with code DeadlineExceeded ("<what>: too little time left ..."). */
static bool time_left(int64_t deadline_ms, int64_t need_ms, struct job_run *r, const char *what) {
    int64_t left = deadline_ms > 0 ? deadline_ms - tk_clock_wall_ms() : INT64_MAX;
    if (left >= need_ms) {
        return true;
    }
    job_set_outcome(r, JOB_FAILED_TRANSIENT, "DeadlineExceeded", "");
    job_set_message(r, "%s: %lld ms left before the invocation deadline, %lld ms needed", what,
                    (long long)left, (long long)need_ms);
    return false;
}

/* Whether the job can start: not flagged by the event, let through by the filter, and
 * time left. Otherwise sets the outcome. */
static bool job_admitted(struct handler *h, int64_t deadline_ms, struct job_run *r) {
    const struct event_job *j = r->job;
    const char *reason = NULL;
    if (j->skip_reason && j->malformed) { /* a broken record: fail it, never report success */
        job_set_outcome(r, JOB_FAILED_PERMANENT, "malformed", j->skip_reason);
    } else if (j->skip_reason) {
        job_set_outcome(r, JOB_SKIPPED, "event", j->skip_reason);
    } else {
        switch (keymap_filter(h->cfg, j->bucket, j->key, j->size, &reason)) {
        case KEYMAP_PROCESS:
            if (time_left(deadline_ms, JOB_MIN_MS, r, "not started")) {
                return true;
            }
            break;
        case KEYMAP_SKIP:
            job_set_outcome(r, JOB_SKIPPED, "filtered", reason ? reason : "filtered");
            break;
        case KEYMAP_REFUSE:
            job_set_outcome(r, JOB_FAILED_PERMANENT, "refused", reason ? reason : "refused");
            break;
        }
    }
    return false;
}

/* tk_thumbnail on the downloaded bytes: the engine decides whether they are an image and in
 * which format the thumbnails are written. False (outcome set) when it made none. */
static bool make_thumbnails(struct handler *h, const struct s3_object *obj, struct job_run *r,
                            struct tk_result *tr) {
    struct tk_options opts = h->cfg->thumb;
    uint64_t budget = h->cfg->memory_budget;
    /* The downloaded object stays in memory while the engine works. */
    opts.max_memory = budget == 0 ? 0 : budget > obj->size ? budget - obj->size : 1;
    enum tk_status ts = tk_thumbnail(obj->data, obj->size, &opts, tr);
    const char *why = tr->error[0] ? tr->error : tk_status_str(ts);
    bool complete = ts == TK_OK && tr->n_thumbs == h->cfg->n_sizes;
    for (size_t i = 0; complete && i < tr->n_thumbs; i++) {
        complete = tr->thumbs[i].data != NULL && tr->thumbs[i].size > 0;
    }
    if (ts == TK_ERR_NOT_AN_IMAGE) {
        job_set_outcome(r, JOB_SKIPPED, tk_status_name(ts), "");
        job_set_message(r, "not an image (%s)", why);
    } else if (ts == TK_ERR_UNSUPPORTED && tr->source_format == TK_FORMAT_UNKNOWN) {
        /* A format thumbkit does not read (GIF, TIFF, JPEG XL, RAW): skipped, with its name. */
        job_set_outcome(r, JOB_SKIPPED, tk_status_name(ts), "");
        job_set_message(r, "%s", why);
    } else if (!complete) {
        /* Corrupt, unsupported, too large, out of memory: the same bytes fail the same way. */
        if (ts == TK_OK) {
            ts = TK_ERR_ENCODE;
        }
        job_set_outcome(r, JOB_FAILED_PERMANENT, tk_status_name(ts), why);
    } else {
        return true;
    }
    return false;
}

/* Publish one complete thumbnail, with its source in the metadata, in event order
 * (publish.h). */
static enum aws_status put_thumbnail(struct handler *h, const struct event_job *j,
                                     const struct s3_object *obj, const struct tk_thumb *th,
                                     const char *dest_key, enum publish_outcome *done,
                                     struct aws_error *se) {
    struct publish_source src = {
        .bucket = j->bucket,
        .key = j->key,
        .etag = j->etag && *j->etag ? j->etag : obj->etag,
        .version_id = obj->version_id[0] ? obj->version_id : j->version_id,
        .sequencer = j->sequencer,
        .last_modified = obj->last_modified,
    };
    struct s3_put what = {.bucket = h->cfg->dest_bucket,
                          .key = dest_key,
                          .data = th->data,
                          .size = th->size,
                          .content_type = tk_format_mime(th->format),
                          .cache_control = h->cfg->cache_control};
    return publish_thumbnail(h->s3, &what, &src, done, se);
}

/* Every size's key, then every write. False (outcome set) at the first failure. */
static bool put_thumbnails(struct handler *h, int64_t deadline_ms, struct job_run *r,
                           const struct s3_object *obj, const struct tk_result *tr, char **keys,
                           enum publish_outcome *done, double *t_put) {
    struct aws_error se;
    char what[1200];
    for (size_t i = 0; i < tr->n_thumbs; i++) {
        if (keymap_thumb_key(h->cfg, r->job->key, i, tr->thumbs[i].format, &keys[i]) != 0) {
            job_set_outcome(r, JOB_FAILED_PERMANENT, "InvalidKey",
                            "cannot build the destination key");
            return false;
        }
    }
    double p0 = tk_clock_mono_ms();
    for (size_t i = 0; i < tr->n_thumbs; i++) {
        if (!time_left(deadline_ms, PUBLISH_MIN_MS, r, "made, not written")) {
            return false;
        }
        enum aws_status st = put_thumbnail(h, r->job, obj, &tr->thumbs[i], keys[i], &done[i], &se);
        if (st != AWS_OK) {
            snprintf(what, sizeof what, "PutObject s3://%s/%s", h->cfg->dest_bucket, keys[i]);
            job_aws_failed(r, st, &se, what);
            return false;
        }
    }
    *t_put = tk_clock_mono_ms() - p0;
    return true;
}

/* Every thumbnail of the job, for its log line: [{size, key, width, height, bytes, publish}]. */
static cJSON *thumbs_json(const struct config *cfg, const struct tk_result *tr, char **keys,
                          const enum publish_outcome *done) {
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < tr->n_thumbs; i++) {
        char label[KEYMAP_MAX_LABEL];
        keymap_size_label(cfg->sizes[i], label);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "size", label);
        cJSON_AddStringToObject(o, "key", keys[i]);
        cJSON_AddNumberToObject(o, "width", tr->thumbs[i].width);
        cJSON_AddNumberToObject(o, "height", tr->thumbs[i].height);
        cJSON_AddNumberToObject(o, "bytes", (double)tr->thumbs[i].size);
        cJSON_AddStringToObject(o, "publish", publish_outcome_name(done[i]));
    }
    return arr;
}

static void log_written(struct handler *h, const struct job_run *r, const struct s3_object *obj,
                        const struct tk_result *tr, char **keys, const enum publish_outcome *done,
                        double t_get, double t_put) {
    const struct event_job *j = r->job;
    const struct tk_thumb *th = &tr->thumbs[0];
    cJSON *thumbs = thumbs_json(h->cfg, tr, keys, done);
    size_t bytes = 0;
    for (size_t i = 0; i < tr->n_thumbs; i++) {
        bytes += tr->thumbs[i].size;
    }
    struct log_field f[] = {
        LOG_F_STR("bucket", j->bucket),
        LOG_F_STR("key", j->key),
        LOG_F_STR("destBucket", h->cfg->dest_bucket),
        LOG_F_STR("destKey", keys[0]),
        LOG_F_STR("publish", publish_outcome_name(done[0])), /* written, unchanged, superseded */
        LOG_F_STR("sourceVersionId", obj->version_id),
        LOG_F_STR("verifiedBy", obj->verified_by ? obj->verified_by : "-"),
        LOG_F_STR("sourceFormat", tk_format_name(tr->source_format)),
        LOG_F_STR("format", tk_format_name(th->format)),
        LOG_F_INT("sourceBytes", obj->size),
        LOG_F_INT("sourceWidth", tr->source_width),
        LOG_F_INT("sourceHeight", tr->source_height),
        LOG_F_INT("orientation", tr->orientation),
        LOG_F_INT("decodeScale", tr->decode_scale),
        LOG_F_INT("thumbBytes", th->size),
        LOG_F_INT("width", th->width),
        LOG_F_INT("height", th->height),
        LOG_F_INT("sizes", tr->n_thumbs),
        LOG_F_INT("totalThumbBytes", bytes),
        LOG_F_JSON("thumbnails", thumbs),
        LOG_F_STR("isa", tr->isa),
        LOG_F_NUM("getMs", t_get),
        LOG_F_NUM("decodeMs", tr->decode_ms),
        LOG_F_NUM("resampleMs", tr->resample_ms),
        LOG_F_NUM("colourMs", tr->colour_ms),
        LOG_F_NUM("encodeMs", tr->encode_ms),
        LOG_F_STR("colour", tr->colour), /* none, srgb or converted */
        LOG_F_STR("warning", tr->warning[0] != '\0' ? tr->warning : NULL), /* a profile ignored */
        LOG_F_NUM("putMs", t_put),
        LOG_F_NUM("totalMs", tk_clock_mono_ms() - r->t0),
    };
    log_write(h->log, LOG_LEVEL_INFO, "thumbnail written", f, sizeof f / sizeof f[0]);
    cJSON_Delete(thumbs);
}

static void run_job(struct handler *h, int64_t deadline_ms, const char *request_id,
                    struct job_run *r) {
    const struct event_job *j = r->job;
    const struct config *cfg = h->cfg;
    struct s3_object obj = {0};
    struct tk_result tr = {0};
    struct record_archive archive;
    char *archive_key = NULL;
    char *keys[TK_MAX_TARGETS] = {NULL};
    enum publish_outcome done[TK_MAX_TARGETS] = {PUBLISH_WRITTEN};
    struct aws_error se;
    char what[1200];
    double t_get = 0, t_put = 0;
    bool archived = false, made = false;
    r->t0 = tk_clock_mono_ms();

    if (!job_admitted(h, deadline_ms, r)) {
        /* A refused upload still gets its record and message: nobody waits for it forever. */
        if (r->outcome == JOB_FAILED_PERMANENT && j->key && !j->malformed) {
            /* service_claim() leaves the outcome alone when it lets the job go on. */
            struct job_run refused = *r;
            if (service_claim(h, r, request_id)) {
                goto conclude;
            }
            if (r->outcome == JOB_SKIPPED) { /* a duplicate of a refusal already recorded */
                *r = refused;
            }
        }
        goto log;
    }
    if (!service_claim(h, r, request_id)) {
        goto log;
    }
    double g0 = tk_clock_mono_ms();
    /* Pinned to the event's version: a late event never thumbnails a newer object. */
    struct s3_get get = {.bucket = j->bucket,
                         .key = j->key,
                         .version_id = j->version_id,
                         .expected_size = j->size,
                         .expected_etag = j->etag,
                         .max_bytes = cfg->max_input_bytes};
    enum aws_status st = s3_get_object(h->s3, &get, &obj, &se);
    t_get = tk_clock_mono_ms() - g0;
    if (st != AWS_OK) {
        snprintf(what, sizeof what, "GetObject s3://%s/%s", j->bucket, j->key);
        job_aws_failed(r, st, &se, what);
        goto conclude;
    }
    if (!time_left(deadline_ms, DECODE_MIN_MS, r, "downloaded, not decoded")) {
        goto conclude;
    }
    if (!service_archive(h, r, &obj, &archive, &archive_key)) {
        goto conclude;
    }
    archived = archive_key != NULL;
    made = make_thumbnails(h, &obj, r, &tr) &&
           put_thumbnails(h, deadline_ms, r, &obj, &tr, keys, done, &t_put);
    if (made) {
        r->outcome = JOB_OK;
        r->code = "ok";
        job_set_message(r, "s3://%s/%s", cfg->dest_bucket, keys[0]);
    }

conclude : {
    const struct service_result res = {obj.data ? &obj : NULL, &tr, keys,
                                       archived ? &archive : NULL, request_id};
    service_conclude(h, r, &res);
}
log:
    if (r->outcome == JOB_OK) {
        log_written(h, r, &obj, &tr, keys, done, t_get, t_put);
    } else {
        job_log(h, r, obj.data ? obj.size : j->size);
    }
    for (size_t i = 0; i < TK_MAX_TARGETS; i++) {
        free(keys[i]);
    }
    free(archive_key);
    tk_result_free(&tr);
    s3_object_free(&obj);
}

/* Count the outcome of @p r into @p res; remember the first transient failure. */
static void count(struct handler_result *res, size_t i, const struct job_run *r,
                  size_t *first_transient, size_t *n_transient) {
    switch (r->outcome) {
    case JOB_OK:
        res->counts.processed++;
        break;
    case JOB_SKIPPED:
        res->counts.skipped++;
        break;
    case JOB_FAILED_TRANSIENT:
        if (*first_transient == SIZE_MAX) {
            *first_transient = i;
        }
        (*n_transient)++;
        res->counts.failed++;
        break;
    case JOB_FAILED_PERMANENT:
        res->counts.failed++;
        break;
    }
}

/* The EMF line and the summary log line of the invocation. */
static void report(struct handler *h, const struct event_batch *batch, const char *request_id,
                   struct handler_result *res, double t0) {
    res->counts.processing_ms = tk_clock_mono_ms() - t0;
    uint64_t now = (uint64_t)tk_clock_wall_ms();
    if (h->cfg->metric_mode != METRIC_MODE_API) {
        metrics_write(h->metrics_out, h->cfg->metric_namespace, h->cfg->function_name, now,
                      &res->counts, request_id);
    }
    if (h->cw != NULL) {
        /* Once per invocation; a failure is logged and never fails an image. */
        struct aws_error e;
        double m0 = tk_clock_mono_ms();
        if (metrics_api_put(h->cw, h->cfg->metric_namespace, h->cfg->function_name, now,
                            &res->counts, &e) != AWS_OK) {
            char line[640];
            aws_error_format(&e, line, sizeof line);
            struct log_field w[] = {LOG_F_STR("error", line)};
            log_write(h->log, LOG_LEVEL_WARN, "PutMetricData failed", w, 1);
        } else {
            struct log_field d[] = {LOG_F_NUM("ms", tk_clock_mono_ms() - m0)};
            log_write(h->log, LOG_LEVEL_DEBUG, "PutMetricData sent", d, 1);
        }
    }
    struct log_field f[] = {
        LOG_F_STR("source", event_source_name(batch->source)),
        LOG_F_INT("jobs", batch->n_jobs),
        LOG_F_INT("processed", res->counts.processed),
        LOG_F_INT("skipped", res->counts.skipped),
        LOG_F_INT("failed", res->counts.failed),
        LOG_F_BOOL("invocationFailed", res->failed),
        LOG_F_NUM("ms", res->counts.processing_ms),
    };
    log_write(h->log, LOG_LEVEL_INFO, "invocation done", f, sizeof f / sizeof f[0]);
}

int handler_invoke(struct handler *h, const char *event, size_t len, const char *request_id,
                   int64_t deadline_ms, const char *trace_id, struct handler_result *res) {
    int rc = -1;
    struct event_batch batch = {0};
    struct job_run *runs = NULL;
    enum job_outcome *outcomes = NULL;
    const char **messages = NULL;
    char err[256];
    double t0 = tk_clock_mono_ms();

    memset(res, 0, sizeof *res);
    struct aws_client *clients[] = {h->s3, h->ddb, h->sns, h->cw};
    for (size_t i = 0; i < sizeof clients / sizeof clients[0]; i++) {
        if (clients[i] != NULL) {
            aws_client_set_invocation(clients[i], deadline_ms, trace_id);
        }
    }

    if (event_parse(event, len, &batch, err, sizeof err) != 0) {
        /* Not JSON: nothing to retry into success. Fail loudly. */
        res->failed = true;
        snprintf(res->error_type, sizeof res->error_type, "Runtime.InvalidEvent");
        snprintf(res->error_message, sizeof res->error_message, "cannot parse the event: %s", err);
        struct log_field f[] = {LOG_F_STR("error", err), LOG_F_INT("eventBytes", len)};
        log_write(h->log, LOG_LEVEL_ERROR, "invalid event", f, 2);
        rc = 0;
        report(h, &batch, request_id, res, t0);
        goto cleanup;
    }
    {
        struct log_field f[] = {LOG_F_STR("source", event_source_name(batch.source)),
                                LOG_F_INT("jobs", batch.n_jobs)};
        log_write(h->log, LOG_LEVEL_DEBUG, "event parsed", f, 2);
    }
    if (batch.source == EVENT_API) {
        rc = api_handle(h, event, len, request_id, res);
        goto cleanup;
    }
    if (batch.n_jobs) {
        runs = calloc(batch.n_jobs, sizeof *runs);
        outcomes = calloc(batch.n_jobs, sizeof *outcomes);
        messages = calloc(batch.n_jobs, sizeof *messages);
        if (!runs || !outcomes || !messages) {
            goto cleanup;
        }
    }

    size_t first_transient = SIZE_MAX, n_transient = 0;
    for (size_t i = 0; i < batch.n_jobs; i++) {
        runs[i].job = &batch.jobs[i];
        run_job(h, deadline_ms, request_id, &runs[i]);
        outcomes[i] = runs[i].outcome;
        messages[i] = runs[i].message[0] ? runs[i].message : NULL;
        count(res, i, &runs[i], &first_transient, &n_transient);
    }

    if (event_invocation_failed(&batch, outcomes)) {
        res->failed = true;
        snprintf(res->error_type, sizeof res->error_type, "Thumbnail.TransientError");
        snprintf(res->error_message, sizeof res->error_message,
                 "%zu of %zu object(s) failed transiently and should be retried; first: %s",
                 n_transient, batch.n_jobs,
                 first_transient != SIZE_MAX ? runs[first_transient].message : "?");
    } else {
        res->response = event_response(&batch, outcomes, messages);
        if (!res->response) {
            goto cleanup;
        }
    }
    rc = 0;
    report(h, &batch, request_id, res, t0);

cleanup:
    free(runs);
    free(outcomes);
    free(messages);
    event_batch_free(&batch);
    return rc;
}
