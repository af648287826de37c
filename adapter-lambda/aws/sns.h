/*
 * sns.h — SNS Publish (query protocol, query.h) with string message attributes, so that
 * subscribers can filter on them.
 * Thread-safety: as the client's: one thread at a time.
 */
#ifndef TK_LAMBDA_AWS_SNS_H
#define TK_LAMBDA_AWS_SNS_H

#include <stddef.h>

#include "aws/request.h"

/** The signing name and endpoint prefix of SNS. */
#define SNS_SERVICE "sns"
/** The SDK id of SNS's endpoint variable (AWS_ENDPOINT_URL_SNS). */
#define SNS_ENDPOINT_ID "SNS"
/** Most message attributes one Publish carries here. */
#define SNS_MAX_ATTRIBUTES 8

/** A message attribute of DataType String. */
struct sns_attribute {
    const char *name;
    const char *value;
};

/**
 * Publish @p message to @p topic_arn with @p n_attrs (≤ SNS_MAX_ATTRIBUTES) attributes.
 * @param message_id  receives the MessageId of the answer ("" when absent)
 * @return AWS_OK or the failure class (NotFound: no such topic, AuthorizationError: denied)
 */
enum aws_status sns_publish(struct aws_client *c, const char *topic_arn, const char *message,
                            const struct sns_attribute *attrs, size_t n_attrs, char message_id[96],
                            struct aws_error *e);

#endif /* TK_LAMBDA_AWS_SNS_H */
