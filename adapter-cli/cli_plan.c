/*
 * cli_plan.c — walk the inputs, name the outputs, refuse collisions.
 */
#include "cli_plan.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "thumbkit.h"

struct walk {
    struct cli_plan *plan;
    size_t cap;
    dev_t out_dev; /* the output folder, never walked into (reruns must not eat their output) */
    ino_t out_ino;
    int have_out;
};

static char *join(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    int slash = la > 0 && a[la - 1] != '/';
    char *s = malloc(la + (size_t)slash + lb + 1);
    if (s == NULL) {
        return NULL;
    }
    memcpy(s, a, la);
    if (slash) {
        s[la] = '/';
    }
    memcpy(s + la + slash, b, lb + 1);
    return s;
}

/* Takes ownership of path and stem. */
static int add_job(struct walk *w, char *path, char *stem, int walk_errno) {
    struct cli_plan *p = w->plan;
    if (path == NULL || (stem == NULL && walk_errno == 0)) {
        goto fail;
    }
    if (p->n_jobs == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        struct cli_job *j = reallocarray(p->jobs, cap, sizeof *j); /* checks cap * size */
        if (j == NULL) {
            goto fail;
        }
        p->jobs = j;
        w->cap = cap;
    }
    p->jobs[p->n_jobs++] = (struct cli_job){.path = path, .stem = stem, .walk_errno = walk_errno};
    return 0;
fail:
    free(path);
    free(stem);
    return -1;
}

/* Whether a file found in a folder is worth trying: its extension names a format the engine
 * reads (tk_format_from_extension). Explicit file arguments are always tried. */
static int walk_takes(const char *name) {
    const char *dot = strrchr(name, '.');
    return dot != NULL && tk_format_from_extension(dot + 1) != TK_FORMAT_UNKNOWN;
}

static int walk_dir(struct walk *w, const char *dir, const char *rel);

/* scandir() filter and order: every entry but "." and "..", in byte order of names (not the
 * locale's), so every run plans the same whatever order the file system lists them in. */
static int not_dots(const struct dirent *e) {
    return strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
}

static int by_name(const struct dirent **a, const struct dirent **b) {
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* Entry @p name of folder @p dir: a sub-folder to walk, a file to take, or one to skip. */
static int walk_entry(struct walk *w, const char *dir, const char *rel, const char *name) {
    char *path = join(dir, name);
    char *relpath = rel[0] ? join(rel, name) : strdup(name);
    struct stat st;
    int rc = 0;
    if (path == NULL || relpath == NULL) {
        rc = -1;
    } else if (lstat(path, &st) != 0) {
        rc = add_job(w, path, NULL, errno);
        path = NULL;
    } else if (S_ISDIR(st.st_mode)) {
        if (!(w->have_out && st.st_dev == w->out_dev && st.st_ino == w->out_ino)) {
            rc = walk_dir(w, path, relpath);
        }
    } else if (S_ISLNK(st.st_mode) && (stat(path, &st) != 0 || !S_ISREG(st.st_mode))) {
        w->plan->n_skipped++; /* symlinks to files are taken; symlinked folders are not */
    } else if (!S_ISREG(st.st_mode) || !walk_takes(name)) {
        w->plan->n_skipped++;
    } else {
        rc = add_job(w, path, relpath, 0);
        path = relpath = NULL;
    }
    free(path);
    free(relpath);
    return rc;
}

/* Walk @p dir (whose path relative to the folder argument is @p rel, "" at the top). */
static int walk_dir(struct walk *w, const char *dir, const char *rel) {
    struct dirent **list = NULL;
    int n = scandir(dir, &list, not_dots, by_name);
    if (n < 0) {
        return add_job(w, strdup(dir), NULL, errno);
    }
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        rc = walk_entry(w, dir, rel, list[i]->d_name);
    }
    for (int i = 0; i < n; i++) {
        free(list[i]);
    }
    free(list);
    return rc;
}

static const char *base_name(const char *path) {
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/') {
        len--; /* never happens for files, but keep "a/" sane */
    }
    const char *end = path + len;
    const char *s = end;
    while (s > path && s[-1] != '/') {
        s--;
    }
    return s;
}

static int cmp_jobs_by_stem(const void *a, const void *b) {
    const struct cli_job *x = *(const struct cli_job *const *)a;
    const struct cli_job *y = *(const struct cli_job *const *)b;
    return strcmp(x->stem, y->stem);
}

/* Two inputs with the same stem would overwrite each other's output: refuse the run. */
static int check_collisions(struct cli_plan *p, const char *outdir, char *err, size_t errlen) {
    size_t n = 0;
    const struct cli_job **v = calloc(p->n_jobs ? p->n_jobs : 1, sizeof *v);
    if (v == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < p->n_jobs; i++) {
        if (p->jobs[i].stem != NULL) {
            v[n++] = &p->jobs[i];
        }
    }
    qsort(v, n, sizeof *v, cmp_jobs_by_stem);
    int rc = 0;
    for (size_t i = 1; i < n; i++) {
        if (strcmp(v[i - 1]->stem, v[i]->stem) == 0) {
            const struct cli_job *a = v[i - 1] < v[i] ? v[i - 1] : v[i];
            const struct cli_job *b = v[i - 1] < v[i] ? v[i] : v[i - 1];
            snprintf(err, errlen,
                     "'%s' and '%s' would both write %s/%s.*; rename one or run them with "
                     "different -o folders",
                     a->path, b->path, outdir, a->stem);
            rc = -1;
            break;
        }
    }
    free(v);
    return rc;
}

int cli_plan_build(const char *const *inputs, size_t n_inputs, const char *outdir,
                   struct cli_plan *plan, char *err, size_t errlen) {
    memset(plan, 0, sizeof *plan);
    struct walk w = {.plan = plan};
    struct stat st;
    if (stat(outdir, &st) == 0) {
        w.out_dev = st.st_dev;
        w.out_ino = st.st_ino;
        w.have_out = 1;
    }
    for (size_t i = 0; i < n_inputs; i++) {
        const char *in = inputs[i];
        int rc;
        if (stat(in, &st) != 0) {
            rc = add_job(&w, strdup(in), NULL, errno);
        } else if (S_ISDIR(st.st_mode)) {
            rc = walk_dir(&w, in, "");
        } else {
            /* An explicit file is always tried, whatever its extension: content decides. */
            rc = add_job(&w, strdup(in), strdup(base_name(in)), 0);
        }
        if (rc != 0) {
            snprintf(err, errlen, "out of memory while listing inputs");
            cli_plan_free(plan);
            return -1;
        }
    }
    if (check_collisions(plan, outdir, err, errlen) != 0) {
        cli_plan_free(plan);
        return -1;
    }
    return 0;
}

void cli_plan_free(struct cli_plan *plan) {
    for (size_t i = 0; i < plan->n_jobs; i++) {
        free(plan->jobs[i].path);
        free(plan->jobs[i].stem);
    }
    free(plan->jobs);
    memset(plan, 0, sizeof *plan);
}
