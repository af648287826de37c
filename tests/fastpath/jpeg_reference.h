/*
 * jpeg_reference.h — libjpeg-turbo used directly, as the reference the DC-only
 * path is checked against: its own scale-1/8 decode, and its lossless
 * transcoder to make progressive versions of real photos.
 */
#ifndef TK_TEST_JPEG_REFERENCE_H
#define TK_TEST_JPEG_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

struct ref_image {
    uint8_t *pixels;
    int width, height, channels;
    int h_samp, v_samp; /* sampling factors of the first component */
    int components;     /* in the file */
};

/** Decode at scale 1/8 to gray or RGB. @return 0, or -1 when libjpeg fails. */
int ref_decode_eighth(const uint8_t *data, size_t size, struct ref_image *out);

/** Read a whole file. @return malloc'd bytes (caller frees) and @p size, or NULL. */
uint8_t *ref_read_file(const char *path, size_t *size);

/** Losslessly re-code as progressive JPEG (jpeg_simple_progression). @return 0 or -1. */
int ref_make_progressive(const uint8_t *data, size_t size, uint8_t **out, size_t *out_size);

#endif
