/*
 * cli_pool.h — run all jobs of a plan on N threads, with an optional progress bar.
 */
#ifndef TK_CLI_POOL_H
#define TK_CLI_POOL_H

#include <stdbool.h>

#include "cli_job.h"

/**
 * Run every job of @p plan on @p threads workers (jobs are claimed in order).
 * With @p progress, redraws a one-line bar on stderr a few times a second.
 * @return 0, or -1 when no worker thread could be started.
 */
int cli_pool_run(const struct cli_run *run, struct cli_plan *plan, unsigned threads, bool progress);

#endif
