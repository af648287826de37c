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

/** How ref_transcode() re-codes a JPEG; the coefficients never change. */
enum ref_recoding {
    REF_PROGRESSIVE = 0,  /**< libjpeg's standard progression (what jpegtran -progressive does) */
    REF_RESTART_ROWS = 1, /**< sequential, a restart marker after every MCU row */
    REF_PROGRESSIVE_SPLIT = 2, /**< progressive with the AC bands split at 5|6, successive
                                    approximation in each (as mozjpeg-style scripts split them):
                                    at 1/4 the scans of coefficients 6..63 are not needed */
};

/**
 * Losslessly re-code @p data as @p how says into a malloc'd buffer (free()).
 * @return 0, or -1 when libjpeg refuses the source or warns about it.
 */
int ref_transcode(const uint8_t *data, size_t size, enum ref_recoding how, uint8_t **out,
                  size_t *out_size);

/** One component's quantised DCT coefficients as libjpeg decodes them. */
struct ref_coef_plane {
    int h, v;           /**< sampling factors */
    int bw, bh;         /**< blocks that hold image data */
    int16_t *coef;      /**< bw * bh blocks of 64 values, natural (row-major) order */
    uint16_t quant[64]; /**< the component's quantisation table, natural order */
};

/** Every component's coefficients (ref_jpeg_coefficients()). */
struct ref_coefs {
    int n_comp;
    struct ref_coef_plane comp[4];
};

/**
 * Every coefficient of @p data by libjpeg's jpeg_read_coefficients() (all scans of a
 * progressive file). Free with ref_coefs_free().
 * @return 0, or -1 with the reason in @p err when libjpeg fails or warns.
 */
int ref_jpeg_coefficients(const uint8_t *data, size_t size, struct ref_coefs *out, char *err,
                          size_t errlen);

/** Free what ref_jpeg_coefficients() allocated. */
void ref_coefs_free(struct ref_coefs *c);

#endif /* TK_TESTS_JPEG_REFERENCE_H */
