/* job.c — outcome bookkeeping of one job (see job.h). */
#include "job.h"

#include <stdarg.h>
#include <stdio.h>

#include "base/text.h"

void job_set_message(struct job_run *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    text_vformat(r->message, sizeof r->message, fmt, ap);
    va_end(ap);
}

void job_set_outcome(struct job_run *r, enum job_outcome o, const char *code, const char *msg) {
    r->outcome = o;
    text_copy(r->code_buf, sizeof r->code_buf, code);
    r->code = r->code_buf;
    job_set_message(r, "%s", msg);
}

enum job_outcome job_aws_outcome(enum aws_status st) {
    switch (st) {
    case AWS_OK:
        return JOB_OK;
    case AWS_ERR_TRANSIENT:
    case AWS_ERR_NO_MEMORY:
        return JOB_FAILED_TRANSIENT;
    case AWS_ERR_PERMANENT:
    case AWS_ERR_TOO_LARGE:
        break;
    }
    return JOB_FAILED_PERMANENT;
}

void job_aws_failed(struct job_run *r, enum aws_status st, const struct aws_error *e,
                    const char *what) {
    char line[640];
    aws_error_format(e, line, sizeof line);
    job_set_outcome(r, job_aws_outcome(st), e->code[0] ? e->code : aws_status_name(st), "");
    job_set_message(r, "%s: %s", what, line);
}
