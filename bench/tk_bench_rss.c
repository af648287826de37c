/*
 * tk_bench_rss.c — run a command and report its peak RSS honestly.
 *
 * Linux keeps a process's RSS high-water mark across exec(), and a child forked (or vforked)
 * from a large launcher such as a Python script starts from the launcher's high-water mark,
 * so ru_maxrss seen by that launcher is at least its own size. This small C program forks
 * the command itself, so the baseline is this program's own ~1 MB, and prints the child's
 * ru_maxrss as one JSON line to the file given (the command's stdout/stderr pass through).
 *
 * usage: tk_bench_rss REPORT_FILE COMMAND [ARG...]
 * exit status: the command's (128+signal when it was killed). SIGTERM, SIGINT and SIGHUP are
 * passed on to the command.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tk_clock.h"

static volatile pid_t child;

static void forward(int sig) {
    if (child > 0) {
        kill(child, sig);
    }
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: tk_bench_rss REPORT_FILE COMMAND [ARG...]\n");
        return 2;
    }
    const double t0 = tk_clock_mono_ms();
    pid_t pid = fork();
    if (pid < 0) {
        perror("tk_bench_rss: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror("tk_bench_rss: exec");
        _exit(127);
    }
    child = pid;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("tk_bench_rss: wait4");
            return 2;
        }
    }
    const double wall_ms = tk_clock_mono_ms() - t0;
    int rc = WIFEXITED(status) ? WEXITSTATUS(status)
                               : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    FILE *f = fopen(argv[1], "w");
    if (f != NULL) {
        fprintf(f,
                "{\"maxrss_kb\":%ld,\"rc\":%d,\"signal\":%d,\"wall_ms\":%.3f,\"user_ms\":%.3f,"
                "\"sys_ms\":%.3f}\n",
                ru.ru_maxrss, rc, WIFSIGNALED(status) ? WTERMSIG(status) : 0, wall_ms,
                (double)ru.ru_utime.tv_sec * 1e3 + (double)ru.ru_utime.tv_usec * 1e-3,
                (double)ru.ru_stime.tv_sec * 1e3 + (double)ru.ru_stime.tv_usec * 1e-3);
        fclose(f);
    }
    return rc;
}
