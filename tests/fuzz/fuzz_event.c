/*
 * fuzz_event.c — libFuzzer target: the Lambda event parser on any payload (every shape: S3,
 * SQS with S3/SNS/EventBridge bodies, SNS, EventBridge, Batch Operations, direct), then the
 * response built from made-up outcomes, which must be JSON again.
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "events/event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the handler relies on for every job the parser hands out. */
static void check_job(const struct event_job *j) {
    if (j->skip_reason == NULL &&
        (j->bucket == NULL || j->key == NULL || j->bucket[0] == '\0' || j->key[0] == '\0')) {
        abort();
    }
    if (j->malformed && j->skip_reason == NULL) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct event_batch b;
    char err[160];
    if (event_parse((const char *)data, size, &b, err, sizeof err) != 0) {
        if (err[0] == '\0' || b.n_jobs != 0) {
            abort();
        }
        event_batch_free(&b);
        return 0;
    }
    enum job_outcome *outcomes = calloc(b.n_jobs ? b.n_jobs : 1, sizeof *outcomes);
    if (outcomes == NULL) {
        abort();
    }
    for (size_t i = 0; i < b.n_jobs; i++) {
        check_job(&b.jobs[i]);
        outcomes[i] = (enum job_outcome)((i + size) % 4);
    }
    char *response = event_response(&b, outcomes, NULL);
    if (response == NULL) {
        abort();
    }
    cJSON *again = cJSON_Parse(response);
    if (again == NULL) {
        abort();
    }
    cJSON_Delete(again);
    (void)event_invocation_failed(&b, outcomes);
    free(response);
    free(outcomes);
    event_batch_free(&b);
    return 0;
}
