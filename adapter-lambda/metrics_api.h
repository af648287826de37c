/*
 * metrics_api.h — the invocation's metrics through the CloudWatch API (METRIC_MODE=api or
 * both): one PutMetricData call per invocation carrying ImagesProcessed, ImagesFailed,
 * ImagesSkipped and ProcessingTime with the FunctionName dimension, the same values as the
 * EMF line (metrics.h). A failure is the caller's to log: it never fails an image.
 * Thread-safety: as the client's.
 */
#ifndef TK_LAMBDA_METRICS_API_H
#define TK_LAMBDA_METRICS_API_H

#include <stdint.h>

#include "aws/request.h"
#include "metrics.h"

/**
 * PutMetricData of @p m in @p ns for @p function_name at @p timestamp_ms.
 * @return AWS_OK or the failure class
 */
enum aws_status metrics_api_put(struct aws_client *cw, const char *ns, const char *function_name,
                                uint64_t timestamp_ms, const struct metrics *m,
                                struct aws_error *e);

#endif /* TK_LAMBDA_METRICS_API_H */
