/* event.c — Lambda payloads to thumbnail jobs, outcomes to responses (see event.h). */
#define _GNU_SOURCE
#include "events/event.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/urlcode.h"
#include "events/apigw.h"

/* SQS body -> SNS envelope -> S3 notification is two levels; allow a little slack. */
#define MAX_NESTING 4

static const char *const source_names[] = {"s3",    "sqs",    "sns", "eventbridge",
                                           "batch", "direct", "api", "unknown"};

const char *event_source_name(enum event_source s) {
    if ((int)s < 0 || (size_t)s >= sizeof source_names / sizeof source_names[0]) {
        return "unknown";
    }
    return source_names[s];
}

static const char *const outcome_names[] = {"ok", "skipped", "failed_permanent",
                                            "failed_transient"};

bool event_sequencer(const char *s, char out[EVENT_SEQUENCER_LEN + 1]) {
    out[0] = '\0';
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > EVENT_SEQUENCER_LEN || strspn(s, "0123456789abcdefABCDEF") != n) {
        return false;
    }
    memset(out, '0', EVENT_SEQUENCER_LEN - n);
    for (size_t i = 0; i < n; i++) {
        out[EVENT_SEQUENCER_LEN - n + i] = (char)toupper((unsigned char)s[i]);
    }
    out[EVENT_SEQUENCER_LEN] = '\0';
    return true;
}

const char *event_outcome_name(enum job_outcome o) {
    if ((int)o < 0 || (size_t)o >= sizeof outcome_names / sizeof outcome_names[0]) {
        return "unknown";
    }
    return outcome_names[o];
}

/* Parsing state: the batch being filled and the first allocation failure. */
struct parser {
    struct event_batch *b;
    size_t cap;
    bool oom;
};

static const char *str_member(const cJSON *obj, const char *name) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static char *dup_or_null(struct parser *p, const char *s) {
    if (s == NULL) {
        return NULL;
    }
    char *d = strdup(s);
    if (d == NULL) {
        p->oom = true;
    }
    return d;
}

/* Like dup_or_null, but "" (e.g. "versionId": "" on an unversioned bucket) becomes NULL. */
static char *dup_nonempty(struct parser *p, const char *s) {
    return s != NULL && s[0] != '\0' ? dup_or_null(p, s) : NULL;
}

/* Append a zeroed job carrying @p item_id; NULL when memory runs out. */
static struct event_job *new_job(struct parser *p, const char *item_id) {
    struct event_batch *b = p->b;
    if (b->n_jobs == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 4;
        struct event_job *jobs = realloc(b->jobs, cap * sizeof *jobs);
        if (jobs == NULL) {
            p->oom = true;
            return NULL;
        }
        b->jobs = jobs;
        p->cap = cap;
    }
    struct event_job *j = &b->jobs[b->n_jobs++];
    memset(j, 0, sizeof *j);
    j->item_id = dup_or_null(p, item_id);
    return j;
}

static void skip_job(struct parser *p, const char *item_id, const char *reason) {
    struct event_job *j = new_job(p, item_id);
    if (j != NULL) {
        j->skip_reason = reason;
    }
}

static uint64_t size_member(const cJSON *obj, const char *name) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0 ||
        v->valuedouble >= 18446744073709551616.0) {
        return 0;
    }
    return (uint64_t)v->valuedouble;
}

/* Fill bucket and key of @p j; the key is form-URL-decoded when @p encoded. */
static void set_object(struct parser *p, struct event_job *j, const char *bucket, const char *key,
                       bool encoded) {
    if (bucket == NULL || bucket[0] == '\0' || key == NULL || key[0] == '\0') {
        j->skip_reason = "record has no bucket name or object key";
        j->malformed = true;
        return;
    }
    j->bucket = dup_or_null(p, bucket);
    if (!encoded) {
        j->key = dup_or_null(p, key);
    } else if (urlcode_form_decode(key, &j->key) != 0) {
        j->key = NULL;
        j->skip_reason = "object key is not valid form-URL encoding";
        j->malformed = true;
    }
}

/* Where one event shape keeps its object: a container member holding "bucket" {"name"} and
 * "object" {"key", "size", etag, version id}. */
struct object_shape {
    const char *container;  /* "s3" (notification record) or "detail" (EventBridge) */
    const char *etag;       /* member name of the ETag */
    const char *version_id; /* member name of the version id */
    bool encoded;           /* the key is form-URL-encoded */
};

static const struct object_shape notification_shape = {"s3", "eTag", "versionId", true};
/* EventBridge keys are NOT URL-encoded. */
static const struct object_shape eventbridge_shape = {"detail", "etag", "version-id", false};

/* A job for the object @p o describes in shape @p sh, named @p event_name; NULL when memory
 * runs out. */
static struct event_job *object_job(struct parser *p, const cJSON *o, const char *event_name,
                                    const struct object_shape *sh, const char *item_id) {
    struct event_job *j = new_job(p, item_id);
    if (j == NULL) {
        return NULL;
    }
    j->event_name = dup_nonempty(p, event_name);
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, sh->container);
    const cJSON *bucket = cJSON_GetObjectItemCaseSensitive(c, "bucket");
    const cJSON *object = cJSON_GetObjectItemCaseSensitive(c, "object");
    set_object(p, j, str_member(bucket, "name"), str_member(object, "key"), sh->encoded);
    j->size = size_member(object, "size");
    j->etag = dup_nonempty(p, str_member(object, sh->etag));
    j->version_id = dup_nonempty(p, str_member(object, sh->version_id));
    j->sequencer = dup_nonempty(p, str_member(object, "sequencer"));
    return j;
}

/* One S3 notification record ("eventSource": "aws:s3"). */
static void s3_record(struct parser *p, const cJSON *rec, const char *item_id) {
    const char *name = str_member(rec, "eventName");
    struct event_job *j = object_job(p, rec, name, &notification_shape, item_id);
    if (j == NULL || j->skip_reason != NULL) {
        return;
    }
    if (name == NULL) {
        j->skip_reason = "S3 record has no eventName";
    } else if (strncmp(name, "ObjectRemoved:", 14) == 0) {
        j->skip_reason = "ObjectRemoved event";
    } else if (strncmp(name, "ObjectCreated:", 14) != 0) {
        j->skip_reason = "not an ObjectCreated event";
    }
}

static bool is_eventbridge_s3(const cJSON *o) {
    const char *src = str_member(o, "source");
    return src != NULL && strcmp(src, "aws.s3") == 0 &&
           cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(o, "detail"));
}

/* EventBridge event from S3. */
static void eventbridge_event(struct parser *p, const cJSON *o, const char *item_id) {
    const char *type = str_member(o, "detail-type");
    struct event_job *j = object_job(p, o, type, &eventbridge_shape, item_id);
    if (j == NULL || j->skip_reason != NULL) {
        return;
    }
    if (type == NULL || strcmp(type, "Object Created") != 0) {
        j->skip_reason = type != NULL && strcmp(type, "Object Deleted") == 0
                             ? "ObjectRemoved event"
                             : "not an Object Created event";
    }
}

static bool is_direct(const cJSON *o) {
    return str_member(o, "bucket") != NULL && str_member(o, "key") != NULL;
}

/* {"bucket": "...", "key": "..."}: the key is taken literally. */
static void direct_event(struct parser *p, const cJSON *o, const char *item_id) {
    struct event_job *j = new_job(p, item_id);
    if (j == NULL) {
        return;
    }
    set_object(p, j, str_member(o, "bucket"), str_member(o, "key"), false);
    j->size = size_member(o, "size");
    j->version_id = dup_nonempty(p, str_member(o, "versionId"));
}

static bool is_test_event(const cJSON *o) {
    const char *ev = str_member(o, "Event");
    return ev != NULL && strcmp(ev, "s3:TestEvent") == 0;
}

static void test_event(struct parser *p, const cJSON *o, const char *item_id) {
    struct event_job *j = new_job(p, item_id);
    if (j == NULL) {
        return;
    }
    j->bucket = dup_or_null(p, str_member(o, "Bucket"));
    j->event_name = dup_nonempty(p, "s3:TestEvent");
    j->skip_reason = "s3:TestEvent";
}

static void records(struct parser *p, const cJSON *arr, const char *item_id, int depth);

/* The text of an SQS body or SNS Message: S3 notification, SNS envelope, EventBridge event,
 * direct request, test event, or something else (one skipped job). */
static void inner(struct parser *p, const char *text, const char *item_id, int depth) {
    if (text == NULL) {
        skip_job(p, item_id, "message has no body");
        return;
    }
    cJSON *o = cJSON_Parse(text);
    size_t before = p->b->n_jobs;
    if (!cJSON_IsObject(o)) {
        skip_job(p, item_id, "message body is not a JSON object (not an S3 event)");
    } else if (depth >= MAX_NESTING) {
        skip_job(p, item_id, "message nested too deeply");
    } else if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(o, "Records"))) {
        records(p, cJSON_GetObjectItemCaseSensitive(o, "Records"), item_id, depth + 1);
        if (p->b->n_jobs == before) {
            skip_job(p, item_id, "message has no records");
        }
    } else if (str_member(o, "Type") != NULL &&
               strcmp(str_member(o, "Type"), "Notification") == 0 &&
               str_member(o, "Message") != NULL) {
        inner(p, str_member(o, "Message"), item_id, depth + 1); /* SNS envelope in SQS */
    } else if (is_test_event(o)) {
        test_event(p, o, item_id);
    } else if (is_eventbridge_s3(o)) {
        eventbridge_event(p, o, item_id);
    } else if (is_direct(o)) {
        direct_event(p, o, item_id);
    } else {
        skip_job(p, item_id, "message is not an S3 event");
    }
    cJSON_Delete(o);
}

static const char *record_source(const cJSON *rec) {
    const char *s = str_member(rec, "eventSource");
    return s != NULL ? s : str_member(rec, "EventSource"); /* SNS capitalises it */
}

static void records(struct parser *p, const cJSON *arr, const char *item_id, int depth) {
    const cJSON *rec;
    cJSON_ArrayForEach(rec, arr) {
        if (p->oom) {
            return;
        }
        const char *src = record_source(rec);
        if (src == NULL) {
            skip_job(p, item_id, "record has no eventSource");
        } else if (strcmp(src, "aws:s3") == 0) {
            s3_record(p, rec, item_id);
        } else if (strcmp(src, "aws:sqs") == 0) {
            const char *id = str_member(rec, "messageId");
            inner(p, str_member(rec, "body"), id != NULL ? id : item_id, depth);
        } else if (strcmp(src, "aws:sns") == 0) {
            const cJSON *sns = cJSON_GetObjectItemCaseSensitive(rec, "Sns");
            inner(p, str_member(sns, "Message"), item_id, depth);
        } else {
            skip_job(p, item_id, "record is not from S3, SQS or SNS");
        }
    }
}

static enum event_source records_source(const cJSON *arr) {
    const char *src = record_source(cJSON_GetArrayItem(arr, 0));
    if (src == NULL) {
        return EVENT_UNKNOWN;
    }
    if (strcmp(src, "aws:s3") == 0) {
        return EVENT_S3;
    }
    if (strcmp(src, "aws:sqs") == 0) {
        return EVENT_SQS;
    }
    if (strcmp(src, "aws:sns") == 0) {
        return EVENT_SNS;
    }
    return EVENT_UNKNOWN;
}

/* Bucket name from a bucket ARN (schema 1.0): the resource after the fifth ':' of
 * "arn:partition:s3:region:account:resource"; "arn:aws:s3:::name" is the usual form. */
static const char *bucket_from_arn(const char *arn) {
    if (arn == NULL || strncmp(arn, "arn:", 4) != 0) {
        return NULL;
    }
    const char *p = arn;
    for (int i = 0; i < 5; i++) {
        p = strchr(p, ':');
        if (p == NULL) {
            return NULL;
        }
        p++;
    }
    return strchr(p, ':') == NULL && strchr(p, '/') == NULL ? p : NULL;
}

/* S3 Batch Operations: keys are URL-encoded (form encoding, '+' for space). */
static void batch_event(struct parser *p, const cJSON *o) {
    struct event_batch *b = p->b;
    b->schema_version = dup_or_null(p, str_member(o, "invocationSchemaVersion"));
    b->invocation_id = dup_or_null(p, str_member(o, "invocationId"));
    b->job_id = dup_or_null(p, str_member(cJSON_GetObjectItemCaseSensitive(o, "job"), "id"));
    const cJSON *task;
    cJSON_ArrayForEach(task, cJSON_GetObjectItemCaseSensitive(o, "tasks")) {
        if (p->oom) {
            return;
        }
        struct event_job *j = new_job(p, str_member(task, "taskId"));
        if (j == NULL) {
            return;
        }
        const char *bucket = str_member(task, "s3Bucket"); /* 2.0 */
        if (bucket == NULL) {
            bucket = bucket_from_arn(str_member(task, "s3BucketArn")); /* 1.0 */
        }
        set_object(p, j, bucket, str_member(task, "s3Key"), true);
        j->version_id = dup_nonempty(p, str_member(task, "s3VersionId"));
        if (j->skip_reason == NULL && j->item_id == NULL) {
            j->skip_reason = "task has no taskId";
            j->malformed = true;
        }
    }
}

int event_parse(const char *json, size_t len, struct event_batch *out, char *err, size_t errlen) {
    struct parser p = {out, 0, false};
    memset(out, 0, sizeof *out);
    out->source = EVENT_UNKNOWN;
    text_format(err, errlen, "%s", "");
    if (json == NULL) {
        text_format(err, errlen, "no event payload");
        return -1;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, false);
    if (root == NULL) {
        size_t at = end != NULL && end >= json ? (size_t)(end - json) : 0;
        text_format(err, errlen, "event is not valid JSON (error near byte %zu)", at);
        return -1;
    }
    for (const char *q = end; q != NULL && q < json + len && *q != '\0'; q++) {
        if (*q != ' ' && *q != '\t' && *q != '\n' && *q != '\r') {
            cJSON_Delete(root);
            text_format(err, errlen, "event is not valid JSON (trailing data at byte %zu)",
                        (size_t)(q - json));
            return -1;
        }
    }
    const cJSON *recs = cJSON_GetObjectItemCaseSensitive(root, "Records");
    if (!cJSON_IsObject(root)) {
        out->source = EVENT_UNKNOWN;
    } else if (cJSON_IsArray(recs)) {
        out->source = records_source(recs);
        if (out->source != EVENT_UNKNOWN) {
            records(&p, recs, NULL, 0);
        }
    } else if (str_member(root, "invocationSchemaVersion") != NULL &&
               cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "tasks"))) {
        out->source = EVENT_BATCH;
        batch_event(&p, root);
    } else if (is_eventbridge_s3(root)) {
        out->source = EVENT_EVENTBRIDGE;
        eventbridge_event(&p, root, NULL);
    } else if (is_test_event(root)) {
        out->source = EVENT_S3;
        test_event(&p, root, NULL);
    } else if (apigw_is_event(root)) {
        out->source = EVENT_API; /* answered by the HTTP API (api.h), not as jobs */
    } else if (is_direct(root)) {
        out->source = EVENT_DIRECT;
        direct_event(&p, root, NULL);
    }
    cJSON_Delete(root);
    if (p.oom) {
        event_batch_free(out);
        text_format(err, errlen, "out of memory while parsing the event");
        return -1;
    }
    return 0;
}

/* Batch Operations resultCode per job_outcome: a skipped task has succeeded (nothing to do). */
static const char *const batch_codes[] = {"Succeeded", "Succeeded", "PermanentFailure",
                                          "TemporaryFailure"};

static const char *batch_code(enum job_outcome o) {
    if ((size_t)o >= sizeof batch_codes / sizeof batch_codes[0]) {
        return "PermanentFailure";
    }
    return batch_codes[o];
}

static bool sqs_failures(cJSON *root, const struct event_batch *b, const enum job_outcome *outc) {
    cJSON *arr = cJSON_AddArrayToObject(root, "batchItemFailures");
    if (arr == NULL) {
        return false;
    }
    const char *last = NULL;
    for (size_t i = 0; i < b->n_jobs; i++) {
        const char *id = b->jobs[i].item_id;
        if (outc[i] != JOB_FAILED_TRANSIENT || id == NULL) {
            continue;
        }
        if (last != NULL && strcmp(last, id) == 0) {
            continue; /* jobs of one message are contiguous: list it once */
        }
        cJSON *item = cJSON_CreateObject();
        if (item == NULL) {
            return false;
        }
        cJSON_AddItemToArray(arr, item);
        if (cJSON_AddStringToObject(item, "itemIdentifier", id) == NULL) {
            return false;
        }
        last = id;
    }
    return true;
}

static bool batch_results(cJSON *root, const struct event_batch *b, const enum job_outcome *outc,
                          const char *const *messages) {
    if (cJSON_AddStringToObject(root, "invocationSchemaVersion",
                                b->schema_version ? b->schema_version : "1.0") == NULL ||
        cJSON_AddStringToObject(root, "treatMissingKeysAs", "PermanentFailure") == NULL ||
        cJSON_AddStringToObject(root, "invocationId", b->invocation_id ? b->invocation_id : "") ==
            NULL) {
        return false;
    }
    cJSON *arr = cJSON_AddArrayToObject(root, "results");
    if (arr == NULL) {
        return false;
    }
    for (size_t i = 0; i < b->n_jobs; i++) {
        const struct event_job *j = &b->jobs[i];
        if (j->item_id == NULL) {
            continue; /* no taskId to report against */
        }
        const char *msg = messages != NULL ? messages[i] : NULL;
        if (msg == NULL) {
            msg = outc[i] == JOB_SKIPPED && j->skip_reason ? j->skip_reason
                                                           : event_outcome_name(outc[i]);
        }
        cJSON *r = cJSON_CreateObject();
        if (r == NULL) {
            return false;
        }
        cJSON_AddItemToArray(arr, r);
        if (cJSON_AddStringToObject(r, "taskId", j->item_id) == NULL ||
            cJSON_AddStringToObject(r, "resultCode", batch_code(outc[i])) == NULL ||
            cJSON_AddStringToObject(r, "resultString", msg) == NULL) {
            return false;
        }
    }
    return true;
}

static bool summary(cJSON *root, const struct event_batch *b, const enum job_outcome *outc) {
    size_t n[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < b->n_jobs; i++) {
        if ((unsigned)outc[i] < 4) {
            n[outc[i]]++;
        }
    }
    return cJSON_AddNumberToObject(root, "processed", (double)n[JOB_OK]) != NULL &&
           cJSON_AddNumberToObject(root, "skipped", (double)n[JOB_SKIPPED]) != NULL &&
           cJSON_AddNumberToObject(
               root, "failed", (double)(n[JOB_FAILED_PERMANENT] + n[JOB_FAILED_TRANSIENT])) != NULL;
}

char *event_response(const struct event_batch *b, const enum job_outcome *outcomes,
                     const char *const *messages) {
    char *text = NULL;
    if (b == NULL || (b->n_jobs > 0 && outcomes == NULL)) {
        return NULL;
    }
    cJSON *root = cJSON_CreateObject();
    if (root == NULL) {
        return NULL;
    }
    bool ok;
    switch (b->source) {
    case EVENT_SQS:
        ok = sqs_failures(root, b, outcomes);
        break;
    case EVENT_BATCH:
        ok = batch_results(root, b, outcomes, messages);
        break;
    default:
        ok = summary(root, b, outcomes);
        break;
    }
    if (ok) {
        text = cJSON_PrintUnformatted(root);
    }
    cJSON_Delete(root);
    return text;
}

bool event_invocation_failed(const struct event_batch *b, const enum job_outcome *outcomes) {
    if (b == NULL || outcomes == NULL || b->source == EVENT_BATCH) {
        return false;
    }
    for (size_t i = 0; i < b->n_jobs; i++) {
        if (outcomes[i] != JOB_FAILED_TRANSIENT) {
            continue;
        }
        /* SQS reports per message; only a failure it cannot name fails the whole batch. */
        if (b->source != EVENT_SQS || b->jobs[i].item_id == NULL) {
            return true;
        }
    }
    return false;
}

void event_batch_free(struct event_batch *b) {
    if (b == NULL) {
        return;
    }
    for (size_t i = 0; i < b->n_jobs; i++) {
        struct event_job *j = &b->jobs[i];
        free(j->bucket);
        free(j->key);
        free(j->etag);
        free(j->version_id);
        free(j->sequencer);
        free(j->event_name);
        free(j->item_id);
    }
    free(b->jobs);
    free(b->invocation_id);
    free(b->schema_version);
    free(b->job_id);
    memset(b, 0, sizeof *b);
    b->source = EVENT_UNKNOWN;
}
