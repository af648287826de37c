/*
 * cli_plan.h — turn INPUT arguments into a list of jobs with output names.
 *
 * File arguments keep their file name; files found under a folder argument keep
 * their path relative to that folder. See README.md for the full mapping.
 */
#ifndef TK_CLI_PLAN_H
#define TK_CLI_PLAN_H

#include <stddef.h>

/** One input file to thumbnail, and what became of it. */
struct cli_job {
    char *path;     /**< input path as given, or folder argument + relative path */
    char *stem;     /**< output path relative to OUTDIR, without size and extension */
    int walk_errno; /**< non-zero: stat/opendir failed while planning; the job fails */
    /* Filled in by the worker. */
    int failed;
    char reason[320]; /**< "status_name: message" when failed */
    double cpu_ms;
};

/** All jobs of a run, in a deterministic order (arguments in order, folders sorted). */
struct cli_plan {
    struct cli_job *jobs;
    size_t n_jobs;
    size_t n_skipped; /**< files in folders skipped: no extension the engine reads */
};

/**
 * Build the plan for @p inputs. Folders are walked recursively (symlinked folders and
 * @p outdir itself are not entered). Two inputs that would write the same output are a
 * usage error, written to @p err.
 * @return 0, or -1 with @p err set (collision, out of memory).
 */
int cli_plan_build(const char *const *inputs, size_t n_inputs, const char *outdir,
                   struct cli_plan *plan, char *err, size_t errlen);

/** Free the plan. */
void cli_plan_free(struct cli_plan *plan);

#endif
