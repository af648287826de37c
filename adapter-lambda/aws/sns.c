/* sns.c — SNS Publish (see sns.h). */
#include "aws/sns.h"

#include <string.h>

#include "aws/query.h"
#include "base/text.h"

enum aws_status sns_publish(struct aws_client *c, const char *topic_arn, const char *message,
                            const struct sns_attribute *attrs, size_t n_attrs, char message_id[96],
                            struct aws_error *e) {
    struct aws_query q = {0};
    struct http_response resp;
    message_id[0] = '\0';
    if (n_attrs > SNS_MAX_ATTRIBUTES) {
        memset(&resp, 0, sizeof resp);
        aws_error_set(e, 0, "InvalidParameter", "too many message attributes");
        return AWS_ERR_PERMANENT;
    }
    aws_query_add(&q, "Publish", "Action");
    aws_query_add(&q, "2010-03-31", "Version");
    aws_query_add(&q, topic_arn, "TopicArn");
    aws_query_add(&q, message, "Message");
    for (size_t i = 0; i < n_attrs; i++) {
        aws_query_add(&q, attrs[i].name, "MessageAttributes.entry.%zu.Name", i + 1);
        aws_query_add(&q, "String", "MessageAttributes.entry.%zu.Value.DataType", i + 1);
        aws_query_add(&q, attrs[i].value, "MessageAttributes.entry.%zu.Value.StringValue", i + 1);
    }
    enum aws_status st = aws_query_send(c, &q, &resp, e);
    if (st == AWS_OK && resp.body) {
        /* <PublishResponse><PublishResult><MessageId>...</MessageId> */
        const char *a = strstr(resp.body, "<MessageId>");
        const char *b = a ? strstr(a, "</MessageId>") : NULL;
        text_copyn(message_id, 96, a && b ? a + 11 : "", a && b ? (size_t)(b - a - 11) : 0);
    }
    http_response_free(&resp);
    aws_query_free(&q);
    return st;
}
