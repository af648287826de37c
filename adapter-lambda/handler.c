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
#include "events/event.h"
#include "keymap.h"
#include "publish.h"
#include "thumbkit.h"
#include "tk_clock.h"

/* Time a stage needs left before the deadline to start, so none starts that cannot finish
 * (Lambda kills the sandbox there, mid-PUT if need be): a whole job (GET, decode, write),
 * the decode and write of a downloaded image, and the conditional write (HEAD + PUT; the
 * request helper keeps its own 500 ms reserve before the deadline). What is not started is a
 * transient failure, retried by Lambda or SQS. A typical decode takes tens of milliseconds;
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

/* The state of one job while it is processed, for its log line. */
struct job_run {
    const struct event_job *job;
    enum job_outcome outcome;
    char message[2048]; /* why it failed or was skipped (Batch Operations resultString) */
    const char *code;   /* a stable reason name for logs: "not_an_image", "NoSuchKey", ... */
    char code_buf[64];
};

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
        LOG_F_INT("sourceBytes", source_bytes),
        LOG_F_BOOL("retryable", transient),
    };
    enum log_level level = skipped ? LOG_LEVEL_INFO : transient ? LOG_LEVEL_WARN : LOG_LEVEL_ERROR;
    log_write(h->log, level, skipped ? "object skipped" : "thumbnail failed", f, skipped ? 5 : 7);
}

/* Set the message (truncated to fit). */
__attribute__((format(printf, 2, 3))) static void set_message(struct job_run *r, const char *fmt,
                                                              ...) {
    va_list ap;
    va_start(ap, fmt);
    text_vformat(r->message, sizeof r->message, fmt, ap);
    va_end(ap);
}

static void set_outcome(struct job_run *r, enum job_outcome o, const char *code, const char *msg) {
    r->outcome = o;
    text_copy(r->code_buf, sizeof r->code_buf, code);
    r->code = r->code_buf;
    set_message(r, "%s", msg);
}

static enum job_outcome aws_outcome(enum aws_status st) {
    switch (st) {
    case AWS_OK:
        return JOB_OK;
    case AWS_ERR_TRANSIENT:
    case AWS_ERR_NO_MEMORY:
        return JOB_FAILED_TRANSIENT;
    case AWS_ERR_PERMANENT:
    case AWS_ERR_TOO_LARGE:
        break;
    }
    return JOB_FAILED_PERMANENT;
}

/* A failed S3 call: its outcome, code and "<call> s3://bucket/key: <error>". */
static void s3_failed(struct job_run *r, enum aws_status st, const struct aws_error *e,
                      const char *call, const char *bucket, const char *key) {
    char line[640];
    aws_error_format(e, line, sizeof line);
    set_outcome(r, aws_outcome(st), e->code[0] ? e->code : aws_status_name(st), "");
    set_message(r, "%s s3://%s/%s: %s", call, bucket, key, line);
}

/* Whether @p need_ms are left before @p deadline_ms (0: no deadline); if not, the job fails
 * transiently with code DeadlineExceeded ("<what>: too little time left ..."). */
static bool time_left(int64_t deadline_ms, int64_t need_ms, struct job_run *r, const char *what) {
    int64_t left = deadline_ms > 0 ? deadline_ms - tk_clock_wall_ms() : INT64_MAX;
    if (left >= need_ms) {
        return true;
    }
    set_outcome(r, JOB_FAILED_TRANSIENT, "DeadlineExceeded", "");
    set_message(r, "%s: %lld ms left before the invocation deadline, %lld ms needed", what,
                (long long)left, (long long)need_ms);
    return false;
}

/* Whether the job can start: not flagged by the event, let through by the filter, and
 * time left. Otherwise sets the outcome and logs it. */
static bool job_admitted(struct handler *h, int64_t deadline_ms, struct job_run *r) {
    const struct event_job *j = r->job;
    const char *reason = NULL;
    if (j->skip_reason && j->malformed) { /* a broken record: fail it, never report success */
        set_outcome(r, JOB_FAILED_PERMANENT, "malformed", j->skip_reason);
    } else if (j->skip_reason) {
        set_outcome(r, JOB_SKIPPED, "event", j->skip_reason);
    } else {
        switch (keymap_filter(h->cfg, j->bucket, j->key, j->size, &reason)) {
        case KEYMAP_PROCESS:
            if (time_left(deadline_ms, JOB_MIN_MS, r, "not started")) {
                return true;
            }
            break;
        case KEYMAP_SKIP:
            set_outcome(r, JOB_SKIPPED, "filtered", reason ? reason : "filtered");
            break;
        case KEYMAP_REFUSE:
            set_outcome(r, JOB_FAILED_PERMANENT, "refused", reason ? reason : "refused");
            break;
        }
    }
    job_log(h, r, j->size);
    return false;
}

/* tk_thumbnail on the downloaded bytes: the engine decides whether they are an image and in
 * which format the thumbnail is written. False (outcome set and logged) when it made none. */
static bool make_thumbnail(struct handler *h, const struct s3_object *obj, struct job_run *r,
                           struct tk_result *tr) {
    struct tk_options opts = h->cfg->thumb;
    uint64_t budget = h->cfg->memory_budget;
    /* The downloaded object stays in memory while the engine works. */
    opts.max_memory = budget == 0 ? 0 : budget > obj->size ? budget - obj->size : 1;
    enum tk_status ts = tk_thumbnail(obj->data, obj->size, &opts, tr);
    const char *why = tr->error[0] ? tr->error : tk_status_str(ts);
    if (ts == TK_ERR_NOT_AN_IMAGE) {
        set_outcome(r, JOB_SKIPPED, tk_status_name(ts), "");
        set_message(r, "not an image (%s)", why);
    } else if (ts == TK_ERR_UNSUPPORTED && tr->source_format == TK_FORMAT_UNKNOWN) {
        /* a format recognised but not decoded ("unsupported format: HEIC"): nothing to retry */
        set_outcome(r, JOB_SKIPPED, "unsupported_format", why);
    } else if (ts != TK_OK || tr->n_thumbs < 1 || !tr->thumbs[0].data || tr->thumbs[0].size == 0) {
        /* Corrupt, unsupported, too large, out of memory: the same bytes fail the same way. */
        if (ts == TK_OK) {
            ts = TK_ERR_ENCODE;
        }
        set_outcome(r, JOB_FAILED_PERMANENT, tk_status_name(ts), why);
    } else {
        return true;
    }
    job_log(h, r, obj->size);
    return false;
}

/* Publish the complete thumbnail, with its source in the metadata (publish.h). */
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
    return publish_thumbnail(h->s3, h->cfg->dest_bucket, dest_key, th->data, th->size,
                             tk_format_mime(th->format), &src, done, se);
}

static void log_written(struct handler *h, const struct job_run *r, const struct s3_object *obj,
                        const struct tk_result *tr, const char *dest_key, enum publish_outcome done,
                        double t_get, double t_put, double t0) {
    const struct event_job *j = r->job;
    const struct tk_thumb *th = &tr->thumbs[0];
    struct log_field f[] = {
        LOG_F_STR("bucket", j->bucket),
        LOG_F_STR("key", j->key),
        LOG_F_STR("destBucket", h->cfg->dest_bucket),
        LOG_F_STR("destKey", dest_key),
        LOG_F_STR("publish", publish_outcome_name(done)),
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
        LOG_F_STR("isa", tr->isa),
        LOG_F_NUM("getMs", t_get),
        LOG_F_NUM("decodeMs", tr->decode_ms),
        LOG_F_NUM("resampleMs", tr->resample_ms),
        LOG_F_NUM("encodeMs", tr->encode_ms),
        LOG_F_NUM("putMs", t_put),
        LOG_F_NUM("totalMs", tk_clock_mono_ms() - t0),
    };
    log_write(h->log, LOG_LEVEL_INFO, "thumbnail written", f, sizeof f / sizeof f[0]);
}

static void run_job(struct handler *h, int64_t deadline_ms, struct job_run *r) {
    const struct event_job *j = r->job;
    const struct config *cfg = h->cfg;
    struct s3_object obj = {0};
    struct tk_result tr = {0};
    struct aws_error se;
    char *dest_key = NULL;
    double t0 = tk_clock_mono_ms();

    if (!job_admitted(h, deadline_ms, r)) {
        return;
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
    double t_get = tk_clock_mono_ms() - g0;
    if (st != AWS_OK) {
        s3_failed(r, st, &se, "GetObject", j->bucket, j->key);
        job_log(h, r, j->size);
        goto cleanup;
    }
    if (!time_left(deadline_ms, DECODE_MIN_MS, r, "downloaded, not decoded")) {
        job_log(h, r, obj.size);
        goto cleanup;
    }
    if (!make_thumbnail(h, &obj, r, &tr)) {
        goto cleanup;
    }
    if (keymap_dest_key(cfg->key_prefix, j->key, tr.thumbs[0].format, &dest_key) != 0) {
        set_outcome(r, JOB_FAILED_PERMANENT, "InvalidKey", "cannot build the destination key");
        job_log(h, r, obj.size);
        goto cleanup;
    }
    if (!time_left(deadline_ms, PUBLISH_MIN_MS, r, "made, not written")) {
        job_log(h, r, obj.size);
        goto cleanup;
    }
    double p0 = tk_clock_mono_ms();
    enum publish_outcome done = PUBLISH_WRITTEN;
    st = put_thumbnail(h, j, &obj, &tr.thumbs[0], dest_key, &done, &se);
    double t_put = tk_clock_mono_ms() - p0;
    if (st != AWS_OK) {
        s3_failed(r, st, &se, "PutObject", cfg->dest_bucket, dest_key);
        job_log(h, r, obj.size);
        goto cleanup;
    }
    r->outcome = JOB_OK;
    r->code = "ok";
    set_message(r, "s3://%s/%s", cfg->dest_bucket, dest_key);
    log_written(h, r, &obj, &tr, dest_key, done, t_get, t_put, t0);

cleanup:
    free(dest_key);
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
    metrics_write(h->metrics_out, h->cfg->metric_namespace, h->cfg->function_name,
                  (uint64_t)tk_clock_wall_ms(), &res->counts, request_id);
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
    aws_client_set_invocation(h->s3, deadline_ms, trace_id);

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
        run_job(h, deadline_ms, &runs[i]);
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
