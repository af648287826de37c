/*
 * cli_job.c — one input file to its thumbnails, all-or-nothing on disk.
 */
#include "cli_job.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_io.h"

#define PATH_CAP 4096

static void fail(struct cli_job *job, const char *name, const char *msg) {
    job->failed = 1;
    snprintf(job->reason, sizeof job->reason, "%s: %s", name, msg);
}

/* OUTDIR/stem[.WxH].ext — the size only when several sizes are requested. */
static int output_path(const struct cli_run *run, const struct cli_job *job, size_t i,
                       const struct tk_thumb *t, char *out, size_t outlen) {
    const struct tk_options *o = run->opts;
    char size[32] = "";
    if (o->n_targets > 1) {
        snprintf(size, sizeof size, ".%" PRIu32 "x%" PRIu32, o->targets[i].width,
                 o->targets[i].height);
    }
    int n =
        snprintf(out, outlen, "%s/%s%s.%s", run->outdir, job->stem, size, tk_format_ext(t->format));
    return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* Write every thumbnail to a temp file, then rename them all; undo everything on failure. */
static void publish(const struct cli_run *run, struct cli_job *job, const struct tk_result *res) {
    char final[TK_MAX_TARGETS][PATH_CAP];
    char tmp[TK_MAX_TARGETS][PATH_CAP];
    size_t n_tmp = 0, n_done = 0;
    int err = 0;
    for (size_t i = 0; i < res->n_thumbs; i++) {
        if (output_path(run, job, i, &res->thumbs[i], final[i], PATH_CAP) != 0) {
            err = ENAMETOOLONG;
            goto cleanup;
        }
        if ((err = cli_mkdirs_for(final[i])) != 0) {
            goto cleanup;
        }
        err = cli_write_temp(final[i], res->thumbs[i].data, res->thumbs[i].size, run->file_mode,
                             tmp[i], PATH_CAP);
        if (err != 0) {
            goto cleanup;
        }
        n_tmp++;
    }
    for (; n_done < n_tmp; n_done++) {
        if (rename(tmp[n_done], final[n_done]) != 0) {
            err = errno;
            goto cleanup;
        }
    }
cleanup:
    if (err != 0) {
        for (size_t i = 0; i < n_tmp; i++) {
            unlink(i < n_done ? final[i] : tmp[i]);
        }
        /* name the output that could not be written, not only the input */
        char msg[sizeof job->reason - 16];
        snprintf(msg, sizeof msg, "cannot write %.180s: %s",
                 final[n_tmp < res->n_thumbs ? n_tmp : n_done], strerror(err));
        fail(job, "io_error", msg);
    }
}

static double thread_cpu_ms(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) {
        return 0.0;
    }
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void cli_job_run(const struct cli_run *run, struct cli_job *job) {
    double cpu0 = thread_cpu_ms();
    uint8_t *data = NULL;
    size_t size = 0;
    int err_no = 0;
    uint64_t file_size = 0;
    char msg[128];
    struct tk_result res;
    memset(&res, 0, sizeof res);

    if (job->walk_errno != 0) {
        fail(job, "io_error", strerror(job->walk_errno));
        goto cleanup;
    }
    switch (
        cli_read_file(job->path, run->opts->max_input_bytes, &data, &size, &err_no, &file_size)) {
    case CLI_READ_OK:
        break;
    case CLI_READ_ERRNO:
        fail(job, "io_error", strerror(err_no));
        goto cleanup;
    case CLI_READ_NOT_FILE:
        fail(job, "io_error", "not a regular file");
        goto cleanup;
    case CLI_READ_TOO_BIG:
        snprintf(msg, sizeof msg, "file is %" PRIu64 " bytes, over the limit of %zu (--max-bytes)",
                 file_size, run->opts->max_input_bytes);
        fail(job, tk_status_name(TK_ERR_TOO_LARGE), msg);
        goto cleanup;
    }
    enum tk_status st = tk_thumbnail(data, size, run->opts, &res);
    free(data);
    data = NULL;
    if (st != TK_OK) {
        fail(job, tk_status_name(st), res.error[0] ? res.error : tk_status_str(st));
        goto cleanup;
    }
    publish(run, job, &res);
cleanup:
    tk_result_free(&res);
    free(data);
    job->cpu_ms = thread_cpu_ms() - cpu0;
}
