/* icc.c — ICC header and tag checks (icc.h). Hand-written because the question is narrow
 * ("is this sRGB?") and must cost nothing: opening the profile in LittleCMS, or loading
 * LittleCMS at all, is what an sRGB-tagged photo should not pay for. */
#include "icc.h"

#include <math.h>
#include <string.h>

#define HEADER_SIZE 128
#define TAG_ENTRY   12
/* sRGB colorants adapted to D50, as in the IEC 61966-2.1 profile and sRGB2014. */
static const double srgb_xyz[3][3] = {
    {0.4361, 0.2225, 0.0139}, /* rXYZ */
    {0.3851, 0.7169, 0.0971}, /* gXYZ */
    {0.1431, 0.0606, 0.7141}, /* bXYZ */
};
#define XYZ_TOLERANCE 0.002
/* Two points of the tone curve tell sRGB from gamma 2.2 (0.5 alone does not). */
static const double probe_x[2] = {0.5, 0.1};
static const double probe_srgb[2] = {0.21404, 0.01002};
static const double probe_tolerance[2] = {0.003, 0.001};

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const uint8_t *p) {
    return (uint16_t)(p[0] << 8 | p[1]);
}

static double s15f16(const uint8_t *p) {
    return (double)(int32_t)be32(p) / 65536.0;
}

struct tag {
    const uint8_t *data;
    uint32_t size;
};

/* Find tag @p sig; its data must lie inside the profile. */
static bool find_tag(const uint8_t *p, size_t n, uint32_t count, const char sig[4], struct tag *t) {
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *e = p + HEADER_SIZE + 4 + (size_t)i * TAG_ENTRY;
        if (memcmp(e, sig, 4) != 0) {
            continue;
        }
        uint32_t off = be32(e + 4), size = be32(e + 8);
        if (off > n || size > n - off || size < 8) {
            return false;
        }
        t->data = p + off;
        t->size = size;
        return true;
    }
    return false;
}

static bool xyz_matches(const struct tag *t, const double want[3]) {
    if (t->size < 20 || memcmp(t->data, "XYZ ", 4) != 0) {
        return false;
    }
    for (int c = 0; c < 3; c++) {
        if (fabs(s15f16(t->data + 8 + 4 * c) - want[c]) > XYZ_TOLERANCE) {
            return false;
        }
    }
    return true;
}

/* A 'curv' table interpolated at x; NAN for a gamma or identity curve (not sRGB). */
static double curv_at(const struct tag *t, double x) {
    uint32_t count = be32(t->data + 8);
    if (count < 2 || (t->size - 12) / 2 < count) {
        return NAN;
    }
    double pos = x * (count - 1);
    uint32_t i = (uint32_t)pos;
    double f = pos - i;
    double a = be16(t->data + 12 + 2 * i) / 65535.0;
    double b = i + 1 < count ? be16(t->data + 12 + 2 * (i + 1)) / 65535.0 : a;
    return a + (b - a) * f;
}

/* A 'para' curve (ICC.1 10.18) at x; NAN for an unknown function type. */
static double para_at(const struct tag *t, double x) {
    static const uint32_t n_params[5] = {1, 3, 4, 5, 7};
    uint32_t type = be16(t->data + 8);
    if (type > 4 || t->size < 12 + 4 * n_params[type]) {
        return NAN;
    }
    double v[7] = {0};
    for (uint32_t i = 0; i < n_params[type]; i++) {
        v[i] = s15f16(t->data + 12 + 4 * i);
    }
    double g = v[0], a = v[1], b = v[2], c = v[3], d = v[4], e = v[5], f = v[6];
    switch (type) {
    case 0:
        return pow(x, g);
    case 1:
        return a * x + b >= 0 ? pow(a * x + b, g) : 0;
    case 2:
        return a * x + b >= 0 ? pow(a * x + b, g) + c : c;
    case 3:
        return x >= d ? pow(a * x + b, g) : c * x;
    default:
        return x >= d ? pow(a * x + b, g) + e : c * x + f;
    }
}

static bool trc_is_srgb(const struct tag *t) {
    bool curv = memcmp(t->data, "curv", 4) == 0 && t->size >= 12;
    bool para = memcmp(t->data, "para", 4) == 0 && t->size >= 12;
    if (!curv && !para) {
        return false;
    }
    for (int i = 0; i < 2; i++) {
        double y = curv ? curv_at(t, probe_x[i]) : para_at(t, probe_x[i]);
        if (!(fabs(y - probe_srgb[i]) <= probe_tolerance[i])) { /* NAN fails too */
            return false;
        }
    }
    return true;
}

static bool is_srgb(const uint8_t *p, size_t n, uint32_t count, enum tk_icc_space space) {
    struct tag t;
    if (space == TK_ICC_GRAY) {
        return find_tag(p, n, count, "kTRC", &t) && trc_is_srgb(&t);
    }
    static const char *const colorants[3] = {"rXYZ", "gXYZ", "bXYZ"};
    static const char *const curves[3] = {"rTRC", "gTRC", "bTRC"};
    /* A profile with A2B tables is converted by them, whatever its matrix says. */
    if (find_tag(p, n, count, "A2B0", &t) || find_tag(p, n, count, "A2B1", &t)) {
        return false;
    }
    for (int c = 0; c < 3; c++) {
        if (!find_tag(p, n, count, colorants[c], &t) || !xyz_matches(&t, srgb_xyz[c]) ||
            !find_tag(p, n, count, curves[c], &t) || !trc_is_srgb(&t)) {
            return false;
        }
    }
    return true;
}

bool tk_icc_inspect(const uint8_t *p, size_t n, struct tk_icc_info *info) {
    memset(info, 0, sizeof(*info));
    if (p == NULL || n < HEADER_SIZE + 4 || memcmp(p + 36, "acsp", 4) != 0) {
        return false;
    }
    uint32_t declared = be32(p);
    if (declared < HEADER_SIZE + 4 || declared > n) {
        return false;
    }
    n = declared; /* APP2 padding after the profile is not part of it */
    uint32_t count = be32(p + HEADER_SIZE);
    if (count > (n - HEADER_SIZE - 4) / TAG_ENTRY) {
        return false;
    }
    static const struct {
        char sig[5];
        enum tk_icc_space space;
    } spaces[] = {{"GRAY", TK_ICC_GRAY}, {"RGB ", TK_ICC_RGB}, {"CMYK", TK_ICC_CMYK}};
    for (size_t i = 0; i < sizeof(spaces) / sizeof(spaces[0]); i++) {
        if (memcmp(p + 16, spaces[i].sig, 4) == 0) {
            info->space = spaces[i].space;
        }
    }
    bool pcs_xyz = memcmp(p + 20, "XYZ ", 4) == 0;
    info->srgb = pcs_xyz && info->space != TK_ICC_OTHER && info->space != TK_ICC_CMYK &&
                 is_srgb(p, n, count, info->space);
    return true;
}
