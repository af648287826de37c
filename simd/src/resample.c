/*
 * resample.c — the driver: horizontal pass (premultiplying alpha) over exactly
 * the source rows the vertical pass needs, in blocks of the kernels' width
 * (streamed through a small ring of intermediate rows), vertical pass two
 * output rows at a time, un-premultiply.
 */
#include "rs_alpha.h"
#include "rs_dispatch.h"
#include "rs_kernels.h"
#include "rs_scalar.h"

#include <stdlib.h>
#include <string.h>

/* Per-call scratch: plans are shared between threads, so nothing lives in them. */
struct scratch {
    uint8_t *premul;      /* one premultiplied source row (alpha, width unchanged) */
    int16_t *ring;        /* ring_rows intermediate rows of out_elems int16 */
    void *work;           /* horizontal kernel scratch, TK_RS_WORK_ALIGN-aligned */
    const int16_t **rows; /* row pointers for two vertical windows, +2 for padding */
    int16_t *w1;          /* the second window's weights laid out on the union */
    uint32_t ring_rows;
    size_t out_elems;
};

struct job {
    const struct tk_rs_plan *plan;
    const struct tk_kernels *k;
    const uint8_t *src;
    size_t src_stride;
    int channels;
    int alpha;
    struct scratch s;
};

static void scratch_free(struct scratch *s) {
    free(s->premul);
    free(s->ring);
    free(s->work);
    free(s->rows);
    free(s->w1);
}

/* The horizontal kernel's scratch; aligned_alloc wants a multiple of the alignment. */
static void *work_alloc(const struct tk_kernels *k, const struct tk_rs_plan *plan, int channels) {
    const size_t bytes = plan->x.identity ? 0 : k->hpass_work_bytes(&plan->x, channels);
    const size_t a = TK_RS_WORK_ALIGN;
    return aligned_alloc(a, bytes ? (bytes + a - 1) / a * a : a);
}

/* Rows of the union of the windows of output rows y and y + 1, when they
 * overlap (the vertical pass does them together), else of y's window. */
static uint32_t union_len(const struct tk_rs_axis *ay, uint32_t y) {
    const uint32_t end = ay->start[y] + ay->len[y];
    if (y + 1 >= ay->out_size || ay->start[y + 1] >= end) {
        return ay->len[y];
    }
    const uint32_t end1 = ay->start[y + 1] + ay->len[y + 1];
    return (end1 > end ? end1 : end) - ay->start[y];
}

/* Rows are filtered in blocks of k->hpass_rows, up to hpass_rows - 1 beyond the
 * rows the vertical pass needs, so the ring holds the largest union of two
 * windows (union_len) + hpass_rows - 1 rows. */
static enum tk_rs_status scratch_alloc(struct scratch *s, const struct tk_kernels *k,
                                       const struct tk_rs_plan *plan, int channels) {
    const uint32_t block = (uint32_t)k->hpass_rows[channels - 1];
    memset(s, 0, sizeof *s);
    s->out_elems = (size_t)plan->x.out_size * channels;
    uint32_t span = 0;
    for (uint32_t y = 0; !plan->y.identity && y < plan->y.out_size; y++) {
        const uint32_t u = union_len(&plan->y, y);
        span = u > span ? u : span;
    }
    s->ring_rows = plan->y.identity ? block : span + block - 1;
    s->premul = malloc((size_t)plan->x.in_size * channels);
    s->ring = malloc(sizeof *s->ring * s->out_elems * s->ring_rows);
    s->rows = malloc(sizeof *s->rows * ((size_t)s->ring_rows + 2));
    s->w1 = calloc((size_t)s->ring_rows + 2, sizeof *s->w1);
    s->work = work_alloc(k, plan, channels);
    if (!s->premul || !s->ring || !s->rows || !s->w1 || !s->work) {
        scratch_free(s);
        return TK_RS_ERR_NO_MEMORY;
    }
    return TK_RS_OK;
}

/* @p count (<= hpass_rows) source rows from @p r on, premultiplied and
 * filtered horizontally, into the ring. */
static void produce_rows(struct job *j, uint32_t r, int count) {
    const struct tk_rs_axis *ax = &j->plan->x;
    const uint8_t *in[TK_RS_HPASS_MAX_ROWS];
    int16_t *out[TK_RS_HPASS_MAX_ROWS];
    for (int i = 0; i < count; i++) {
        in[i] = j->src + (size_t)(r + i) * j->src_stride;
        out[i] = j->s.ring + (size_t)((r + i) % j->s.ring_rows) * j->s.out_elems;
    }
    if (!ax->identity) {
        /* The horizontal pass premultiplies straight alpha itself. */
        j->k->hpass[j->channels - 1](in, out, count, ax, j->s.work);
        return;
    }
    /* Width unchanged: no horizontal filter, only premultiply and widen to the
     * intermediate format. */
    for (int i = 0; i < count; i++) {
        const uint8_t *px = in[i];
        if (j->alpha) {
            j->k->premul[j->channels == 4](in[i], j->s.premul, ax->in_size);
            px = j->s.premul;
        }
        for (size_t e = 0; e < j->s.out_elems; e++) {
            out[i][e] = (int16_t)(px[e] << TK_RS_INTER_BITS);
        }
    }
}

static void finish_row(struct job *j, uint8_t *out) {
    if (j->alpha) {
        tk_rs_unpremultiply_row(out, j->plan->x.out_size, j->channels);
    }
}

static void run_rows(struct job *j, uint8_t *dst, size_t dst_stride) {
    const struct tk_rs_axis *ay = &j->plan->y;
    struct scratch *s = &j->s;

    const uint32_t block = (uint32_t)j->k->hpass_rows[j->channels - 1];

    if (ay->identity) {
        /* Height unchanged: no vertical filter, only narrow each row back to 8 bits. */
        for (uint32_t y = 0; y < ay->out_size; y += block) {
            const uint32_t count = ay->out_size - y < block ? ay->out_size - y : block;
            produce_rows(j, y, (int)count);
            for (uint32_t r = 0; r < count; r++) {
                const int16_t *in = s->ring + (size_t)((y + r) % s->ring_rows) * s->out_elems;
                uint8_t *out = dst + (size_t)(y + r) * dst_stride;
                for (size_t i = 0; i < s->out_elems; i++) {
                    out[i] = tk_rs_round_u8(in[i], TK_RS_INTER_BITS);
                }
                finish_row(j, out);
            }
        }
        return;
    }

    /* Window starts never decrease, so a row older than the current start is
     * never needed again: the ring keeps the windows and the rows filtered ahead. */
    const int shift = ay->precision + TK_RS_INTER_BITS;
    uint32_t next = 0;
    for (uint32_t y = 0; y < ay->out_size;) {
        const uint32_t start = ay->start[y], n = union_len(ay, y);
        const int both = y + 1 < ay->out_size && ay->start[y + 1] < start + ay->len[y];
        if (next < start) {
            next = start; /* rows no window uses are never filtered */
        }
        while (next < start + n) {
            const uint32_t left = ay->in_size - next;
            const int count = (int)(left < block ? left : block);
            produce_rows(j, next, count);
            next += (uint32_t)count;
        }
        for (uint32_t k = 0; k < n; k++) {
            s->rows[k] = s->ring + (size_t)((start + k) % s->ring_rows) * s->out_elems;
        }
        s->rows[n] = s->rows[n + 1] = s->rows[n - 1];
        const int16_t *w0 = ay->weights + (size_t)y * ay->stride;
        uint8_t *out = dst + (size_t)y * dst_stride;
        if (!both) {
            j->k->vpass(s->rows, w0, n, out, s->out_elems, shift);
            finish_row(j, out);
            y++;
            continue;
        }
        const uint32_t off1 = ay->start[y + 1] - start, n1 = ay->len[y + 1];
        memset(s->w1, 0, sizeof *s->w1 * (n + 2));
        memcpy(s->w1 + off1, ay->weights + (size_t)(y + 1) * ay->stride, sizeof *s->w1 * n1);
        j->k->vpass2(s->rows, w0, ay->len[y], s->w1, off1, n1, out, out + dst_stride, s->out_elems,
                     shift);
        finish_row(j, out);
        finish_row(j, out + dst_stride);
        y += 2;
    }
}

static enum tk_rs_status run(const struct tk_rs_plan *plan, const struct tk_kernels *k,
                             const uint8_t *src, size_t src_stride, uint8_t *dst, size_t dst_stride,
                             int channels) {
    if (!plan || !src || !dst || channels < 1 || channels > 4) {
        return TK_RS_ERR_INVALID_ARGUMENT;
    }
    if (plan->x.identity && plan->y.identity) {
        const size_t row_bytes = (size_t)plan->x.in_size * channels;
        for (uint32_t y = 0; y < plan->y.in_size; y++) {
            memcpy(dst + (size_t)y * dst_stride, src + (size_t)y * src_stride, row_bytes);
        }
        return TK_RS_OK;
    }
    struct job j = {plan, k, src, src_stride, channels, channels == 2 || channels == 4, {0}};
    enum tk_rs_status st = scratch_alloc(&j.s, k, plan, channels);
    if (st != TK_RS_OK) {
        return st;
    }
    run_rows(&j, dst, dst_stride);
    scratch_free(&j.s);
    return TK_RS_OK;
}

enum tk_rs_status tk_rs_run(const struct tk_rs_plan *plan, const uint8_t *src, size_t src_stride,
                            uint8_t *dst, size_t dst_stride, int channels) {
    return run(plan, tk_kernels_active(), src, src_stride, dst, dst_stride, channels);
}

enum tk_rs_status tk_rs_run_isa(const struct tk_rs_plan *plan, enum tk_isa isa, const uint8_t *src,
                                size_t src_stride, uint8_t *dst, size_t dst_stride, int channels) {
    if (!tk_isa_supported(isa)) {
        return TK_RS_ERR_ISA_UNAVAILABLE;
    }
    return run(plan, tk_kernels_get(isa), src, src_stride, dst, dst_stride, channels);
}
