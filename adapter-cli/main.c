/*
 * main.c — the `thumbkit` command: files and folders in, thumbnails out.
 *
 * A thin adapter over the public engine API (thumbkit.h only): parse options,
 * plan the jobs and their output names, run them on a thread pool, report.
 */
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_args.h"
#include "cli_io.h"
#include "cli_job.h"
#include "cli_plan.h"
#include "cli_pool.h"
#include "thumbkit.h"
#include "tk_clock.h"

static unsigned default_threads(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1u : n > 1024 ? 1024u : (unsigned)n;
}

static int usage_error(const char *msg) {
    fprintf(stderr, "thumbkit: %s\nTry 'thumbkit --help'.\n", msg);
    return CLI_EXIT_USAGE;
}

/*
 * Each image allocates and frees the same few MB (the file, coefficient planes, rows), and
 * glibc gave much of it back to the kernel on every free, so each image paid for faulting it
 * in and zeroing it again. Keeping blocks up to 32 MB (both settings are needed: either alone
 * was slower than glibc's default) measured 11.05 against 11.35 ms CPU an image on the 12
 * corpus photos, for a peak RSS of 10.5 instead of 9.0 MB. Larger blocks (a full-size decode
 * of a huge image) still go back at once.
 */
static void keep_freed_memory(void) {
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

int main(int argc, char **argv) {
    struct cli_args args;
    struct cli_plan plan;
    char err[1024];
    int rc = 0;
    memset(&plan, 0, sizeof plan);

    if (cli_args_parse(argc, argv, &args, err, sizeof err) != 0) {
        cli_args_free(&args);
        return usage_error(err);
    }
    /* The engine picks its kernels once, on the first tk_simd_name()/tk_thumbnail();
     * parsing only used pure helpers, so this is still early enough. */
    if (args.simd != NULL && setenv("TK_SIMD", args.simd, 1) != 0) {
        rc = usage_error("cannot set TK_SIMD");
        goto cleanup;
    }
    if (args.help) {
        fputs(cli_usage_text, stdout);
        goto cleanup;
    }
    if (args.version) {
        printf("thumbkit %s (simd: %s)\n", tk_version(), tk_simd_name());
        goto cleanup;
    }

    if (cli_plan_build(args.inputs, args.n_inputs, args.outdir, &plan, err, sizeof err) != 0) {
        rc = usage_error(err);
        goto cleanup;
    }
    keep_freed_memory();
    if (plan.n_jobs == 0) {
        /* Folders without a single image: say so, with a status a script can test. */
        fprintf(stderr, "thumbkit: no images in the inputs (looked for %s; %zu other file%s)\n",
                tk_input_extensions(), plan.n_skipped, plan.n_skipped == 1 ? "" : "s");
        rc = CLI_EXIT_NO_IMAGES;
        goto cleanup;
    }
    /* The output folder is made only when some input exists, and must take files before any
     * decoding starts. */
    bool found = false;
    for (size_t i = 0; i < plan.n_jobs; i++) {
        found = found || plan.jobs[i].walk_errno == 0;
    }
    int e = found ? cli_mkdirs(args.outdir) : 0;
    if (e == 0 && found) {
        e = cli_probe_writable(args.outdir);
    }
    if (e != 0) {
        snprintf(err, sizeof err, "cannot write to output folder '%s': %s", args.outdir,
                 strerror(e));
        rc = usage_error(err);
        goto cleanup;
    }

    mode_t mask = umask(0);
    umask(mask);
    struct cli_run run = {.opts = &args.opts, .outdir = args.outdir, .file_mode = 0666 & ~mask};
    unsigned threads = args.threads ? args.threads : default_threads();
    bool progress = isatty(STDOUT_FILENO) && isatty(STDERR_FILENO);

    double t0 = tk_clock_mono_ms();
    if (cli_pool_run(&run, &plan, threads, progress) != 0) {
        fprintf(stderr, "thumbkit: cannot start worker threads\n");
        rc = 1;
        goto cleanup;
    }
    double wall = tk_clock_mono_ms() - t0;

    size_t failed = 0;
    double cpu = 0.0;
    for (size_t i = 0; i < plan.n_jobs; i++) {
        const struct cli_job *j = &plan.jobs[i];
        cpu += j->cpu_ms;
        if (j->failed) {
            failed++;
            fprintf(stderr, "thumbkit: %s: %s\n", j->path, j->reason);
        }
    }
    size_t n = plan.n_jobs;
    double per = n ? 1.0 / (double)n : 0.0;
    printf("thumbkit: %zu files, %zu ok, %zu failed, %zu skipped; %.1f ms/image wall, "
           "%.1f ms/image CPU (%u thread%s, simd %s)\n",
           n, n - failed, failed, plan.n_skipped, wall * per, cpu * per, threads,
           threads == 1 ? "" : "s", tk_simd_name());
    rc = failed ? 1 : 0;
cleanup:
    cli_plan_free(&plan);
    cli_args_free(&args);
    return rc;
}
