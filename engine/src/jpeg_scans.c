/* jpeg_scans.c — count scans and block visits from the markers alone (see jpeg_scans.h). */
#include "jpeg_scans.h"
#include "errmsg.h"

#include <string.h>

#define MAX_COMPONENTS 4

struct frame {
    int seen;
    int n;
    uint8_t id[MAX_COMPONENTS];
    uint64_t blocks[MAX_COMPONENTS]; /* 8x8 blocks of each component */
};

static uint32_t be16(const uint8_t *p) {
    return (uint32_t)p[0] << 8 | p[1];
}

static uint64_t ceil_div(uint64_t a, uint64_t b) {
    return (a + b - 1) / b;
}

/* SOFn: the blocks of each component, from the image size and the sampling factors. */
static void read_frame(const uint8_t *seg, size_t len, struct frame *f) {
    if (len < 6) {
        return;
    }
    uint32_t h = be16(seg + 1), w = be16(seg + 3);
    int n = seg[5];
    if (n < 1 || n > MAX_COMPONENTS || len < 6 + 3 * (size_t)n) {
        return;
    }
    unsigned hmax = 1, vmax = 1;
    for (int i = 0; i < n; i++) {
        unsigned hs = seg[7 + 3 * i] >> 4, vs = seg[7 + 3 * i] & 15;
        hmax = hs > hmax ? hs : hmax;
        vmax = vs > vmax ? vs : vmax;
    }
    for (int i = 0; i < n; i++) {
        unsigned hs = seg[7 + 3 * i] >> 4, vs = seg[7 + 3 * i] & 15;
        uint64_t cw = ceil_div((uint64_t)w * (hs ? hs : 1), hmax);
        uint64_t ch = ceil_div((uint64_t)h * (vs ? vs : 1), vmax);
        f->id[i] = seg[6 + 3 * i];
        f->blocks[i] = ceil_div(cw, 8) * ceil_div(ch, 8);
    }
    f->n = n;
    f->seen = 1;
}

/* SOS: the blocks its components cover (a component not in the frame counts as the largest). */
static uint64_t scan_blocks(const uint8_t *seg, size_t len, const struct frame *f) {
    uint64_t most = 0, sum = 0;
    for (int i = 0; i < f->n; i++) {
        most = f->blocks[i] > most ? f->blocks[i] : most;
    }
    int ns = len >= 1 ? seg[0] : 0;
    for (int i = 0; i < ns && 1 + 2 * (size_t)i < len; i++) {
        uint64_t b = most;
        for (int k = 0; k < f->n; k++) {
            b = f->id[k] == seg[1 + 2 * i] ? f->blocks[k] : b;
        }
        sum += b;
    }
    return sum;
}

/* The offset just past the entropy-coded data that starts at @p i: the next marker that is
 * neither a stuffed 0xFF00 nor a restart marker (or the end). */
static size_t skip_entropy(const uint8_t *d, size_t size, size_t i) {
    while (i < size) {
        const uint8_t *ff = memchr(d + i, 0xFF, size - i);
        if (ff == NULL) {
            return size;
        }
        i = (size_t)(ff - d);
        if (i + 1 >= size) {
            return size;
        }
        uint8_t m = d[i + 1];
        if (m == 0x00 || m == 0xFF || (m >= 0xD0 && m <= 0xD7)) {
            i += m == 0xFF ? 1 : 2; /* stuffing, fill byte or restart: still in the scan */
            continue;
        }
        return i;
    }
    return size;
}

enum tk_status tk_jpeg_check_scans(const uint8_t *data, size_t size, struct tk_jpeg_scans *out,
                                   char *err, size_t errlen) {
    struct frame f;
    memset(&f, 0, sizeof(f));
    memset(out, 0, sizeof(*out));
    unsigned scans = 0;
    uint64_t visits = 0;
    size_t i = 2; /* after SOI */
    while (i + 4 <= size) {
        if (data[i] != 0xFF) {
            break; /* not a marker: the decoder will say what is wrong */
        }
        uint8_t m = data[i + 1];
        if (m == 0xFF) {
            i++;
            continue;
        }
        if (m == 0xD9) {
            break; /* EOI */
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD8)) {
            i += 2; /* markers without a length */
            continue;
        }
        size_t len = be16(data + i + 2);
        if (len < 2 || len > size - i - 2) {
            break;
        }
        const uint8_t *seg = data + i + 4;
        int sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
        if (sof && !f.seen) {
            read_frame(seg, len - 2, &f);
            for (int c = 0; c < f.n; c++) {
                out->blocks += f.blocks[c];
            }
        }
        i += 2 + len;
        if (m == 0xDA) {
            scans++;
            out->scans = scans;
            visits += scan_blocks(seg, len - 2, &f);
            if (scans > TK_JPEG_MAX_SCANS) {
                tk_errf(err, errlen, "JPEG: more than %d scans", TK_JPEG_MAX_SCANS);
                return TK_ERR_TOO_LARGE;
            }
            if (visits > TK_JPEG_MAX_BLOCK_VISITS) {
                tk_errf(err, errlen,
                        "JPEG: %u scans would decode over %llu blocks (limit %llu): too costly",
                        scans, (unsigned long long)visits,
                        (unsigned long long)TK_JPEG_MAX_BLOCK_VISITS);
                return TK_ERR_TOO_LARGE;
            }
            i = skip_entropy(data, size, i);
        }
    }
    return TK_OK;
}
