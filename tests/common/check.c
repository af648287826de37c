/* check.c — the failure counter and summary behind check.h. */
#include "check.h"

int check_failures;

int check_done(const char *name) {
    if (check_failures != 0) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, check_failures);
        return 1;
    }
    printf("%s: all checks passed\n", name);
    return 0;
}
