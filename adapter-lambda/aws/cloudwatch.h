/*
 * cloudwatch.h — CloudWatch PutMetricData (query protocol, query.h): several values of one
 * namespace and one dimension set in one call.
 * Thread-safety: as the client's: one thread at a time.
 */
#ifndef TK_LAMBDA_AWS_CLOUDWATCH_H
#define TK_LAMBDA_AWS_CLOUDWATCH_H

#include <stddef.h>

#include "aws/request.h"

/** The signing name and endpoint prefix of CloudWatch (metrics). */
#define CLOUDWATCH_SERVICE "monitoring"
/** The SDK id of CloudWatch's endpoint variable (AWS_ENDPOINT_URL_CLOUDWATCH). */
#define CLOUDWATCH_ENDPOINT_ID "CLOUDWATCH"
/** Most data points one call carries here (CloudWatch accepts 1000). */
#define CLOUDWATCH_MAX_DATUMS 16

/** One value. */
struct cloudwatch_datum {
    const char *name;
    double value;
    const char *unit; /**< "Count", "Milliseconds", ... */
};

/**
 * PutMetricData of @p n datums in @p ns, each with the one dimension @p dim_name=@p dim_value,
 * at @p timestamp (epoch seconds).
 * @return AWS_OK or the failure class
 */
enum aws_status cloudwatch_put_metric_data(struct aws_client *c, const char *ns,
                                           const char *dim_name, const char *dim_value,
                                           long long timestamp,
                                           const struct cloudwatch_datum *datums, size_t n,
                                           struct aws_error *e);

#endif /* TK_LAMBDA_AWS_CLOUDWATCH_H */
