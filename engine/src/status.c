/* status.c — names and sentences for enum tk_status. */
#include "thumbkit.h"

const char *tk_status_str(enum tk_status s) {
    switch (s) {
    case TK_OK:
        return "success";
    case TK_ERR_INVALID_ARGUMENT:
        return "invalid argument";
    case TK_ERR_NOT_AN_IMAGE:
        return "data is not an image in a known format";
    case TK_ERR_UNSUPPORTED:
        return "image format variant is not supported";
    case TK_ERR_CORRUPT:
        return "image data is corrupt or truncated";
    case TK_ERR_TOO_LARGE:
        return "image is larger than the configured limits";
    case TK_ERR_NO_MEMORY:
        return "out of memory";
    case TK_ERR_ENCODE:
        return "encoding the thumbnail failed";
    }
    return "unknown status";
}

const char *tk_status_name(enum tk_status s) {
    switch (s) {
    case TK_OK:
        return "ok";
    case TK_ERR_INVALID_ARGUMENT:
        return "invalid_argument";
    case TK_ERR_NOT_AN_IMAGE:
        return "not_an_image";
    case TK_ERR_UNSUPPORTED:
        return "unsupported";
    case TK_ERR_CORRUPT:
        return "corrupt";
    case TK_ERR_TOO_LARGE:
        return "too_large";
    case TK_ERR_NO_MEMORY:
        return "no_memory";
    case TK_ERR_ENCODE:
        return "encode";
    }
    return "unknown";
}
