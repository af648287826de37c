/* jpeg_err.c — libjpeg error manager: silent, longjmp instead of exit(). */
#include "jpeg_err.h"

#include <string.h>

#include <jerror.h>

static void on_error_exit(j_common_ptr cinfo) {
    struct tk_jpeg_err *e = (struct tk_jpeg_err *)cinfo->err;
    e->code = e->pub.msg_code;
    e->pub.format_message(cinfo, e->msg);
    longjmp(e->jump, 1);
}

/* libjpeg "recovers" from these by filling the rest of the image with grey:
 * publishing such a thumbnail would be wrong, so they end the decode. */
static int warning_loses_data(int code) {
    switch (code) {
    case JWRN_JPEG_EOF:
    case JWRN_HIT_MARKER:
    case JWRN_MUST_RESYNC:
    case JWRN_HUFF_BAD_CODE:
    case JWRN_ARITH_BAD_CODE:
    case JWRN_NOT_SEQUENTIAL:
        return 1;
    default:
        return 0;
    }
}

static void on_emit_message(j_common_ptr cinfo, int msg_level) {
    struct tk_jpeg_err *e = (struct tk_jpeg_err *)cinfo->err;
    if (msg_level < 0) {
        e->pub.num_warnings++;
        if (warning_loses_data(e->pub.msg_code)) {
            on_error_exit(cinfo);
        }
    }
}

static void on_output_message(j_common_ptr cinfo) {
    (void)cinfo; /* the engine never prints */
}

void tk_jpeg_err_raise(j_common_ptr cinfo, const char *msg) {
    struct tk_jpeg_err *e = (struct tk_jpeg_err *)cinfo->err;
    e->code = TK_JPEG_ERR_OWN;
    snprintf(e->msg, sizeof(e->msg), "%s", msg);
    longjmp(e->jump, 1);
}

struct jpeg_error_mgr *tk_jpeg_err_init(struct tk_jpeg_err *e) {
    memset(e, 0, sizeof(*e));
    jpeg_std_error(&e->pub);
    e->pub.error_exit = on_error_exit;
    e->pub.emit_message = on_emit_message;
    e->pub.output_message = on_output_message;
    return &e->pub;
}

enum tk_status tk_jpeg_err_status(const struct tk_jpeg_err *e) {
    switch (e->code) {
    case JERR_BAD_PRECISION:
    case JERR_SOF_UNSUPPORTED:
    case JERR_ARITH_NOTIMPL:
    case JERR_NOT_COMPILED:
    case JERR_CONVERSION_NOTIMPL:
    case JERR_EMPTY_IMAGE:
        return TK_ERR_UNSUPPORTED;
    case JERR_OUT_OF_MEMORY:
        return TK_ERR_NO_MEMORY;
    case JERR_IMAGE_TOO_BIG:
    case JERR_WIDTH_OVERFLOW:
        return TK_ERR_TOO_LARGE;
    default:
        return TK_ERR_CORRUPT;
    }
}
