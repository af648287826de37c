/*
 * jpeg_reference.h — libjpeg-turbo used directly, apart from the engine: the one
 * reference JPEG decoder and the one libjpeg error manager of the tests and
 * benchmarks, and libjpeg-turbo's lossless transcoder to make progressive
 * versions of real photos.
 */
#ifndef TK_TESTS_JPEG_REFERENCE_H
#define TK_TESTS_JPEG_REFERENCE_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h> /* jpeglib.h needs FILE */

#include <jpeglib.h>

/**
 * A libjpeg error manager that never prints and never exits: fatal errors longjmp to
 * @c jump with libjpeg's sentence in @c msg; warnings are only counted
 * (pub.num_warnings).
 */
struct ref_jpeg_err {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char msg[JMSG_LENGTH_MAX];
};

/** Set up @p e. @return the pointer to store in cinfo->err (before setjmp). */
struct jpeg_error_mgr *ref_jpeg_err_init(struct ref_jpeg_err *e);

/** What ref_jpeg_decode() decodes. */
struct ref_jpeg_request {
    unsigned scale_denom; /**< DCT scale 1/1, 1/2, 1/4 or 1/8; 0: the smallest scale whose
                               longer side stays >= min_side */
    unsigned min_side;    /**< with scale_denom 0 */
    bool strict;          /**< fail on any libjpeg warning (truncated or damaged data, which
                               libjpeg fills with grey) */
};

/** A decoded image: rows of width * channels bytes, no padding. */
struct ref_image {
    uint8_t *pixels; /**< malloc'd (free()) */
    int width, height;
    int channels;       /**< 1 (gray) or 3 (RGB); libjpeg's count for other colour spaces */
    int h_samp, v_samp; /**< sampling factors of the first component */
    int components;     /**< in the file */
};

/**
 * Decode a JPEG as stored (no EXIF orientation): one component to gray, three to RGB,
 * CMYK and YCCK to RGB by the naive (1-C)(1-K) (Adobe-inverted when the file says so).
 * @return 0, or -1 with libjpeg's reason in @p err (and @p out zeroed)
 */
int ref_jpeg_decode(const uint8_t *data, size_t size, const struct ref_jpeg_request *req,
                    struct ref_image *out, char *err, size_t errlen);

/** Losslessly re-code as progressive JPEG (jpeg_simple_progression). @return 0 or -1. */
int ref_make_progressive(const uint8_t *data, size_t size, uint8_t **out, size_t *out_size);

#endif /* TK_TESTS_JPEG_REFERENCE_H */
