/* status.c — names and sentences for enum tk_status. */
#include "thumbkit.h"

/* One row per status, indexed by its (stable) value. */
static const struct {
    const char *name; /* tk_status_name() */
    const char *str;  /* tk_status_str() */
} statuses[] = {
    [TK_OK] = {"ok", "success"},
    [TK_ERR_INVALID_ARGUMENT] = {"invalid_argument", "invalid argument"},
    [TK_ERR_NOT_AN_IMAGE] = {"not_an_image", "data is not an image in a known format"},
    [TK_ERR_UNSUPPORTED] = {"unsupported", "image format variant is not supported"},
    [TK_ERR_CORRUPT] = {"corrupt", "image data is corrupt or truncated"},
    [TK_ERR_TOO_LARGE] = {"too_large", "image is larger than the configured limits"},
    [TK_ERR_NO_MEMORY] = {"no_memory", "out of memory"},
    [TK_ERR_ENCODE] = {"encode", "encoding the thumbnail failed"},
    [TK_ERR_OVER_BUDGET] = {"over_memory_budget", "image needs more memory than the budget allows"},
};

static int known(enum tk_status s) {
    return (unsigned)s < sizeof(statuses) / sizeof(statuses[0]);
}

const char *tk_status_str(enum tk_status s) {
    return known(s) ? statuses[s].str : "unknown status";
}

const char *tk_status_name(enum tk_status s) {
    return known(s) ? statuses[s].name : "unknown";
}
