/* dynamodb.c — DynamoDB's JSON protocol and attribute values (see dynamodb.h). */
#include "aws/dynamodb.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

#define RESPONSE_MAX (4u << 20) /* a Scan page is at most 1 MB of items; leave room */

enum aws_status dynamodb_call(struct aws_client *c, const char *operation, const cJSON *request,
                              cJSON **out, struct aws_error *e) {
    struct http_response resp;
    char target[96];
    *out = NULL;
    char *body = cJSON_PrintUnformatted(request);
    if (body == NULL) {
        memset(&resp, 0, sizeof resp);
        aws_error_set(e, 0, "no_memory", "out of memory building the DynamoDB request");
        return AWS_ERR_NO_MEMORY;
    }
    snprintf(target, sizeof target, "DynamoDB_20120810.%s", operation);
    const struct sigv4_header h[] = {{"content-type", "application/x-amz-json-1.0"},
                                     {"x-amz-target", target}};
    struct aws_request r = {.method = "POST",
                            .path = "/",
                            .headers = h,
                            .n_headers = 2,
                            .body = body,
                            .body_len = strlen(body),
                            .max_body = RESPONSE_MAX};
    enum aws_status st = aws_send(c, &r, &resp, e);
    if (st == AWS_OK) {
        *out = cJSON_ParseWithLength(resp.body ? resp.body : "", resp.body_len);
        if (!cJSON_IsObject(*out)) {
            cJSON_Delete(*out);
            *out = NULL;
            aws_error_set(e, resp.status, "InvalidResponse", "DynamoDB answered with no JSON");
            st = AWS_ERR_PERMANENT;
        }
    }
    http_response_free(&resp);
    free(body);
    return st;
}

/* {"<type>": value}, value consumed; NULL when either allocation failed. */
static cJSON *typed(const char *type, cJSON *value) {
    cJSON *o = cJSON_CreateObject();
    if (o == NULL || value == NULL) {
        cJSON_Delete(o);
        cJSON_Delete(value);
        return NULL;
    }
    cJSON_AddItemToObject(o, type, value);
    return o;
}

/* Numbers as DynamoDB wants them: integers exactly, others with 17 significant digits. */
static cJSON *number_text(double d) {
    char buf[40];
    if (!isfinite(d)) {
        return NULL;
    }
    if (d == floor(d) && fabs(d) < 9007199254740992.0) {
        snprintf(buf, sizeof buf, "%.0f", d);
    } else {
        snprintf(buf, sizeof buf, "%.17g", d);
    }
    return cJSON_CreateString(buf);
}

/* Map each element (array) or member (object) of @p in through @p f into a new container. */
static cJSON *map_children(const cJSON *in, bool object, cJSON *(*f)(const cJSON *)) {
    cJSON *out = object ? cJSON_CreateObject() : cJSON_CreateArray();
    const cJSON *x;
    if (out == NULL) {
        return NULL;
    }
    cJSON_ArrayForEach(x, in) {
        cJSON *y = f(x);
        if (y == NULL) {
            cJSON_Delete(out);
            return NULL;
        }
        if (object) {
            cJSON_AddItemToObject(out, x->string, y);
        } else {
            cJSON_AddItemToArray(out, y);
        }
    }
    return out;
}

cJSON *dynamodb_marshal(const cJSON *p) {
    if (cJSON_IsString(p)) {
        return typed("S", cJSON_CreateString(p->valuestring));
    }
    if (cJSON_IsNumber(p)) {
        cJSON *n = number_text(p->valuedouble);
        return n ? typed("N", n) : typed("NULL", cJSON_CreateTrue());
    }
    if (cJSON_IsBool(p)) {
        return typed("BOOL", cJSON_CreateBool(cJSON_IsTrue(p)));
    }
    if (cJSON_IsArray(p)) {
        return typed("L", map_children(p, false, dynamodb_marshal));
    }
    if (cJSON_IsObject(p)) {
        return typed("M", map_children(p, true, dynamodb_marshal));
    }
    return typed("NULL", cJSON_CreateTrue());
}

static cJSON *number_from_text(const cJSON *s) {
    if (!cJSON_IsString(s)) {
        return cJSON_CreateNull();
    }
    char *end = NULL;
    double d = strtod(s->valuestring, &end);
    return end != s->valuestring && *end == '\0' ? cJSON_CreateNumber(d) : cJSON_CreateNull();
}

cJSON *dynamodb_unmarshal(const cJSON *av) {
    const cJSON *v = av != NULL ? av->child : NULL;
    if (!cJSON_IsObject(av) || v == NULL || v->string == NULL) {
        return NULL;
    }
    const char *t = v->string;
    if (strcmp(t, "S") == 0 && cJSON_IsString(v)) {
        return cJSON_CreateString(v->valuestring);
    }
    if (strcmp(t, "N") == 0) {
        return number_from_text(v);
    }
    if (strcmp(t, "BOOL") == 0) {
        return cJSON_CreateBool(cJSON_IsTrue(v));
    }
    if (strcmp(t, "L") == 0 && cJSON_IsArray(v)) {
        return map_children(v, false, dynamodb_unmarshal);
    }
    if (strcmp(t, "M") == 0 && cJSON_IsObject(v)) {
        return map_children(v, true, dynamodb_unmarshal);
    }
    if (strcmp(t, "SS") == 0 && cJSON_IsArray(v)) {
        return cJSON_Duplicate(v, true);
    }
    if (strcmp(t, "NS") == 0 && cJSON_IsArray(v)) {
        return map_children(v, false, number_from_text);
    }
    return cJSON_CreateNull();
}

cJSON *dynamodb_unmarshal_item(const cJSON *item) {
    return cJSON_IsObject(item) ? map_children(item, true, dynamodb_unmarshal) : NULL;
}

cJSON *dynamodb_marshal_item(const cJSON *plain) {
    return cJSON_IsObject(plain) ? map_children(plain, true, dynamodb_marshal) : NULL;
}
