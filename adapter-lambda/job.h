/*
 * job.h — the state of one job while the handler runs it, shared by the handler and the
 * image-service steps (service.h): its outcome, a stable reason code and a message.
 *
 * Thread-safety: a struct job_run belongs to one thread.
 */
#ifndef TK_LAMBDA_JOB_H
#define TK_LAMBDA_JOB_H

#include <stdint.h>

#include "aws/request.h"
#include "events/event.h"

/** One job being processed, for its log line and the response. */
struct job_run {
    const struct event_job *job;
    enum job_outcome outcome;
    char message[2048]; /**< why it failed or was skipped (Batch Operations resultString) */
    const char *code;   /**< a stable reason name for logs: "not_an_image", "NoSuchKey", ... */
    char code_buf[64];
    double t0; /**< monotonic ms when the job started */
};

/** Set the outcome, its code and message (both copied, truncated to fit). */
void job_set_outcome(struct job_run *r, enum job_outcome o, const char *code, const char *msg);

/** printf into the message (truncated to fit). */
void job_set_message(struct job_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** @return the job outcome of an AWS call's status (transient and no-memory: retry). */
enum job_outcome job_aws_outcome(enum aws_status st);

/** A failed AWS call: outcome and code from @p st and @p e, message "<what>: <error>". */
void job_aws_failed(struct job_run *r, enum aws_status st, const struct aws_error *e,
                    const char *what);

#endif /* TK_LAMBDA_JOB_H */
