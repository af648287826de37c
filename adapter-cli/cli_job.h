/*
 * cli_job.h — process one input: read, thumbnail, publish every output or none.
 */
#ifndef TK_CLI_JOB_H
#define TK_CLI_JOB_H

#include <sys/types.h>

#include "cli_plan.h"
#include "thumbkit.h"

/** Settings shared (read-only) by all workers. */
struct cli_run {
    const struct tk_options *opts;
    const char *outdir;
    mode_t file_mode; /**< 0666 & ~umask, read once before the threads start */
};

/**
 * Make the thumbnails of @p job. On failure sets job->failed and job->reason and leaves
 * no file behind; on success every output exists under its final name.
 * Thread-safe for distinct jobs.
 */
void cli_job_run(const struct cli_run *run, struct cli_job *job);

#endif
