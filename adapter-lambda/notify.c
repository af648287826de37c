/* notify.c — the SNS message of an image (see notify.h). */
#include "notify.h"

#include <stdlib.h>
#include <string.h>

#include "aws/sns.h"

static const char *member(const cJSON *o, const char *name) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

enum aws_status notify_publish(struct aws_client *sns, const char *topic_arn, const cJSON *facts,
                               char message_id[96], struct aws_error *e) {
    const cJSON *thumbs = cJSON_GetObjectItemCaseSensitive(facts, "thumbnails");
    const char *format = member(cJSON_GetArrayItem(thumbs, 0), "format");
    if (format == NULL) {
        format = member(cJSON_GetObjectItemCaseSensitive(facts, "image"), "format");
    }
    const char *status = member(facts, "status");
    const char *bucket = member(cJSON_GetObjectItemCaseSensitive(facts, "source"), "bucket");
    const struct sns_attribute attrs[] = {{"status", status ? status : "unknown"},
                                          {"format", format ? format : "unknown"},
                                          {"bucket", bucket ? bucket : "unknown"}};
    char *message = cJSON_PrintUnformatted(facts);
    if (message == NULL) {
        aws_error_set(e, 0, "no_memory", "out of memory building the SNS message");
        return AWS_ERR_NO_MEMORY;
    }
    enum aws_status st = sns_publish(sns, topic_arn, message, attrs, 3, message_id, e);
    free(message);
    return st;
}
