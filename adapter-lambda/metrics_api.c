/* metrics_api.c — CloudWatch PutMetricData of an invocation (see metrics_api.h). */
#include "metrics_api.h"

#include "aws/cloudwatch.h"

enum aws_status metrics_api_put(struct aws_client *cw, const char *ns, const char *function_name,
                                uint64_t timestamp_ms, const struct metrics *m,
                                struct aws_error *e) {
    const struct cloudwatch_datum d[] = {
        {"ImagesProcessed", (double)m->processed, "Count"},
        {"ImagesFailed", (double)m->failed, "Count"},
        {"ImagesSkipped", (double)m->skipped, "Count"},
        {"ProcessingTime", m->processing_ms, "Milliseconds"},
    };
    return cloudwatch_put_metric_data(cw, ns, "FunctionName", function_name,
                                      (long long)(timestamp_ms / 1000), d, 4, e);
}
