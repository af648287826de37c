/*
 * cli_args.h — command-line options of the `thumbkit` command.
 */
#ifndef TK_CLI_ARGS_H
#define TK_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "thumbkit.h"

/** Everything the command line asked for. Strings point into argv. */
struct cli_args {
    struct tk_options opts; /**< engine options: sizes, fit, format, quality, filter, limits */
    const char *outdir;     /**< -o */
    const char **inputs;    /**< positional arguments, in order (owned: free with cli_args_free) */
    size_t n_inputs;
    unsigned threads; /**< -j; 0 = not given */
    const char *simd; /**< --simd value or NULL */
    bool help;
    bool version;
};

/** Exit status for usage errors (bad options, colliding outputs). */
#define CLI_EXIT_USAGE 2
/** Exit status when the inputs hold no image to make a thumbnail of (nothing was written). */
#define CLI_EXIT_NO_IMAGES 3

/**
 * Parse @p argv into @p a. On a usage error, writes one line to @p err (size @p errlen).
 * @return 0 on success, -1 on a usage error.
 */
int cli_args_parse(int argc, char **argv, struct cli_args *a, char *err, size_t errlen);

/** Free what cli_args_parse() allocated. */
void cli_args_free(struct cli_args *a);

/** The --help text. */
extern const char cli_usage_text[];

#endif
