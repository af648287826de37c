/* test_event.c — event_parse() on every sample event in tests/data/events, on inline
 * events for the cases no licensed sample covers, and event_response() for each source. */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdbool.h>

#include <stdlib.h>

#include "check.h"
#include "events/event.h"
#include "files.h"

#ifndef TK_EVENTS_DATA
#error "TK_EVENTS_DATA must name the folder of sample events"
#endif

/* What one sample must give: the source, the job count, and the first job. */
struct expect {
    const char *file;
    enum event_source source;
    size_t n_jobs;
    const char *bucket, *key;
    uint64_t size;
    const char *etag, *version_id, *item_id, *event_name;
    const char *skip; /* substring of skip_reason, or NULL for "to be processed" */
};

#define PT         "powertools-lambda-python__"
#define PTT        "powertools-lambda-python__test_events.py__"
#define BATCH_INV  "YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo"
#define BATCH_TASK "dGFza2lkZ29lc2hlcmUK"

static const struct expect samples[] = {
    /* Not S3-related: valid JSON of an unknown shape. */
    {"aws-lambda-go__apigw-request.json", EVENT_UNKNOWN, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL,
     NULL},
    {"aws-lambda-go__apigw-v2-request-iam.json", EVENT_API, 0, NULL, NULL, 0, NULL, NULL, NULL,
     NULL, NULL},
    {"aws-lambda-go__apigw-v2-request-no-authorizer.json", EVENT_API, 0, NULL, NULL, 0, NULL, NULL,
     NULL, NULL, NULL},
    {"aws-lambda-go__lambda-urls-request.json", EVENT_API, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL,
     NULL},
    {"aws-lambda-go__s3-batch-job-event-response.json", EVENT_UNKNOWN, 0, NULL, NULL, 0, NULL, NULL,
     NULL, NULL, NULL},
    {"aws-lambda-java-libs__apigw_http_event.json", EVENT_API, 0, NULL, NULL, 0, NULL, NULL, NULL,
     NULL, NULL},
    {"aws-lambda-java-libs__apigw_rest_event.json", EVENT_UNKNOWN, 0, NULL, NULL, 0, NULL, NULL,
     NULL, NULL, NULL},
    {PT "apiGatewayProxyEvent.json", EVENT_UNKNOWN, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL},
    {PT "apiGatewayProxyV2Event.json", EVENT_API, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL},
    /* Direct S3 notifications: keys are form-URL-encoded. */
    {"aws-lambda-go__s3-event.json", EVENT_S3, 1, "sourcebucket", "Happy Face.jpg", 1024,
     "d41d8cd98f00b204e9800998ecf8427e", "version", NULL, "ObjectCreated:Put", NULL},
    {"aws-lambda-go__s3-event-with-decoded.json", EVENT_S3, 1, "sourcebucket", "Happy Face.jpg",
     1024, "d41d8cd98f00b204e9800998ecf8427e", "version", NULL, "ObjectCreated:Put", NULL},
    {"aws-lambda-java-libs__s3_event.json", EVENT_S3, 1, "example-bucket", "test/key", 1024,
     "0123456789abcdef0123456789abcdef", NULL, NULL, "ObjectCreated:Put", NULL},
    {PT "s3Event.json", EVENT_S3, 1, "lambda-artifacts-deafc19498e3f2df",
     "b21b84d653bb07b05b1e6b33684dc11b", 1305107, "b21b84d653bb07b05b1e6b33684dc11b", NULL, NULL,
     "ObjectCreated:Put", NULL},
    {PT "s3EventDeleteObject.json", EVENT_S3, 1, "lambda-artifacts-deafc19498e3f2df",
     "b21b84d653bb07b05b1e6b33684dc11b", 0, NULL, NULL, NULL, "ObjectRemoved:Delete",
     "ObjectRemoved"},
    /* SNS */
    {"aws-lambda-go__sns-event.json", EVENT_SNS, 1, NULL, NULL, 0, NULL, NULL, NULL, NULL,
     "not a JSON object"},
    {PTT "sns_s3_event.json", EVENT_SNS, 1, "s3-sns-unwrap-bucket-683517028648", "samconfig.toml",
     221, "551277913a5ad93e0db069e673f23376", NULL, NULL, "ObjectCreated:Put", NULL},
    /* SQS */
    {"aws-lambda-go__sqs-event.json", EVENT_SQS, 1, NULL, NULL, 0, NULL, NULL, "MessageID_1", NULL,
     "not a JSON object"},
    {PT "s3SqsEvent.json", EVENT_SQS, 1, "xxx", "test.pdf", 104681,
     "2e3ad1e983318bbd8e73b080e2997980", "yd3d4HaWOT2zguDLvIQLU6ptDTwKBnQV",
     "ca3e7a89-c358-40e5-8aa0-5da01403c267", "ObjectCreated:Put", NULL},
    {PT "snsSqsEvent.json", EVENT_SQS, 1, NULL, NULL, 0, NULL, NULL,
     "79406a00-bf15-46ca-978c-22c3613fcb30", NULL, "not an S3 event"},
    {PTT "sqs_s3_event.json", EVENT_SQS, 1, "sqs-s3-unwrap-bucket-683517028648", "samconfig.toml",
     221, "8f6c039f567cc53694be2a275e452743", NULL, "44103047-3123-4583-aed3-7224000351a8",
     "ObjectCreated:Put", NULL},
    {PTT "sqs_sns_s3_event.json", EVENT_SQS, 1, "unwraptestevents-bucket-683517028648",
     "firehose-s3-template.json", 4314, "e77dffcd1756d6e8e5123ef1e0ce7c54", NULL,
     "45405be4-2278-4eef-a29c-993898bb8917", "ObjectCreated:Put", NULL},
    {PTT "sqs_rawsns_s3_event.json", EVENT_SQS, 1, "unwraptestevents-bucket-683517028648",
     "samconfig.toml", 221, "9cc7da5febb07868706f59ab70d89981", NULL,
     "519619da-e529-46d7-b58c-bc054405af0f", "ObjectCreated:Put", NULL},
    {PTT "sqs_eb_s3_event.json", EVENT_SQS, 1, "s3-eb-unwrap-sourcebucket-7mop1gqlyrzu",
     "__init__.py", 0, "d41d8cd98f00b204e9800998ecf8427e", NULL,
     "ee95829a-ba32-471d-9684-34368ab9995e", "Object Created", NULL},
    /* EventBridge: keys are not URL-encoded. */
    {PT "s3EventBridgeNotificationObjectCreatedEvent.json", EVENT_EVENTBRIDGE, 1, "example-bucket",
     "IMG_m7fzo3.jpg", 184662, "4e68adba0abe2dc8653dc3354e14c01d", NULL, NULL, "Object Created",
     NULL},
    {PTT "eb_s3_event.json", EVENT_EVENTBRIDGE, 1, "s3-eb-unwrap-sourcebucket-7mop1gqlyrzu",
     "s3-eb-template.yaml", 1565, "e56e21b1610dd94e9907f82b8d05b934", NULL, NULL, "Object Created",
     NULL},
    /* S3 Batch Operations, schema 1.0 (bucket ARN) and 2.0 (bucket name). */
    {"aws-lambda-go__s3-batch-job-event-request-1.0.json", EVENT_BATCH, 1, "awsexamplebucket",
     "customerImage1.jpg", 0, NULL, "1", BATCH_TASK, NULL, NULL},
    {"aws-lambda-go__s3-batch-job-event-request-2.0.json", EVENT_BATCH, 1, "awsexamplebucket",
     "customerImage1.jpg", 0, NULL, "jbo9_jhdPEyB4RrmOxWS0kU0EoNrU_oI", BATCH_TASK, NULL, NULL},
    {"aws-lambda-java-libs__s3_batch_event.json", EVENT_BATCH, 1, "amzn-s3-demo-bucket",
     "customerImage1.jpg", 0, NULL, "1", BATCH_TASK, NULL, NULL},
    {"aws-lambda-java-libs__s3_batch_event_v2.json", EVENT_BATCH, 1, "source-directory-bucket-name",
     "s3objectkey", 0, NULL, NULL, "y5R3a2lkZ29lc2hlurcS", NULL, NULL},
    {PT "s3BatchOperationEventSchemaV1.json", EVENT_BATCH, 1, "powertools-dataset",
     "prefix/dataset/dataset.20231222.json.gz", 0, NULL, "1", BATCH_TASK, NULL, NULL},
    {PT "s3BatchOperationEventSchemaV2.json", EVENT_BATCH, 1, "powertools-dataset",
     "prefix/dataset/dataset.20231222.json.gz", 0, NULL, NULL, BATCH_TASK, NULL, NULL},
};

#define N_SAMPLES (sizeof samples / sizeof samples[0])

static char *load(const char *name, size_t *len) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", TK_EVENTS_DATA, name);
    char *text = (char *)test_read_file(path, len);
    if (text == NULL) {
        fprintf(stderr, "cannot read %s\n", path);
        check_failures++;
    }
    return text;
}

static void check_job(const char *file, const struct event_job *j, const struct expect *e) {
    int before = check_failures;
    CHECK_STR(j->bucket, e->bucket);
    CHECK_STR(j->key, e->key);
    CHECK_U64(j->size, e->size);
    CHECK_STR(j->etag, e->etag);
    CHECK_STR(j->version_id, e->version_id);
    CHECK_STR(j->item_id, e->item_id);
    CHECK_STR(j->event_name, e->event_name);
    if (e->skip == NULL) {
        CHECK_STR(j->skip_reason, NULL);
    } else {
        CHECK_HAS(j->skip_reason, e->skip);
    }
    CHECK(!j->malformed);
    if (check_failures != before) {
        fprintf(stderr, "  ^ in sample %s\n", file);
    }
}

static void test_samples(void) {
    for (size_t i = 0; i < N_SAMPLES; i++) {
        const struct expect *e = &samples[i];
        size_t len;
        char *text = load(e->file, &len);
        if (text == NULL) {
            continue;
        }
        struct event_batch b;
        char err[256];
        int rc = event_parse(text, len, &b, err, sizeof err);
        CHECK(rc == 0);
        if (rc != 0) {
            fprintf(stderr, "%s: %s\n", e->file, err);
        }
        if (b.source != e->source) {
            fprintf(stderr, "%s: source %s, expected %s\n", e->file, event_source_name(b.source),
                    event_source_name(e->source));
        }
        CHECK(b.source == e->source);
        CHECK_U64(b.n_jobs, e->n_jobs);
        if (b.n_jobs > 0 && e->n_jobs > 0) {
            check_job(e->file, &b.jobs[0], e);
        }
        if (e->source == EVENT_BATCH) {
            CHECK(b.schema_version != NULL && b.invocation_id != NULL && b.job_id != NULL);
        } else {
            CHECK(b.schema_version == NULL && b.invocation_id == NULL);
        }
        event_batch_free(&b);
        free(text);
    }
}

/* Every sample in the folder is in the table: a new sample cannot go untested. */
static void test_all_samples_listed(void) {
    DIR *d = opendir(TK_EVENTS_DATA);
    CHECK(d != NULL);
    if (d == NULL) {
        return;
    }
    size_t n_json = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n < 5 || strcmp(de->d_name + n - 5, ".json") != 0) {
            continue;
        }
        n_json++;
        bool found = false;
        for (size_t i = 0; i < N_SAMPLES; i++) {
            found = found || strcmp(samples[i].file, de->d_name) == 0;
        }
        if (!found) {
            fprintf(stderr, "sample %s has no expectation\n", de->d_name);
        }
        CHECK(found);
    }
    closedir(d);
    CHECK_U64(n_json, N_SAMPLES);
}

static int parse_str(const char *json, struct event_batch *b) {
    char err[256];
    int rc = event_parse(json, strlen(json), b, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "  parse error: %s\n", err);
    }
    return rc;
}

/* A direct S3 notification with several records: created (+ and %XX), removed, bad key. */
static void test_s3_several_records(void) {
    const char *json = "{\"Records\":["
                       "{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\","
                       "\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"a+b%2Bc.jpg\","
                       "\"size\":5}}},"
                       "{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:"
                       "CompleteMultipartUpload\",\"s3\":{\"bucket\":{\"name\":\"b\"},"
                       "\"object\":{\"key\":\"%E4%BD%A0%E5%AE%B6%E5%A8%83%F0%9F%90%B1.png\"}}},"
                       "{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectRemoved:Delete\","
                       "\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"x.jpg\"}}},"
                       "{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Copy\","
                       "\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"bad%G1.jpg\"}}},"
                       "{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectRestore:Completed\","
                       "\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"r.jpg\"}}},"
                       "{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\","
                       "\"s3\":{\"bucket\":{\"name\":\"b\"}}}"
                       "]}";
    struct event_batch b;
    CHECK(parse_str(json, &b) == 0);
    CHECK(b.source == EVENT_S3);
    CHECK_U64(b.n_jobs, 6);
    if (b.n_jobs == 6) {
        CHECK_STR(b.jobs[0].key, "a b+c.jpg");
        CHECK_U64(b.jobs[0].size, 5);
        CHECK_STR(b.jobs[0].skip_reason, NULL);
        CHECK_STR(b.jobs[1].key, "\xe4\xbd\xa0\xe5\xae\xb6\xe5\xa8\x83\xf0\x9f\x90\xb1.png");
        CHECK_STR(b.jobs[1].skip_reason, NULL);
        CHECK_STR(b.jobs[2].skip_reason, "ObjectRemoved event");
        CHECK_STR(b.jobs[2].key, "x.jpg");
        CHECK_HAS(b.jobs[3].skip_reason, "form-URL");
        CHECK(b.jobs[3].malformed);
        CHECK_STR(b.jobs[3].key, NULL);
        CHECK_HAS(b.jobs[4].skip_reason, "not an ObjectCreated");
        CHECK(!b.jobs[4].malformed);
        CHECK_HAS(b.jobs[5].skip_reason, "no bucket name or object key");
        CHECK(b.jobs[5].malformed);
    }
    event_batch_free(&b);
    CHECK(b.jobs == NULL && b.n_jobs == 0);
}

/* SQS: several messages, one with two S3 records; test event; plain text; EventBridge;
 * SNS envelope holding an S3 notification. Response: only transiently failed messages. */
static void test_sqs_batch_and_response(void) {
    const char *json =
        "{\"Records\":["
        "{\"messageId\":\"m1\",\"eventSource\":\"aws:sqs\",\"body\":\"{\\\"Records\\\":["
        "{\\\"eventSource\\\":\\\"aws:s3\\\",\\\"eventName\\\":\\\"ObjectCreated:Put\\\","
        "\\\"s3\\\":{\\\"bucket\\\":{\\\"name\\\":\\\"b\\\"},\\\"object\\\":{\\\"key\\\":"
        "\\\"one.jpg\\\"}}},"
        "{\\\"eventSource\\\":\\\"aws:s3\\\",\\\"eventName\\\":\\\"ObjectCreated:Put\\\","
        "\\\"s3\\\":{\\\"bucket\\\":{\\\"name\\\":\\\"b\\\"},\\\"object\\\":{\\\"key\\\":"
        "\\\"two.jpg\\\"}}}]}\"},"
        "{\"messageId\":\"m2\",\"eventSource\":\"aws:sqs\",\"body\":\"{\\\"Service\\\":"
        "\\\"Amazon S3\\\",\\\"Event\\\":\\\"s3:TestEvent\\\",\\\"Bucket\\\":\\\"b\\\"}\"},"
        "{\"messageId\":\"m3\",\"eventSource\":\"aws:sqs\",\"body\":\"hello\"},"
        "{\"messageId\":\"m4\",\"eventSource\":\"aws:sqs\",\"body\":\"{\\\"source\\\":"
        "\\\"aws.s3\\\",\\\"detail-type\\\":\\\"Object Created\\\",\\\"detail\\\":{"
        "\\\"bucket\\\":{\\\"name\\\":\\\"b\\\"},\\\"object\\\":{\\\"key\\\":\\\"a+b.jpg\\\"}}}\"},"
        "{\"messageId\":\"m5\",\"eventSource\":\"aws:sqs\",\"body\":\"{\\\"Type\\\":"
        "\\\"Notification\\\",\\\"Message\\\":\\\"{\\\\\\\"Records\\\\\\\":[{\\\\\\\"eventSource"
        "\\\\\\\":\\\\\\\"aws:s3\\\\\\\",\\\\\\\"eventName\\\\\\\":\\\\\\\"ObjectCreated:Post"
        "\\\\\\\",\\\\\\\"s3\\\\\\\":{\\\\\\\"bucket\\\\\\\":{\\\\\\\"name\\\\\\\":\\\\\\\"b"
        "\\\\\\\"},\\\\\\\"object\\\\\\\":{\\\\\\\"key\\\\\\\":\\\\\\\"five%20.png\\\\\\\"}}}]}"
        "\\\"}\"}"
        "]}";
    struct event_batch b;
    CHECK(parse_str(json, &b) == 0);
    CHECK(b.source == EVENT_SQS);
    CHECK_U64(b.n_jobs, 6);
    if (b.n_jobs != 6) {
        event_batch_free(&b);
        return;
    }
    CHECK_STR(b.jobs[0].item_id, "m1");
    CHECK_STR(b.jobs[0].key, "one.jpg");
    CHECK_STR(b.jobs[1].item_id, "m1");
    CHECK_STR(b.jobs[1].key, "two.jpg");
    CHECK_STR(b.jobs[2].item_id, "m2");
    CHECK_STR(b.jobs[2].skip_reason, "s3:TestEvent");
    CHECK_STR(b.jobs[3].item_id, "m3");
    CHECK_HAS(b.jobs[3].skip_reason, "not a JSON object");
    CHECK_STR(b.jobs[4].item_id, "m4");
    CHECK_STR(b.jobs[4].key, "a+b.jpg"); /* EventBridge: literal */
    CHECK_STR(b.jobs[5].item_id, "m5");
    CHECK_STR(b.jobs[5].key, "five .png"); /* S3 inside SNS inside SQS: decoded once */

    /* m1: second job transient -> listed once; m4 permanent -> not listed; m5 transient. */
    enum job_outcome out[6] = {JOB_FAILED_TRANSIENT, JOB_FAILED_TRANSIENT, JOB_SKIPPED,
                               JOB_SKIPPED,          JOB_FAILED_PERMANENT, JOB_FAILED_TRANSIENT};
    char *resp = event_response(&b, out, NULL);
    CHECK(resp != NULL);
    cJSON *r = cJSON_Parse(resp);
    CHECK(cJSON_IsObject(r) && cJSON_GetArraySize(r) == 1);
    const cJSON *fails = cJSON_GetObjectItemCaseSensitive(r, "batchItemFailures");
    CHECK(cJSON_IsArray(fails) && cJSON_GetArraySize(fails) == 2);
    const cJSON *f0 = cJSON_GetArrayItem(fails, 0), *f1 = cJSON_GetArrayItem(fails, 1);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(f0, "itemIdentifier")), "m1");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(f1, "itemIdentifier")), "m5");
    CHECK(f0 != NULL && cJSON_GetArraySize(f0) == 1);
    cJSON_Delete(r);
    free(resp);
    CHECK(!event_invocation_failed(&b, out));

    /* All succeeded: an empty list, never a missing member. */
    enum job_outcome ok[6] = {JOB_OK, JOB_OK, JOB_SKIPPED, JOB_SKIPPED, JOB_OK, JOB_OK};
    resp = event_response(&b, ok, NULL);
    CHECK_STR(resp, "{\"batchItemFailures\":[]}");
    free(resp);
    event_batch_free(&b);
}

/* Batch Operations: one result per task with the right code, compared with the sample. */
static void test_batch_response(void) {
    const char *json = "{\"invocationSchemaVersion\":\"2.0\",\"invocationId\":\"inv\","
                       "\"job\":{\"id\":\"job1\",\"userArguments\":{\"k\":\"v\"}},\"tasks\":["
                       "{\"taskId\":\"t1\",\"s3Key\":\"a+b%2B.jpg\",\"s3VersionId\":null,"
                       "\"s3Bucket\":\"bk\"},"
                       "{\"taskId\":\"t2\",\"s3Key\":\"b.jpg\",\"s3Bucket\":\"bk\"},"
                       "{\"taskId\":\"t3\",\"s3Key\":\"c.jpg\",\"s3Bucket\":\"bk\"},"
                       "{\"taskId\":\"t4\",\"s3Key\":\"d.txt\",\"s3Bucket\":\"bk\"},"
                       "{\"taskId\":\"t5\",\"s3Key\":\"%zz\",\"s3Bucket\":\"bk\"}]}";
    struct event_batch b;
    CHECK(parse_str(json, &b) == 0);
    CHECK(b.source == EVENT_BATCH);
    CHECK_STR(b.schema_version, "2.0");
    CHECK_STR(b.invocation_id, "inv");
    CHECK_STR(b.job_id, "job1");
    CHECK_U64(b.n_jobs, 5);
    if (b.n_jobs != 5) {
        event_batch_free(&b);
        return;
    }
    CHECK_STR(b.jobs[0].key, "a b+.jpg"); /* Batch Operations keys are URL-encoded */
    CHECK_STR(b.jobs[0].bucket, "bk");
    CHECK(b.jobs[4].malformed);
    enum job_outcome out[5] = {JOB_OK, JOB_FAILED_TRANSIENT, JOB_FAILED_PERMANENT, JOB_SKIPPED,
                               JOB_FAILED_PERMANENT};
    const char *msgs[5] = {"thumbnails/a b+.jpg.jpg", NULL, "corrupt", NULL, NULL};
    char *resp = event_response(&b, out, msgs);
    cJSON *r = cJSON_Parse(resp);
    CHECK(cJSON_IsObject(r));

    /* Same members, same types as the AWS sample response. */
    size_t len;
    char *text = load("aws-lambda-go__s3-batch-job-event-response.json", &len);
    cJSON *sample = text != NULL ? cJSON_Parse(text) : NULL;
    CHECK(sample != NULL);
    const cJSON *m;
    cJSON_ArrayForEach(m, sample) {
        const cJSON *got = cJSON_GetObjectItemCaseSensitive(r, m->string);
        if (got == NULL || got->type != m->type) {
            fprintf(stderr, "  response member %s missing or of another type\n", m->string);
        }
        CHECK(got != NULL && got->type == m->type);
    }
    CHECK_U64(cJSON_GetArraySize(r), cJSON_GetArraySize(sample));
    const cJSON *sres = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(sample, "results"), 0);
    const cJSON *results = cJSON_GetObjectItemCaseSensitive(r, "results");
    CHECK_U64(cJSON_GetArraySize(results), 5);
    const cJSON *res;
    cJSON_ArrayForEach(res, results) {
        CHECK_U64(cJSON_GetArraySize(res), cJSON_GetArraySize(sres));
        cJSON_ArrayForEach(m, sres) {
            CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(res, m->string)));
        }
    }
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(sample, "treatMissingKeysAs")),
              cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "treatMissingKeysAs")));
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "invocationSchemaVersion")),
              "2.0");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "invocationId")), "inv");

    const char *codes[5] = {"Succeeded", "TemporaryFailure", "PermanentFailure", "Succeeded",
                            "PermanentFailure"};
    const char *ids[5] = {"t1", "t2", "t3", "t4", "t5"};
    for (int i = 0; i < 5; i++) {
        const cJSON *ri = cJSON_GetArrayItem(results, i);
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ri, "taskId")), ids[i]);
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ri, "resultCode")),
                  codes[i]);
    }
    const cJSON *r0 = cJSON_GetArrayItem(results, 0), *r1 = cJSON_GetArrayItem(results, 1);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r0, "resultString")),
              "thumbnails/a b+.jpg.jpg");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r1, "resultString")),
              "failed_transient");
    CHECK(!event_invocation_failed(&b, out));
    cJSON_Delete(sample);
    free(text);
    cJSON_Delete(r);
    free(resp);
    event_batch_free(&b);
}

static void test_summary_and_direct(void) {
    struct event_batch b;
    /* Direct invoke: the key is literal, '+' and '%' stay. */
    CHECK(parse_str("{\"bucket\":\"in\",\"key\":\"dir/a+b%20c.PNG\"}", &b) == 0);
    CHECK(b.source == EVENT_DIRECT);
    CHECK_U64(b.n_jobs, 1);
    if (b.n_jobs == 1) {
        CHECK_STR(b.jobs[0].bucket, "in");
        CHECK_STR(b.jobs[0].key, "dir/a+b%20c.PNG");
        CHECK_STR(b.jobs[0].item_id, NULL);
    }
    enum job_outcome tr[1] = {JOB_FAILED_TRANSIENT};
    CHECK(event_invocation_failed(&b, tr));
    char *resp = event_response(&b, tr, NULL);
    CHECK_STR(resp, "{\"processed\":0,\"skipped\":0,\"failed\":1}");
    free(resp);
    event_batch_free(&b);

    /* EventBridge keys are literal too, and "Object Deleted" is skipped. */
    CHECK(parse_str("{\"source\":\"aws.s3\",\"detail-type\":\"Object Deleted\",\"detail\":{"
                    "\"bucket\":{\"name\":\"in\"},\"object\":{\"key\":\"a%20b.jpg\"}}}",
                    &b) == 0);
    CHECK(b.source == EVENT_EVENTBRIDGE);
    CHECK_U64(b.n_jobs, 1);
    if (b.n_jobs == 1) {
        CHECK_STR(b.jobs[0].key, "a%20b.jpg");
        CHECK_STR(b.jobs[0].skip_reason, "ObjectRemoved event");
    }
    event_batch_free(&b);

    /* A top-level s3:TestEvent: one skipped job. */
    CHECK(parse_str("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"in\"}",
                    &b) == 0);
    CHECK(b.source == EVENT_S3);
    CHECK_U64(b.n_jobs, 1);
    if (b.n_jobs == 1) {
        CHECK_STR(b.jobs[0].skip_reason, "s3:TestEvent");
    }
    enum job_outcome sk[1] = {JOB_SKIPPED};
    resp = event_response(&b, sk, NULL);
    CHECK_STR(resp, "{\"processed\":0,\"skipped\":1,\"failed\":0}");
    free(resp);
    CHECK(!event_invocation_failed(&b, sk));
    event_batch_free(&b);

    /* Summary counts across outcomes. */
    CHECK(parse_str("{\"Records\":[{\"EventSource\":\"aws:sns\",\"Sns\":{\"Message\":"
                    "\"{\\\"bucket\\\":\\\"x\\\",\\\"key\\\":\\\"1.jpg\\\"}\"}},"
                    "{\"EventSource\":\"aws:sns\",\"Sns\":{\"Message\":\"text\"}},"
                    "{\"EventSource\":\"aws:sns\",\"Sns\":{\"Message\":"
                    "\"{\\\"bucket\\\":\\\"x\\\",\\\"key\\\":\\\"2.jpg\\\"}\"}}]}",
                    &b) == 0);
    CHECK(b.source == EVENT_SNS);
    CHECK_U64(b.n_jobs, 3);
    enum job_outcome three[3] = {JOB_OK, JOB_SKIPPED, JOB_FAILED_PERMANENT};
    resp = event_response(&b, three, NULL);
    CHECK_STR(resp, "{\"processed\":1,\"skipped\":1,\"failed\":1}");
    CHECK(!event_invocation_failed(&b, three)); /* permanent: no retry */
    free(resp);
    event_batch_free(&b);
}

static void test_unknown_and_malformed(void) {
    struct event_batch b;
    char err[128];
    const char *unknown[] = {"{}",
                             "[]",
                             "[1,2]",
                             "42",
                             "\"s\"",
                             "null",
                             "{\"Records\":[]}",
                             "{\"Records\":{}}",
                             "{\"Records\":[{\"eventSource\":\"aws:dynamodb\"}]}",
                             "{\"Records\":[1]}",
                             "{\"bucket\":1,\"key\":\"k\"}",
                             "{\"source\":\"aws.s3\",\"detail\":3}",
                             "{\"invocationSchemaVersion\":\"1.0\"}"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        CHECK(parse_str(unknown[i], &b) == 0);
        if (b.source != EVENT_UNKNOWN || b.n_jobs != 0) {
            fprintf(stderr, "  %s: %s with %zu jobs\n", unknown[i], event_source_name(b.source),
                    b.n_jobs);
        }
        CHECK(b.source == EVENT_UNKNOWN && b.n_jobs == 0);
        char *resp = event_response(&b, NULL, NULL);
        CHECK_STR(resp, "{\"processed\":0,\"skipped\":0,\"failed\":0}");
        free(resp);
        event_batch_free(&b);
    }
    const char *bad[] = {"", "{", "{\"Records\":[}", "nul", "{} trailing", "{\"a\":1}}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        CHECK(event_parse(bad[i], strlen(bad[i]), &b, err, sizeof err) == -1);
        CHECK_HAS(err, "not valid JSON");
        CHECK(b.n_jobs == 0 && b.jobs == NULL);
        event_batch_free(&b);
    }
    /* Length is honoured: the text need not be NUL-terminated. */
    const char *two = "{\"bucket\":\"b\",\"key\":\"k.jpg\"}GARBAGE";
    CHECK(event_parse(two, strlen(two) - 7, &b, err, sizeof err) == 0);
    CHECK(b.source == EVENT_DIRECT && b.n_jobs == 1);
    event_batch_free(&b);
    CHECK(event_parse(NULL, 0, &b, err, sizeof err) == -1);
    /* SQS records whose bodies are deeply nested SNS envelopes stop at the nesting limit. */
    CHECK(parse_str("{\"Records\":[{\"eventSource\":\"aws:sqs\",\"messageId\":\"m\","
                    "\"body\":\"{\\\"Type\\\":\\\"Notification\\\",\\\"Message\\\":"
                    "\\\"{\\\\\\\"Type\\\\\\\":\\\\\\\"Notification\\\\\\\",\\\\\\\"Message"
                    "\\\\\\\":\\\\\\\"x\\\\\\\"}\\\"}\"}]}",
                    &b) == 0);
    CHECK(b.source == EVENT_SQS && b.n_jobs == 1);
    if (b.n_jobs == 1) {
        CHECK(b.jobs[0].skip_reason != NULL && b.jobs[0].item_id != NULL);
    }
    event_batch_free(&b);
    event_batch_free(NULL);
}

/* Parse, and if it parsed, build a response with every job failed transiently. */
static void parse_and_respond(const char *text, size_t len) {
    struct event_batch b;
    char err[128];
    if (event_parse(text, len, &b, err, sizeof err) != 0) {
        CHECK(b.n_jobs == 0 && b.jobs == NULL && err[0] != '\0');
        return;
    }
    enum job_outcome *out = calloc(b.n_jobs + 1, sizeof *out);
    for (size_t i = 0; out != NULL && i < b.n_jobs; i++) {
        out[i] = JOB_FAILED_TRANSIENT;
        /* Every job is either processable (bucket and key) or carries a reason. */
        CHECK(b.jobs[i].skip_reason != NULL || (b.jobs[i].bucket != NULL && b.jobs[i].key != NULL));
    }
    char *resp = event_response(&b, out, NULL);
    cJSON *r = cJSON_Parse(resp);
    CHECK(cJSON_IsObject(r));
    cJSON_Delete(r);
    free(resp);
    free(out);
    event_batch_free(&b);
}

/* Never a crash: every prefix of every sample, and every byte of it replaced in turn by a
 * JSON-significant character (run under ASan+UBSan in the sanitizer build). */
static void test_truncated_and_mutated(void) {
    static const char repl[] = {'"', '{', '\\', '}', '%', ',', '\0', '['};
    for (size_t i = 0; i < N_SAMPLES; i++) {
        size_t len;
        char *text = load(samples[i].file, &len);
        if (text == NULL) {
            continue;
        }
        for (size_t n = 0; n < len; n++) {
            parse_and_respond(text, n);
        }
        for (size_t pos = 0; pos < len; pos++) {
            char saved = text[pos];
            text[pos] = repl[pos % sizeof repl];
            parse_and_respond(text, len);
            text[pos] = saved;
        }
        free(text);
    }
}

static void test_names(void) {
    CHECK_STR(event_source_name(EVENT_SQS), "sqs");
    CHECK_STR(event_source_name(EVENT_EVENTBRIDGE), "eventbridge");
    CHECK_STR(event_source_name((enum event_source)99), "unknown");
    CHECK_STR(event_outcome_name(JOB_FAILED_TRANSIENT), "failed_transient");
}

/* One normalised form orders the events of a key for the record and the thumbnails alike. */
static void test_sequencer(void) {
    char a[EVENT_SEQUENCER_LEN + 1], b[EVENT_SEQUENCER_LEN + 1];
    CHECK(event_sequencer("0055aed6dcd90281e5", a));
    CHECK_STR(a, "000000000000000055AED6DCD90281E5");
    CHECK(event_sequencer("55AED6DCD90281F0", b));
    CHECK(strcmp(a, b) < 0); /* leading zeros do not count: S3's rule */
    CHECK(event_sequencer("F", b) && strcmp(a, b) > 0);
    CHECK(!event_sequencer("", a) && a[0] == '\0');
    CHECK(!event_sequencer(NULL, a));
    CHECK(!event_sequencer("0055-AED6", a));
    CHECK(!event_sequencer("123456789012345678901234567890123", a)); /* 33 digits */
}

int main(void) {
    test_sequencer();
    test_samples();
    test_all_samples_listed();
    test_s3_several_records();
    test_sqs_batch_and_response();
    test_batch_response();
    test_summary_and_direct();
    test_unknown_and_malformed();
    test_names();
    test_truncated_and_mutated();
    return check_done("lambda.events.event");
}
