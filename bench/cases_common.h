/*
 * cases_common.h — what the case files share (cases.c and cases_dc.c): the case table while
 * it is built, the state of a case that reads a file, and small helpers. Both case files
 * depend on this header and never on each other.
 */
#ifndef TK_BENCH_CASES_COMMON_H
#define TK_BENCH_CASES_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cases.h"
#include "thumbkit.h"

/** The case table while tk_bench_cases_build() fills it. */
struct tk_bench_table {
    struct tk_bench_case *v;
    size_t n, cap;
    int failed; /**< an allocation failed: the table is incomplete */
};

/** The photos of the decode, encode and eighth cases, relative to the data folder: baseline
 * first, then progressive. Cases are made for those present. */
extern const char *const tk_bench_photos[];
/** The number of entries in tk_bench_photos. */
extern const size_t tk_bench_photo_count;

/**
 * Append a case to @p t with these functions and input file (@p path may be NULL); the caller
 * fills in its name and parameters.
 * @return the case, or NULL (and t->failed set) when out of memory.
 */
struct tk_bench_case *tk_bench_table_add(struct tk_bench_table *t, tk_bench_setup_fn setup,
                                         tk_bench_run_fn run, tk_bench_teardown_fn teardown,
                                         const char *path);

/** State of a case that reads one file: its bytes, plus what each group's run needs. */
struct tk_bench_file_state {
    uint8_t *data; /**< the whole file (owned) */
    size_t size;
    /* decode (cases.c): a reused output buffer, the DCT scale and the DEC_* flags */
    uint8_t *px;
    size_t cap;
    int denom, flags;
    /* encode (cases.c): the decoded photo in px, and libjpeg's output buffer */
    uint32_t w, h;
    int channels;
    uint8_t *out;
    unsigned long out_size;
    int quality, progressive, png;
    /* pipeline (cases.c) */
    struct tk_options opts;
    /* reduced (cases_fast.c): which decoder (libjpeg-turbo or the fast one) */
    int fast_path;
};

/** Read @p path into a new zeroed state. @return it, or NULL with the reason in @p err. */
struct tk_bench_file_state *tk_bench_file_state_new(const char *path, char *err, size_t errlen);

/** Free a tk_bench_file_state and every buffer it owns (a tk_bench_teardown_fn). */
void tk_bench_file_teardown(void *state);

/** Copy @p msg into @p err (truncated to @p errlen). */
void tk_bench_set_err(char *err, size_t errlen, const char *msg);

/** @return true when @p path can be opened for reading. */
bool tk_bench_file_exists(const char *path);

/** @return the part of @p path after its last '/'. */
const char *tk_bench_base_name(const char *path);

#endif
