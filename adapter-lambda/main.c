/*
 * main.c — the `bootstrap` of the thumbkit Lambda custom runtime.
 *
 *   bootstrap               init, then loop: /next -> handle -> /response | /error
 *   bootstrap --event FILE  handle one event from FILE without the Runtime API; the response
 *                           JSON goes to stdout, logs and the EMF line to stderr
 *
 * Init loads the configuration and credentials from the environment; if they are invalid
 * the reason is posted to /init/error and the process exits with status 1. The loop itself
 * is runtime_run() (runtime/loop.h); this file plugs the function into it.
 */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/credentials.h"
#include "aws/request.h"
#include "aws/cloudwatch.h"
#include "aws/dynamodb.h"
#include "aws/s3.h"
#include "aws/sns.h"
#include "base/env.h"
#include "base/text.h"
#include "config.h"
#include "handler.h"
#include "log.h"
#include "runtime/loop.h"
#include "runtime/runtime_api.h"
#include "thumbkit.h"
#include "tk_clock.h"

#define EVENT_FILE_MAX (6u * 1024u * 1024u) /* Lambda's synchronous payload limit */

/* Everything the function holds from cold start on. */
struct function {
    double t0;              /* process start, for initMs */
    const char *event_file; /* NULL: Runtime API mode */
    FILE *logout;           /* where log lines go */
    struct env env;
    struct log_ctx log;
    struct config cfg;
    struct aws_credentials creds;
    struct aws_client *s3;
    struct aws_client *ddb, *sns, *cw; /* NULL when their feature is off */
    struct handler h;
    struct handler_result res; /* of the invocation being served */
};

static void usage(FILE *out) {
    fputs("usage: bootstrap                (Lambda custom runtime: needs AWS_LAMBDA_RUNTIME_API)\n"
          "       bootstrap --event FILE   (handle one event locally; response JSON on stdout,\n"
          "                                 logs on stderr)\n"
          "       bootstrap --version\n",
          out);
}

static char *read_file(const char *path, size_t *len, char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!f) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *p = realloc(buf, cap);
            if (!p) {
                snprintf(err, errlen, "out of memory reading %s", path);
                goto fail;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n > EVENT_FILE_MAX) {
            snprintf(err, errlen, "%s is larger than %u bytes", path, EVENT_FILE_MAX);
            goto fail;
        }
        if (got == 0) {
            break;
        }
    }
    if (ferror(f)) {
        snprintf(err, errlen, "cannot read %s", path);
        goto fail;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
fail:
    fclose(f);
    free(buf);
    return NULL;
}

/* Log an init failure; with @p why, hand it to the loop for /init/error. */
static int init_failed(struct function *f, struct runtime_init_failure *why, const char *type,
                       const char *prefix, const char *msg) {
    char full[640];
    snprintf(full, sizeof full, "%s%s", prefix, msg);
    struct log_field fl[] = {LOG_F_STR("errorType", type), LOG_F_STR("error", full)};
    log_write(&f->log, LOG_LEVEL_FATAL, "initialisation failed", fl, 2);
    if (why) {
        text_copy(why->type, sizeof why->type, type);
        text_copy(why->message, sizeof why->message, full);
    }
    return -1;
}

static void log_cold_start(struct function *f) {
    const struct config *cfg = &f->cfg;
    struct log_field fl[] = {
        LOG_F_STR("simd", tk_simd_name()),
        LOG_F_STR("version", tk_version()),
        LOG_F_STR("mode", f->event_file ? "event-file" : "runtime-api"),
        LOG_F_STR("region", cfg->region),
        LOG_F_STR("endpoint", cfg->endpoint_url ? cfg->endpoint_url : "aws"),
        LOG_F_STR("destBucket", cfg->dest_bucket),
        LOG_F_STR("keyPrefix", cfg->key_prefix),
        LOG_F_INT("thumbWidth", cfg->thumb_width),
        LOG_F_INT("thumbHeight", cfg->thumb_height),
        LOG_F_INT("sizes", cfg->n_sizes),
        LOG_F_STR("metadataTable", cfg->metadata_table),
        LOG_F_STR("notifyTopic", cfg->notify_topic_arn),
        LOG_F_STR("archivePrefix", cfg->archive_prefix),
        LOG_F_STR("uploadBucket", cfg->upload_bucket),
        LOG_F_STR("metricMode", config_metric_mode_name(cfg->metric_mode)),
        LOG_F_NUM("initMs", tk_clock_mono_ms() - f->t0),
    };
    log_write(&f->log, LOG_LEVEL_INFO, "cold start", fl, sizeof fl / sizeof fl[0]);
}

/* A client of @p service at the endpoint the SDK convention gives @p endpoint_id.
 * @return 0, or -1 with a message */
static int service_client(struct function *f, const char *service, const char *endpoint_id,
                          struct aws_client **out, char *err, size_t errlen) {
    char *url = NULL;
    if (aws_endpoint_from_env(&f->env, endpoint_id, &url, err, errlen) != 0) {
        return -1;
    }
    struct aws_client_config c = {
        .service = service, .region = f->cfg.region, .endpoint = url, .credentials = &f->creds};
    int rc = aws_client_create(&c, out, err, errlen);
    free(url);
    return rc;
}

/* Configuration, credentials and the AWS clients, all from the injected environment. */
static int fn_init(void *ctx, struct runtime_init_failure *why) {
    static const char invalid[] = "Runtime.InvalidConfiguration";
    struct function *f = ctx;
    char err[512];
    if (config_load(&f->cfg, &f->env, err, sizeof err) != 0) {
        return init_failed(f, why, invalid, "invalid configuration: ", err);
    }
    log_init(&f->log, f->logout, f->cfg.log_level, NULL, NULL);
    struct aws_client_config s3c = {
        .service = S3_SERVICE,
        .region = f->cfg.region,
        .endpoint = f->cfg.endpoint_url,
        .credentials = &f->creds,
    };
    if (aws_credentials_from_env(&f->creds, &f->env, err, sizeof err) != 0 ||
        aws_client_create(&s3c, &f->s3, err, sizeof err) != 0) {
        return init_failed(f, why, invalid, "invalid configuration: ", err);
    }
    const struct config *cfg = &f->cfg;
    bool metric_api = cfg->metric_mode != METRIC_MODE_EMF;
    if ((cfg->metadata_table &&
         service_client(f, DYNAMODB_SERVICE, DYNAMODB_ENDPOINT_ID, &f->ddb, err, sizeof err)) ||
        (cfg->notify_topic_arn &&
         service_client(f, SNS_SERVICE, SNS_ENDPOINT_ID, &f->sns, err, sizeof err)) ||
        (metric_api &&
         service_client(f, CLOUDWATCH_SERVICE, CLOUDWATCH_ENDPOINT_ID, &f->cw, err, sizeof err))) {
        return init_failed(f, why, invalid, "invalid configuration: ", err);
    }
    f->h = (struct handler){.cfg = &f->cfg,
                            .s3 = f->s3,
                            .ddb = f->ddb,
                            .sns = f->sns,
                            .cw = f->cw,
                            .log = &f->log,
                            .metrics_out = f->logout};
    log_cold_start(f);
    return 0;
}

static int fn_invoke(void *ctx, const struct runtime_invocation *inv, struct runtime_result *res) {
    struct function *f = ctx;
    log_set_request_id(&f->log, inv->request_id);
    if (handler_invoke(&f->h, inv->event, inv->event_len, inv->request_id, inv->deadline_ms,
                       inv->trace_id, &f->res) != 0) {
        return -1;
    }
    *res = (struct runtime_result){.failed = f->res.failed,
                                   .response = f->res.response,
                                   .error_type = f->res.error_type,
                                   .error_message = f->res.error_message};
    return 0;
}

static void fn_done(void *ctx, struct runtime_result *res) {
    struct function *f = ctx;
    (void)res;
    handler_result_free(&f->res);
    log_set_request_id(&f->log, NULL);
}

static void fn_report(void *ctx, const char *message, const char *error) {
    struct function *f = ctx;
    struct log_field fl[] = {LOG_F_STR("error", error)};
    log_write(&f->log, LOG_LEVEL_ERROR, message, fl, 1);
}

/* --event FILE: the response (or error document) on stdout. Exit status 0 (responded),
 * 2 (the invocation failed and Lambda would retry it), 65 (the event is not valid JSON:
 * retrying cannot help, EX_DATAERR), 1 (init or I/O error). */
static int run_one_event(struct function *f, const char *path) {
    char err[512];
    size_t len = 0;
    char *event = read_file(path, &len, err, sizeof err);
    if (!event) {
        struct log_field fl[] = {LOG_F_STR("error", err)};
        log_write(&f->log, LOG_LEVEL_FATAL, "cannot read the event", fl, 1);
        return 1;
    }
    log_set_request_id(&f->log, "local");
    int status = 1;
    if (handler_invoke(&f->h, event, len, "local", 0, NULL, &f->res) == 0) {
        if (f->res.failed) {
            char *body = runtime_error_body(f->res.error_type, f->res.error_message);
            if (body) {
                puts(body);
                free(body);
            }
            status = strcmp(f->res.error_type, "Runtime.InvalidEvent") == 0 ? 65 : 2;
        } else {
            puts(f->res.response);
            status = 0;
        }
        fflush(stdout);
    }
    handler_result_free(&f->res);
    free(event);
    return status;
}

int main(int argc, char **argv) {
    struct function f = {.t0 = tk_clock_mono_ms(), .env = env_process()};
    struct runtime_client rc = {0};
    bool have_rc = false;
    int status = 1;
    char err[512];

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--event") == 0 && i + 1 < argc) {
            f.event_file = argv[++i];
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("thumbkit bootstrap %s\n", tk_version());
            return 0;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 64;
        }
    }

    /* In --event mode stdout carries only the response; everything else goes to stderr. */
    f.logout = f.event_file ? stderr : stdout;
    log_init(&f.log, f.logout, LOG_LEVEL_INFO, NULL, NULL);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        log_write(&f.log, LOG_LEVEL_FATAL, "curl_global_init failed", NULL, 0);
        return 1;
    }
    if (f.event_file) {
        status = fn_init(&f, NULL) != 0 ? 1 : run_one_event(&f, f.event_file);
    } else if (runtime_client_init(&rc, env_raw(&f.env, "AWS_LAMBDA_RUNTIME_API"), err,
                                   sizeof err) != 0) {
        /* Without a Runtime API there is nobody to tell but the log. */
        init_failed(&f, NULL, "Runtime.NoRuntimeApi", "", err);
    } else {
        have_rc = true;
        struct runtime_transport t = runtime_client_transport(&rc);
        struct runtime_handler h = {
            .ctx = &f, .init = fn_init, .invoke = fn_invoke, .done = fn_done, .report = fn_report};
        status = runtime_run(&t, &h, NULL);
    }

    aws_client_free(f.s3);
    aws_client_free(f.ddb);
    aws_client_free(f.sns);
    aws_client_free(f.cw);
    if (have_rc) {
        runtime_client_cleanup(&rc);
    }
    aws_credentials_free(&f.creds);
    config_free(&f.cfg);
    curl_global_cleanup();
    return status;
}
