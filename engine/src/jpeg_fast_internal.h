/* jpeg_fast_internal.h — state shared by the fast JPEG decoder's files (see jpeg_fast.h). */
#ifndef TK_JPEG_FAST_INTERNAL_H
#define TK_JPEG_FAST_INTERNAL_H

#include "jpeg_fast.h"
#include "jpeg_fast_huff.h"

#define JF_MAX_COMPONENTS 3
/* Internal "take the general path" result, beside the tk_status values. */
#define JF_NOT_ELIGIBLE (-1)

/* Set the error sentence and yield the status, in one expression. */
#define JF_FAIL(d, status, ...) (tk_errf((d)->err, (d)->errlen, __VA_ARGS__), (status))

struct jf_component {
    int id;
    int h, v;             /* sampling factors */
    int tq;               /* quantisation table number from SOF */
    bool quant_latched;   /* libjpeg copies the table when the component's first scan starts */
    uint16_t quant[64];   /* natural order, latched */
    int bw, bh;           /* blocks that hold image data */
    int pw, ph;           /* blocks allocated: padded to whole MCUs */
    int16_t *coef;        /* pw * ph blocks of n_coef values (natural order, top-left n x n) */
    uint64_t *nonzero;    /* progressive: per block, zig-zag positions known to be nonzero */
    int8_t coef_bits[64]; /* progressive: last successive-approximation bit seen, -1 before */
    bool dc_started;      /* a DC scan (first or sequential) has been read */
};

struct jf_decoder {
    const uint8_t *data, *end;
    unsigned codings;
    int scale;  /* 8, 4 or 2 */
    int n;      /* 1, 2 or 4: pixels per block side in the output */
    int kmax;   /* highest zig-zag index whose value is needed: 0, 4 or 24 */
    int n_coef; /* values stored per block: n * n */
    bool progressive;
    int width, height;
    int n_comp;
    int hmax, vmax;
    int mcus_x, mcus_y;
    struct jf_component comp[JF_MAX_COMPONENTS];
    int restart_interval;
    bool quant_defined[4];
    uint16_t quant[4][64]; /* natural order */
    struct fh_table dc_tables[4];
    struct fh_table ac_tables[4];
    bool saw_jfif;
    int adobe_transform; /* -1 without an Adobe APP14 segment */
    int scans;           /* scans seen, decoded or skipped */
    int scans_skipped;   /* progressive scans left undecoded: only unneeded coefficients */
    char *err;
    size_t errlen;
};

/** One scan header, resolved against the frame. */
struct jf_scan {
    int n;
    struct jf_component *comp[JF_MAX_COMPONENTS];
    const struct fh_table *dc[JF_MAX_COMPONENTS];
    const struct fh_table *ac[JF_MAX_COMPONENTS];
    int ss, se, ah, al;
};

/**
 * Decode one sequential (baseline) scan whose entropy-coded data starts at *@p pos; on success
 * *@p pos is the marker after it. @return TK_OK or a status with the error set.
 */
int jf_decode_sequential(struct jf_decoder *d, const struct jf_scan *sc, const uint8_t **pos);

/**
 * Decode one progressive scan (DC first or refinement, AC first or refinement), keeping only
 * needed values and the nonzero history; as jf_decode_sequential() otherwise.
 */
int jf_decode_progressive(struct jf_decoder *d, const struct jf_scan *sc, const uint8_t **pos);

/** Turn the coefficient planes into the output image. @return TK_OK or TK_ERR_NO_MEMORY. */
enum tk_status jf_output_image(const struct jf_decoder *d, struct tk_image *out);

/**
 * Go to the next restart marker: it must be RSTn with n == *@p next_rst; restarts @p b after
 * it. @return TK_OK or TK_ERR_CORRUPT.
 */
int jf_expect_restart(struct jf_decoder *d, struct fb_reader *b, int *next_rst);

#endif /* TK_JPEG_FAST_INTERNAL_H */
