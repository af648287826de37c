/*
 * handler.c — one invocation, job by job (see handler.h).
 */
#include "handler.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "keymap.h"
#include "sigv4.h"
#include "thumbkit.h"

/* Do not start a job with less time than this left before the deadline. */
#define JOB_MIN_MS 1000

static double mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int64_t wall_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void handler_result_free(struct handler_result *res) {
    if (!res)
        return;
    free(res->response);
    memset(res, 0, sizeof *res);
}

/* The state of one job while it is processed, for its log line. */
struct job_run {
    const struct event_job *job;
    enum job_outcome outcome;
    char message[2048]; /* why it failed or was skipped (Batch Operations resultString) */
    const char *code;   /* a stable reason name for logs: "not_an_image", "NoSuchKey", ... */
    char code_buf[64];
};

static void job_log_skip(struct handler *h, const struct job_run *r) {
    const struct event_job *j = r->job;
    struct log_field f[] = {
        LOG_F_STR("bucket", j->bucket),
        LOG_F_STR("key", j->key),
        LOG_F_STR("outcome", event_outcome_name(r->outcome)),
        LOG_F_STR("reason", r->message),
        LOG_F_STR("eventName", j->event_name),
    };
    log_write(h->log, LOG_LEVEL_INFO, "object skipped", f, sizeof f / sizeof f[0]);
}

static void job_log_fail(struct handler *h, const struct job_run *r, uint64_t source_bytes) {
    const struct event_job *j = r->job;
    struct log_field f[] = {
        LOG_F_STR("bucket", j->bucket),
        LOG_F_STR("key", j->key),
        LOG_F_STR("outcome", event_outcome_name(r->outcome)),
        LOG_F_STR("errorCode", r->code),
        LOG_F_STR("error", r->message),
        LOG_F_INT("sourceBytes", source_bytes),
        LOG_F_BOOL("retryable", r->outcome == JOB_FAILED_TRANSIENT),
    };
    log_write(h->log, r->outcome == JOB_FAILED_TRANSIENT ? LOG_LEVEL_WARN : LOG_LEVEL_ERROR,
              "thumbnail failed", f, sizeof f / sizeof f[0]);
}

/* Set the message (truncated to fit). */
__attribute__((format(printf, 2, 3))) static void set_message(struct job_run *r, const char *fmt,
                                                              ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->message, sizeof r->message, fmt, ap);
    va_end(ap);
}

static void set_outcome(struct job_run *r, enum job_outcome o, const char *code, const char *msg) {
    size_t n = strlen(code);
    r->outcome = o;
    if (n >= sizeof r->code_buf)
        n = sizeof r->code_buf - 1;
    memcpy(r->code_buf, code, n);
    r->code_buf[n] = '\0';
    r->code = r->code_buf;
    set_message(r, "%s", msg);
}

static enum job_outcome s3_outcome(enum s3_status st) {
    switch (st) {
    case S3_OK:
        return JOB_OK;
    case S3_ERR_TRANSIENT:
    case S3_ERR_NO_MEMORY:
        return JOB_FAILED_TRANSIENT;
    case S3_ERR_PERMANENT:
    case S3_ERR_TOO_LARGE:
        break;
    }
    return JOB_FAILED_PERMANENT;
}

/* Keep only printable ASCII, without quotes, for the source-etag metadata value. */
static void ascii_etag(const char *in, char *out, size_t outlen) {
    size_t o = 0;
    for (const char *p = in ? in : ""; *p && o + 1 < outlen; p++)
        if ((unsigned char)*p > 0x20 && (unsigned char)*p < 0x7f && *p != '"')
            out[o++] = *p;
    out[o] = '\0';
}

static void run_job(struct handler *h, const struct tk_options *base_opts, int64_t deadline_ms,
                    struct job_run *r) {
    const struct event_job *j = r->job;
    const struct config *cfg = h->cfg;
    struct s3_object obj = {0};
    struct tk_result tr = {0};
    struct s3_error se;
    char *dest_key = NULL, *enc_key = NULL;
    char line[640];
    const char *reason = NULL;
    double t0 = mono_ms(), t_get = 0, t_put = 0;

    if (j->skip_reason && j->malformed) { /* a broken record: fail it, never report success */
        set_outcome(r, JOB_FAILED_PERMANENT, "malformed", j->skip_reason);
        job_log_fail(h, r, j->size);
        goto cleanup;
    }
    if (j->skip_reason) {
        set_outcome(r, JOB_SKIPPED, "event", j->skip_reason);
        job_log_skip(h, r);
        goto cleanup;
    }
    switch (keymap_filter(cfg, j->bucket, j->key, j->size, &reason)) {
    case KEYMAP_PROCESS:
        break;
    case KEYMAP_SKIP:
        set_outcome(r, JOB_SKIPPED, "filtered", reason ? reason : "filtered");
        job_log_skip(h, r);
        goto cleanup;
    case KEYMAP_REFUSE:
        set_outcome(r, JOB_FAILED_PERMANENT, "refused", reason ? reason : "refused");
        job_log_fail(h, r, j->size);
        goto cleanup;
    }
    if (deadline_ms > 0 && deadline_ms - wall_ms() < JOB_MIN_MS) {
        set_outcome(r, JOB_FAILED_TRANSIENT, "DeadlineExceeded",
                    "not started: too little time left before the invocation deadline");
        job_log_fail(h, r, j->size);
        goto cleanup;
    }

    /* GET */
    double g0 = mono_ms();
    enum s3_status st = s3_get_object(h->s3, j->bucket, j->key, cfg->max_input_bytes, &obj, &se);
    t_get = mono_ms() - g0;
    if (st != S3_OK) {
        s3_error_format(&se, line, sizeof line);
        set_outcome(r, s3_outcome(st), se.code[0] ? se.code : s3_status_name(st), "");
        set_message(r, "GetObject s3://%s/%s: %s", j->bucket, j->key, line);
        job_log_fail(h, r, j->size);
        goto cleanup;
    }

    /* Sniff: anything that is not an image is not ours. */
    enum tk_format in_fmt = tk_sniff(obj.data, obj.size);
    if (in_fmt == TK_FORMAT_UNKNOWN) {
        set_outcome(r, JOB_SKIPPED, tk_status_name(TK_ERR_NOT_AN_IMAGE),
                    "not an image (content is neither JPEG nor PNG)");
        job_log_skip(h, r);
        goto cleanup;
    }
    struct tk_options opts = *base_opts;
    opts.format = keymap_output_format(cfg, in_fmt);
    enum tk_status ts = tk_thumbnail(obj.data, obj.size, &opts, &tr);
    if (ts == TK_ERR_NOT_AN_IMAGE) {
        set_outcome(r, JOB_SKIPPED, tk_status_name(ts), tr.error[0] ? tr.error : tk_status_str(ts));
        job_log_skip(h, r);
        goto cleanup;
    }
    if (ts != TK_OK || tr.n_thumbs < 1 || !tr.thumbs[0].data || tr.thumbs[0].size == 0) {
        /* Corrupt, unsupported, too large, out of memory: the same bytes fail the same way. */
        if (ts == TK_OK)
            ts = TK_ERR_ENCODE;
        set_outcome(r, JOB_FAILED_PERMANENT, tk_status_name(ts),
                    tr.error[0] ? tr.error : tk_status_str(ts));
        job_log_fail(h, r, obj.size);
        goto cleanup;
    }
    const struct tk_thumb *th = &tr.thumbs[0];

    /* PUT the complete thumbnail, with the source named in its metadata. */
    if (keymap_dest_key(cfg->key_prefix, j->key, th->format, &dest_key) != 0) {
        set_outcome(r, JOB_FAILED_PERMANENT, "InvalidKey", "cannot build the destination key");
        job_log_fail(h, r, obj.size);
        goto cleanup;
    }
    enc_key = sigv4_uri_encode(j->key, true);
    char etag[96];
    ascii_etag(j->etag && *j->etag ? j->etag : obj.etag, etag, sizeof etag);
    struct s3_meta meta[3];
    size_t n_meta = 0;
    meta[n_meta++] = (struct s3_meta){"source-bucket", j->bucket};
    meta[n_meta++] = (struct s3_meta){"source-key", enc_key ? enc_key : ""};
    if (etag[0])
        meta[n_meta++] = (struct s3_meta){"source-etag", etag};
    double p0 = mono_ms();
    st = s3_put_object(h->s3, cfg->dest_bucket, dest_key, th->data, th->size,
                       tk_format_mime(th->format), meta, n_meta, &se);
    t_put = mono_ms() - p0;
    if (st != S3_OK) {
        s3_error_format(&se, line, sizeof line);
        set_outcome(r, s3_outcome(st), se.code[0] ? se.code : s3_status_name(st), "");
        set_message(r, "PutObject s3://%s/%s: %s", cfg->dest_bucket, dest_key, line);
        job_log_fail(h, r, obj.size);
        goto cleanup;
    }

    r->outcome = JOB_OK;
    r->code = "ok";
    set_message(r, "s3://%s/%s", cfg->dest_bucket, dest_key);
    {
        struct log_field f[] = {
            LOG_F_STR("bucket", j->bucket),
            LOG_F_STR("key", j->key),
            LOG_F_STR("destBucket", cfg->dest_bucket),
            LOG_F_STR("destKey", dest_key),
            LOG_F_STR("sourceFormat", tk_format_name(tr.source_format)),
            LOG_F_STR("format", tk_format_name(th->format)),
            LOG_F_INT("sourceBytes", obj.size),
            LOG_F_INT("sourceWidth", tr.source_width),
            LOG_F_INT("sourceHeight", tr.source_height),
            LOG_F_INT("orientation", tr.orientation),
            LOG_F_INT("decodeScale", tr.decode_scale),
            LOG_F_INT("thumbBytes", th->size),
            LOG_F_INT("width", th->width),
            LOG_F_INT("height", th->height),
            LOG_F_STR("isa", tr.isa),
            LOG_F_NUM("getMs", t_get),
            LOG_F_NUM("decodeMs", tr.decode_ms),
            LOG_F_NUM("resampleMs", tr.resample_ms),
            LOG_F_NUM("encodeMs", tr.encode_ms),
            LOG_F_NUM("putMs", t_put),
            LOG_F_NUM("totalMs", mono_ms() - t0),
        };
        log_write(h->log, LOG_LEVEL_INFO, "thumbnail written", f, sizeof f / sizeof f[0]);
    }

cleanup:
    free(dest_key);
    free(enc_key);
    tk_result_free(&tr);
    s3_object_free(&obj);
}

int handler_invoke(struct handler *h, const char *event, size_t len, const char *request_id,
                   int64_t deadline_ms, const char *trace_id, struct handler_result *res) {
    int rc = -1;
    struct event_batch batch = {0};
    struct job_run *runs = NULL;
    enum job_outcome *outcomes = NULL;
    const char **messages = NULL;
    char err[256];
    double t0 = mono_ms();

    memset(res, 0, sizeof *res);
    s3_client_set_invocation(h->s3, deadline_ms, trace_id);

    if (event_parse(event, len, &batch, err, sizeof err) != 0) {
        /* Not JSON: nothing to retry into success. Fail loudly. */
        res->failed = true;
        snprintf(res->error_type, sizeof res->error_type, "Runtime.InvalidEvent");
        snprintf(res->error_message, sizeof res->error_message, "cannot parse the event: %s", err);
        struct log_field f[] = {LOG_F_STR("error", err), LOG_F_INT("eventBytes", len)};
        log_write(h->log, LOG_LEVEL_ERROR, "invalid event", f, 2);
        rc = 0;
        goto metrics;
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
        if (!runs || !outcomes || !messages)
            goto cleanup;
    }
    struct tk_options base;
    tk_options_init(&base);
    config_tk_options(h->cfg, &base);

    size_t first_transient = SIZE_MAX, n_transient = 0;
    for (size_t i = 0; i < batch.n_jobs; i++) {
        runs[i].job = &batch.jobs[i];
        run_job(h, &base, deadline_ms, &runs[i]);
        outcomes[i] = runs[i].outcome;
        messages[i] = runs[i].message[0] ? runs[i].message : NULL;
        switch (runs[i].outcome) {
        case JOB_OK:
            res->counts.processed++;
            break;
        case JOB_SKIPPED:
            res->counts.skipped++;
            break;
        case JOB_FAILED_TRANSIENT:
            if (first_transient == SIZE_MAX)
                first_transient = i;
            n_transient++;
            res->counts.failed++;
            break;
        case JOB_FAILED_PERMANENT:
            res->counts.failed++;
            break;
        }
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
        if (!res->response)
            goto cleanup;
    }
    rc = 0;

metrics:
    res->counts.processing_ms = mono_ms() - t0;
    metrics_write(h->metrics_out, h->cfg->metric_namespace, h->cfg->function_name,
                  (uint64_t)wall_ms(), &res->counts, request_id);
    {
        struct log_field f[] = {
            LOG_F_STR("source", event_source_name(batch.source)),
            LOG_F_INT("jobs", batch.n_jobs),
            LOG_F_INT("processed", res->counts.processed),
            LOG_F_INT("skipped", res->counts.skipped),
            LOG_F_INT("failed", res->counts.failed),
            LOG_F_BOOL("invocationFailed", res->failed),
            LOG_F_NUM("ms", res->counts.processing_ms),
        };
        log_write(h->log, LOG_LEVEL_INFO, "invocation done", f, sizeof f / sizeof f[0]);
    }

cleanup:
    free(runs);
    free(outcomes);
    free(messages);
    event_batch_free(&batch);
    return rc;
}
