/*
 * metrics.h — one CloudWatch Embedded Metric Format (EMF) line per invocation.
 *
 *   {"_aws":{"Timestamp":1700000000000,"CloudWatchMetrics":[{"Namespace":"INOW/Lambda101",
 *     "Dimensions":[["FunctionName"]],"Metrics":[{"Name":"ImagesProcessed","Unit":"Count"},
 *     {"Name":"ImagesFailed","Unit":"Count"},{"Name":"ImagesSkipped","Unit":"Count"},
 *     {"Name":"ProcessingTime","Unit":"Milliseconds"}]}]},
 *    "FunctionName":"thumbs","ImagesProcessed":3,"ImagesFailed":0,"ImagesSkipped":1,
 *    "ProcessingTime":41.5,"requestId":"..."}
 *
 * Printed to stdout, CloudWatch Logs turns it into metrics: no PutMetricData call,
 * no credentials, no latency.
 *
 * Thread-safety: reentrant.
 */
#ifndef TK_LAMBDA_METRICS_H
#define TK_LAMBDA_METRICS_H

#include <stdint.h>
#include <stdio.h>

/** Counters of one invocation. */
struct metrics {
    uint64_t processed;   /**< thumbnails written (jobs JOB_OK) */
    uint64_t failed;      /**< jobs that failed, permanently or transiently */
    uint64_t skipped;     /**< jobs skipped (filters, non-create events, ...) */
    double processing_ms; /**< wall time of the invocation's handling */
};

/**
 * Build the EMF line (JSON object, no trailing newline).
 * @param ns             CloudWatch namespace (METRIC_NAMESPACE), not NULL
 * @param function_name  value of the FunctionName dimension, not NULL or empty
 * @param timestamp_ms   milliseconds since the epoch
 * @param request_id     added as a plain (non-metric) member "requestId" when not NULL/""
 * @return a malloc'd string (free()), or NULL on bad arguments or when memory runs out
 */
char *metrics_emf(const char *ns, const char *function_name, uint64_t timestamp_ms,
                  const struct metrics *m, const char *request_id);

/** metrics_emf() written to @p out (NULL: stdout) followed by '\n', then flushed.
 *  @return 0, or -1 on failure */
int metrics_write(FILE *out, const char *ns, const char *function_name, uint64_t timestamp_ms,
                  const struct metrics *m, const char *request_id);

#endif /* TK_LAMBDA_METRICS_H */
