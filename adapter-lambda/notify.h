/*
 * notify.h — one SNS message per processed or failed image (NOTIFY_TOPIC_ARN).
 *
 * The message is the record's facts as JSON (record_facts()); message attributes `status`
 * (processed, failed) and `format` (the thumbnails' format, else the source's, else
 * "unknown") let subscribers filter (SNS filter policies), plus `bucket`.
 * Thread-safety: as the client's.
 */
#ifndef TK_LAMBDA_NOTIFY_H
#define TK_LAMBDA_NOTIFY_H

#include <cjson/cJSON.h>

#include "aws/request.h"

/**
 * Publish @p facts (record_facts()) to @p topic_arn.
 * @param message_id  receives SNS's MessageId
 * @return AWS_OK or the failure class
 */
enum aws_status notify_publish(struct aws_client *sns, const char *topic_arn, const cJSON *facts,
                               char message_id[96], struct aws_error *e);

#endif /* TK_LAMBDA_NOTIFY_H */
