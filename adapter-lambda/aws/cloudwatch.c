/* cloudwatch.c — CloudWatch PutMetricData (see cloudwatch.h). */
#include "aws/cloudwatch.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "aws/query.h"

enum aws_status cloudwatch_put_metric_data(struct aws_client *c, const char *ns,
                                           const char *dim_name, const char *dim_value,
                                           long long timestamp,
                                           const struct cloudwatch_datum *datums, size_t n,
                                           struct aws_error *e) {
    struct aws_query q = {0};
    struct http_response resp;
    char when[32], value[40];
    if (n == 0 || n > CLOUDWATCH_MAX_DATUMS) {
        aws_error_set(e, 0, "InvalidParameter", "1 to 16 data points per call");
        return AWS_ERR_PERMANENT;
    }
    time_t t = (time_t)timestamp;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    aws_query_add(&q, "PutMetricData", "Action");
    aws_query_add(&q, "2010-08-01", "Version");
    aws_query_add(&q, ns, "Namespace");
    for (size_t i = 0; i < n; i++) {
        size_t k = i + 1;
        snprintf(value, sizeof value, "%.17g", datums[i].value);
        aws_query_add(&q, datums[i].name, "MetricData.member.%zu.MetricName", k);
        aws_query_add(&q, value, "MetricData.member.%zu.Value", k);
        aws_query_add(&q, datums[i].unit, "MetricData.member.%zu.Unit", k);
        aws_query_add(&q, when, "MetricData.member.%zu.Timestamp", k);
        aws_query_add(&q, dim_name, "MetricData.member.%zu.Dimensions.member.1.Name", k);
        aws_query_add(&q, dim_value, "MetricData.member.%zu.Dimensions.member.1.Value", k);
    }
    enum aws_status st = aws_query_send(c, &q, &resp, e);
    http_response_free(&resp);
    aws_query_free(&q);
    return st;
}
