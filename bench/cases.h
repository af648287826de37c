/*
 * cases.h — the benchmark cases as a table of C function pointers.
 *
 * register.cc (the only C++ in bench/) walks the table and registers each case with
 * Google Benchmark; everything that touches thumbkit, libjpeg or libspng stays in C.
 * A case is: setup (allocate, read files, build inputs; not timed), run (one timed
 * iteration), teardown (free). Cases are built at run time because some depend on the
 * files found in the data folder and on the ISAs this CPU supports.
 */
#ifndef TK_BENCH_CASES_H
#define TK_BENCH_CASES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What one iteration processes, for Google Benchmark's rate counters. */
struct tk_bench_info {
    double bytes;    /**< bytes read per iteration (source pixels, or the encoded file) */
    double pixels;   /**< source pixels per iteration */
    char label[160]; /**< shown beside the result, e.g. "decoded 682x557" */
};

struct tk_bench_case;

/** Prepare one case. @return 0, or -1 with a reason in @p err (the case is then skipped). */
typedef int (*tk_bench_setup_fn)(const struct tk_bench_case *c, void **state,
                                 struct tk_bench_info *info, char *err, size_t errlen);
/** One timed iteration. @return 0, or -1 with a reason in @p err. */
typedef int (*tk_bench_run_fn)(void *state, char *err, size_t errlen);
/** Free what setup made. */
typedef void (*tk_bench_teardown_fn)(void *state);

/** One benchmark case. Parameters are interpreted by its own setup/run. */
struct tk_bench_case {
    char name[160];
    tk_bench_setup_fn setup;
    tk_bench_run_fn run;
    tk_bench_teardown_fn teardown;
    int p[8];        /**< integer parameters (ISA, filter, channels, sizes, scale...) */
    char path[1024]; /**< an input file, for file-based cases */
};

/** Settings from the command line (register.cc strips these before Google Benchmark sees them). */
struct tk_bench_config {
    const char
        *data_dir; /**< folder with jpeg/ and exif-orientation/; default: in-repo tests/data */
    const char
        *big_jpeg; /**< optional extra JPEG (e.g. a 24 MP photo) for decode and pipeline cases */
};

/**
 * Build the case table. The table lives until tk_bench_cases_free().
 * @return the number of cases (0 on allocation failure), the table in @p out.
 */
size_t tk_bench_cases_build(const struct tk_bench_config *cfg, struct tk_bench_case **out);

/** Free the table and any cached inputs. */
void tk_bench_cases_free(struct tk_bench_case *cases);

/** @return a one-line description of the build ("simd:avx2 engine:0.1.0 libjpeg-turbo:..."). */
const char *tk_bench_context(void);

#ifdef __cplusplus
}
#endif
#endif
