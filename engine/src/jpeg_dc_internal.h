/* jpeg_dc_internal.h — state shared by the DC-only decoder's files. */
#ifndef TK_JPEG_DC_INTERNAL_H
#define TK_JPEG_DC_INTERNAL_H

#include "jpeg_dc.h"
#include "jpeg_dc_bits.h"

#define DC_MAX_COMPONENTS 3

struct dc_component {
    int id;
    int h, v;        /* sampling factors */
    int quant_table; /* Tq from SOF */
    int quant_dc;    /* DC quantiser, latched at the component's first scan; -1 before */
    int bw, bh;      /* blocks that hold image data */
    int pw, ph;      /* blocks allocated: padded to whole MCUs */
    int16_t *dc;     /* pw * ph DC coefficients, as libjpeg stores them (JCOEF) */
    bool dc_started; /* a DC first scan has been read */
};

struct dc_decoder {
    const uint8_t *data, *end;
    bool also_baseline; /* accept sequential Huffman too (testing.h) */
    bool eligible;      /* cleared, without an error, when the general path must decode */
    bool progressive;
    int width, height;
    int n_comp;
    int hmax, vmax;
    int mcus_x, mcus_y;
    struct dc_component comp[DC_MAX_COMPONENTS];
    int restart_interval;
    int quant_dc[4]; /* DC entry of each DQT table, -1 if undefined */
    struct dc_huff dc_tables[4];
    struct dc_huff ac_tables[4];
    bool saw_jfif;
    int adobe_transform; /* -1 without an Adobe APP14 segment */
    char *err;
    size_t errlen;
};

/**
 * Turn the DC planes into the 1/8-scale image (gray or RGB) the way libjpeg-turbo
 * would (see jpeg_dc.h for the one difference). @return TK_OK or TK_ERR_NO_MEMORY.
 */
enum tk_status dc_output_image(const struct dc_decoder *d, struct tk_image *out);

#endif /* TK_JPEG_DC_INTERNAL_H */
