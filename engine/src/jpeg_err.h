/* jpeg_err.h — a libjpeg error manager that never prints and never exits. */
#ifndef TK_JPEG_ERR_H
#define TK_JPEG_ERR_H

#include <setjmp.h>
#include <stddef.h>
#include <stdio.h> /* jpeglib.h needs FILE */

#include <jpeglib.h>

#include "thumbkit.h"

/**
 * Fatal errors and data-loss warnings longjmp to @c jump; @c msg then holds
 * libjpeg's text and @c code its message code. Other warnings are ignored.
 */
struct tk_jpeg_err {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    int code;
    char msg[JMSG_LENGTH_MAX];
};

/** Set up @p e and @return the pointer to store in cinfo->err. */
struct jpeg_error_mgr *tk_jpeg_err_init(struct tk_jpeg_err *e);

/** Code of errors raised by tk_jpeg_err_raise() (beyond libjpeg's own codes). */
#define TK_JPEG_ERR_OWN (-1)

/** Abort the libjpeg call in progress with our own message (longjmps like a libjpeg error). */
void tk_jpeg_err_raise(j_common_ptr cinfo, const char *msg) __attribute__((noreturn));

/** Map the error caught in @p e to a status for a decoder. */
enum tk_status tk_jpeg_err_status(const struct tk_jpeg_err *e);

#endif
