/* record.c — the image's record in DynamoDB, written in order (see record.h). */
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/dynamodb.h"
#include "base/text.h"
#include "keymap.h"
#include "log.h"

/* The attributes step 2 writes (SET when in the facts, else REMOVE), as named in the facts. */
static const char *const fact_names[] = {"status",    "reason",     "reasonCode", "source",
                                         "image",     "thumbnails", "archive",    "processingMs",
                                         "requestId", "updatedAt"};

static void add_str(cJSON *o, const char *name, const char *v) {
    if (v != NULL && v[0] != '\0') {
        cJSON_AddStringToObject(o, name, v);
    }
}

static void add_time(cJSON *o, const char *name, int64_t ms) {
    char ts[32];
    if (ms > 0 && log_rfc3339((uint64_t)ms, ts, sizeof ts) == 0) {
        cJSON_AddStringToObject(o, name, ts);
    }
}

static void add_source(cJSON *root, const struct record_input *in) {
    const struct event_job *j = in->job;
    cJSON *s = cJSON_AddObjectToObject(root, "source");
    add_str(s, "bucket", j->bucket);
    add_str(s, "key", j->key);
    add_str(s, "versionId", j->version_id ? j->version_id : in->obj ? in->obj->version_id : NULL);
    add_str(s, "etag", j->etag ? j->etag : in->obj ? in->obj->etag : NULL);
    if (in->obj) {
        cJSON_AddNumberToObject(s, "bytes", (double)in->obj->size);
        add_str(s, "contentType", in->obj->content_type);
        add_time(s, "lastModified", in->obj->last_modified * 1000);
    } else if (j->size) {
        cJSON_AddNumberToObject(s, "bytes", (double)j->size);
    }
}

static void add_image(cJSON *root, const struct tk_result *tr) {
    if (tr == NULL || tr->source_format == TK_FORMAT_UNKNOWN || tr->source_width == 0) {
        return;
    }
    bool swap = tr->orientation >= 5 && tr->orientation <= 8; /* a quarter turn */
    cJSON *im = cJSON_AddObjectToObject(root, "image");
    cJSON_AddStringToObject(im, "format", tk_format_name(tr->source_format));
    cJSON_AddNumberToObject(im, "width", tr->source_width);
    cJSON_AddNumberToObject(im, "height", tr->source_height);
    cJSON_AddNumberToObject(im, "uprightWidth", swap ? tr->source_height : tr->source_width);
    cJSON_AddNumberToObject(im, "uprightHeight", swap ? tr->source_width : tr->source_height);
    cJSON_AddNumberToObject(im, "orientation", tr->orientation);
}

static void add_thumbnails(cJSON *root, const struct record_input *in) {
    const struct tk_result *tr = in->tr;
    if (tr == NULL || in->thumb_keys == NULL || tr->n_thumbs == 0) {
        return;
    }
    cJSON *arr = cJSON_AddArrayToObject(root, "thumbnails");
    for (size_t i = 0; arr && i < tr->n_thumbs && i < in->cfg->n_sizes; i++) {
        const struct tk_thumb *t = &tr->thumbs[i];
        char label[KEYMAP_MAX_LABEL];
        keymap_size_label(in->cfg->sizes[i], label);
        cJSON *o = cJSON_CreateObject();
        if (o == NULL) {
            return;
        }
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "size", label);
        cJSON_AddStringToObject(o, "bucket", in->cfg->dest_bucket);
        cJSON_AddStringToObject(o, "key", in->thumb_keys[i]);
        cJSON_AddNumberToObject(o, "width", t->width);
        cJSON_AddNumberToObject(o, "height", t->height);
        cJSON_AddNumberToObject(o, "bytes", (double)t->size);
        cJSON_AddStringToObject(o, "format", tk_format_name(t->format));
    }
}

cJSON *record_facts(const struct record_input *in) {
    char seq[EVENT_SEQUENCER_LEN + 1];
    cJSON *root = cJSON_CreateObject();
    if (root == NULL) {
        return NULL;
    }
    cJSON_AddStringToObject(root, "imageId", in->job->key);
    cJSON_AddStringToObject(root, "status", in->status);
    add_str(root, "reason", in->reason);
    add_str(root, "reasonCode", in->reason ? in->reason_code : NULL);
    add_source(root, in);
    add_image(root, in->tr);
    add_thumbnails(root, in);
    if (in->archive) {
        cJSON *a = cJSON_AddObjectToObject(root, "archive");
        add_str(a, "bucket", in->archive->bucket);
        add_str(a, "key", in->archive->key);
        cJSON_AddNumberToObject(a, "bytes", (double)in->archive->bytes);
    }
    cJSON_AddNumberToObject(root, "processingMs", in->processing_ms);
    add_str(root, "requestId", in->request_id);
    if (event_sequencer(in->job->sequencer, seq)) {
        cJSON_AddStringToObject(root, "sequencer", seq);
    }
    add_time(root, "updatedAt", in->now_ms);
    /* cJSON_Add* return NULL on allocation failure: check the result once, by printing. */
    char *probe = cJSON_PrintUnformatted(root);
    if (probe == NULL) {
        cJSON_Delete(root);
        return NULL;
    }
    free(probe);
    return root;
}

/* {"TableName": table, "Key": {"ImageID": {"S": id}}} */
static cJSON *keyed_request(const char *table, const char *image_id) {
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "TableName", table);
    cJSON *k = cJSON_AddObjectToObject(r, "Key");
    cJSON *id = cJSON_AddObjectToObject(k, "ImageID");
    cJSON_AddStringToObject(id, "S", image_id);
    return r;
}

static void add_value(cJSON *values, const char *name, const cJSON *plain) {
    cJSON *av = dynamodb_marshal(plain);
    if (av) {
        cJSON_AddItemToObject(values, name, av);
    }
}

static void add_string_value(cJSON *values, const char *name, const char *s) {
    cJSON *v = cJSON_CreateString(s);
    add_value(values, name, v);
    cJSON_Delete(v);
}

/* Send UpdateItem @p r (consumed). @p failed_condition: the condition did not hold. */
static enum aws_status update(struct aws_client *ddb, cJSON *r, bool *failed_condition,
                              struct aws_error *e) {
    cJSON *out = NULL;
    *failed_condition = false;
    enum aws_status st = dynamodb_call(ddb, "UpdateItem", r, &out, e);
    if (st == AWS_ERR_PERMANENT && e && strcmp(e->code, "ConditionalCheckFailedException") == 0) {
        *failed_condition = true;
        st = AWS_OK;
    }
    cJSON_Delete(out);
    cJSON_Delete(r);
    return st;
}

enum aws_status record_claim(struct aws_client *ddb, const char *table, const struct event_job *job,
                             const char *request_id, int64_t now_ms, bool *go, char *why,
                             size_t whylen, struct aws_error *e) {
    char seq[EVENT_SEQUENCER_LEN + 1], now[32];
    bool has_seq = event_sequencer(job->sequencer, seq);
    bool failed = false;
    *go = false;
    text_copy(why, whylen, "");
    log_rfc3339((uint64_t)now_ms, now, sizeof now);
    cJSON *r = keyed_request(table, job->key);
    cJSON *names = cJSON_AddObjectToObject(r, "ExpressionAttributeNames");
    cJSON_AddStringToObject(names, "#status", "status");
    cJSON *values = cJSON_AddObjectToObject(r, "ExpressionAttributeValues");
    add_string_value(values, ":processing", "processing");
    add_string_value(values, ":now", now);
    add_string_value(values, ":rid", request_id && *request_id ? request_id : "-");
    if (has_seq) {
        add_string_value(values, ":seq", seq);
        cJSON_AddStringToObject(r, "UpdateExpression",
                                "SET #status = :processing, sequencer = :seq, requestId = :rid, "
                                "updatedAt = :now, createdAt = if_not_exists(createdAt, :now)");
        cJSON_AddStringToObject(
            r, "ConditionExpression",
            "attribute_not_exists(ImageID) OR attribute_not_exists(sequencer) OR "
            "sequencer < :seq OR (sequencer = :seq AND (#status = :processing OR "
            "attribute_exists(notifyPending)))");
    } else {
        cJSON_AddStringToObject(r, "UpdateExpression",
                                "SET #status = :processing, requestId = :rid, updatedAt = :now, "
                                "createdAt = if_not_exists(createdAt, :now)");
    }
    enum aws_status st = update(ddb, r, &failed, e);
    if (st == AWS_OK && failed) {
        text_format(why, whylen,
                    "duplicate or older event: the record of this key already holds sequencer "
                    "%s or a later one",
                    seq);
    }
    *go = st == AWS_OK && !failed;
    return st;
}

enum aws_status record_finish(struct aws_client *ddb, const char *table,
                              const struct event_job *job, const cJSON *facts, bool notify_pending,
                              bool *superseded, struct aws_error *e) {
    char seq[EVENT_SEQUENCER_LEN + 1], set[1024] = "SET", remove[256] = " REMOVE";
    size_t n_set = 0, n_remove = 0;
    cJSON *r = keyed_request(table, job->key);
    cJSON *names = cJSON_AddObjectToObject(r, "ExpressionAttributeNames");
    cJSON *values = cJSON_AddObjectToObject(r, "ExpressionAttributeValues");
    for (size_t i = 0; i < sizeof fact_names / sizeof fact_names[0]; i++) {
        char alias[8], ph[8];
        snprintf(alias, sizeof alias, "#a%zu", i);
        snprintf(ph, sizeof ph, ":v%zu", i);
        cJSON_AddStringToObject(names, alias, fact_names[i]);
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(facts, fact_names[i]);
        if (v) {
            add_value(values, ph, v);
            size_t l = strlen(set);
            snprintf(set + l, sizeof set - l, "%s %s = %s", n_set++ ? "," : "", alias, ph);
        } else {
            size_t l = strlen(remove);
            snprintf(remove + l, sizeof remove - l, "%s %s", n_remove++ ? "," : "", alias);
        }
    }
    cJSON_AddStringToObject(names, "#np", "notifyPending");
    if (notify_pending) {
        cJSON *t = cJSON_CreateTrue();
        add_value(values, ":np", t);
        cJSON_Delete(t);
        size_t l = strlen(set);
        snprintf(set + l, sizeof set - l, ", #np = :np");
    } else {
        size_t l = strlen(remove);
        snprintf(remove + l, sizeof remove - l, "%s #np", n_remove++ ? "," : "");
    }
    char *expr = text_printf("%s%s", set, n_remove ? remove : "");
    cJSON_AddStringToObject(r, "UpdateExpression", expr ? expr : "");
    free(expr);
    if (event_sequencer(job->sequencer, seq)) {
        add_string_value(values, ":seq", seq);
        cJSON_AddStringToObject(r, "ConditionExpression", "sequencer = :seq");
    } else {
        cJSON_AddStringToObject(r, "ConditionExpression", "attribute_exists(ImageID)");
    }
    return update(ddb, r, superseded, e);
}

enum aws_status record_notified(struct aws_client *ddb, const char *table,
                                const struct event_job *job, struct aws_error *e) {
    char seq[EVENT_SEQUENCER_LEN + 1];
    bool failed = false;
    cJSON *r = keyed_request(table, job->key);
    cJSON_AddStringToObject(r, "UpdateExpression", "REMOVE notifyPending");
    if (event_sequencer(job->sequencer, seq)) {
        cJSON *values = cJSON_AddObjectToObject(r, "ExpressionAttributeValues");
        add_string_value(values, ":seq", seq);
        cJSON_AddStringToObject(r, "ConditionExpression", "sequencer = :seq");
    }
    return update(ddb, r, &failed, e); /* superseded meanwhile: nothing left to clear */
}

/* A stored item as the API shows it: ImageID -> imageId, internal attributes dropped. */
static cJSON *item_to_record(const cJSON *item) {
    cJSON *o = dynamodb_unmarshal_item(item);
    if (o == NULL) {
        return NULL;
    }
    cJSON *id = cJSON_DetachItemFromObjectCaseSensitive(o, "ImageID");
    if (id) {
        cJSON_AddItemToObject(o, "imageId", id);
    }
    cJSON_DeleteItemFromObjectCaseSensitive(o, "notifyPending");
    return o;
}

enum aws_status record_get(struct aws_client *ddb, const char *table, const char *image_id,
                           cJSON **out, struct aws_error *e) {
    cJSON *resp = NULL;
    *out = NULL;
    cJSON *r = keyed_request(table, image_id);
    cJSON_AddTrueToObject(r, "ConsistentRead");
    enum aws_status st = dynamodb_call(ddb, "GetItem", r, &resp, e);
    cJSON_Delete(r);
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(resp, "Item");
    if (st == AWS_OK && cJSON_IsObject(item)) {
        *out = item_to_record(item);
        st = *out ? AWS_OK : AWS_ERR_NO_MEMORY;
    }
    cJSON_Delete(resp);
    return st;
}

enum aws_status record_list(struct aws_client *ddb, const char *table, unsigned limit,
                            const char *start_id, cJSON **items, char **next_id,
                            struct aws_error *e) {
    cJSON *resp = NULL;
    *items = NULL;
    *next_id = NULL;
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "TableName", table);
    cJSON_AddNumberToObject(r, "Limit", limit);
    if (start_id) {
        cJSON *k = cJSON_AddObjectToObject(r, "ExclusiveStartKey");
        cJSON *id = cJSON_AddObjectToObject(k, "ImageID");
        cJSON_AddStringToObject(id, "S", start_id);
    }
    enum aws_status st = dynamodb_call(ddb, "Scan", r, &resp, e);
    cJSON_Delete(r);
    if (st == AWS_OK) {
        *items = cJSON_CreateArray();
        const cJSON *it;
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(resp, "Items")) {
            cJSON *rec = item_to_record(it);
            if (rec && *items) {
                cJSON_AddItemToArray(*items, rec);
            } else {
                cJSON_Delete(rec);
                st = AWS_ERR_NO_MEMORY;
            }
        }
        const cJSON *last = cJSON_GetObjectItemCaseSensitive(resp, "LastEvaluatedKey");
        const cJSON *lid = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(last, "ImageID"), "S");
        if (cJSON_IsString(lid)) {
            *next_id = strdup(lid->valuestring);
        }
        if (*items == NULL || st != AWS_OK) {
            cJSON_Delete(*items);
            *items = NULL;
            free(*next_id);
            *next_id = NULL;
            st = AWS_ERR_NO_MEMORY;
        }
    }
    cJSON_Delete(resp);
    return st;
}
