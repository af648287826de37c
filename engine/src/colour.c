/* colour.c — colour descriptions to sRGB with LittleCMS (colour.h).
 *
 * LittleCMS is loaded on first use (lazylib.h): an sRGB-tagged or untagged image never loads
 * it. Transforms are built once per distinct (profile, pixel input) and kept in a small
 * process-wide cache, so a warm Lambda converts its second Adobe RGB photo without building
 * anything. Transforms are created with cmsFLAGS_NOCACHE and so may be shared by threads. */
#include "colour.h"
#include "errmsg.h"
#include "icc.h"
#include "lazylib.h"

#include <lcms2.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Distinct transforms kept; a busy Lambda sees a handful of camera profiles. */
#define CACHE_SLOTS 8
/* Profiles larger than this are converted but not kept (a print profile can be 4 MB). */
#define CACHE_MAX_KEY (1u << 20)
/* The rendering intent libvips uses by default; black point compensation as it does. */
#define INTENT INTENT_RELATIVE_COLORIMETRIC

#define LCMS_FUNCS(X)                                                                              \
    X(cmsCreateContext)                                                                            \
    X(cmsSetLogErrorHandlerTHR)                                                                    \
    X(cmsOpenProfileFromMemTHR)                                                                    \
    X(cmsCloseProfile)                                                                             \
    X(cmsGetColorSpace)                                                                            \
    X(cmsCreate_sRGBProfileTHR)                                                                    \
    X(cmsCreateGrayProfileTHR)                                                                     \
    X(cmsCreateRGBProfileTHR)                                                                      \
    X(cmsBuildParametricToneCurve)                                                                 \
    X(cmsFreeToneCurve)                                                                            \
    X(cmsCreateTransformTHR)                                                                       \
    X(cmsDoTransform)                                                                              \
    X(cmsDeleteTransform)

static const char *const lcms_sonames[] = {"liblcms2.so.2", NULL};

static struct {
    LCMS_FUNCS(TK_LAZY_MEMBER)
    cmsContext ctx;
    cmsHPROFILE srgb, srgb_gray;
    bool ok;
    char why[TK_ERRLEN];
} lcms;
static pthread_once_t lcms_once = PTHREAD_ONCE_INIT;

/* sRGB's tone curve as an ICC parametric curve of type 4. */
static const double srgb_curve[5] = {2.4, 1.0 / 1.055, 0.055 / 1.055, 1.0 / 12.92, 0.04045};
static const double bt709_curve[5] = {1.0 / 0.45, 1.0 / 1.099, 0.099 / 1.099, 1.0 / 4.5, 0.081};

static void quiet(cmsContext ctx, cmsUInt32Number code, const char *text) {
    (void)ctx, (void)code, (void)text; /* the engine never prints; failures are statuses */
}

static cmsToneCurve *curve_for(enum tk_transfer t, double gamma) {
    if (t == TK_TRANSFER_GAMMA) {
        return lcms.cmsBuildParametricToneCurve(lcms.ctx, 1, &gamma);
    }
    return lcms.cmsBuildParametricToneCurve(lcms.ctx, 4,
                                            t == TK_TRANSFER_BT709 ? bt709_curve : srgb_curve);
}

#define RESOLVE(f) TK_LAZY_RESOLVE(&lcms, h, f)

static void load_lcms(void) {
    char *why = lcms.why;
    size_t whylen = sizeof(lcms.why);
    void *h = tk_lazylib_open(lcms_sonames, why, whylen);
    if (h == NULL) {
        return;
    }
    bool ok = true;
    LCMS_FUNCS(RESOLVE)
    if (!ok) {
        return;
    }
    lcms.ctx = lcms.cmsCreateContext(NULL, NULL);
    if (lcms.ctx == NULL) {
        tk_errf(why, whylen, "LittleCMS: cannot create a context");
        return;
    }
    lcms.cmsSetLogErrorHandlerTHR(lcms.ctx, quiet);
    lcms.srgb = lcms.cmsCreate_sRGBProfileTHR(lcms.ctx);
    cmsCIExyY d65 = {0.3127, 0.3290, 1.0};
    cmsToneCurve *c = curve_for(TK_TRANSFER_SRGB, 0);
    lcms.srgb_gray = c != NULL ? lcms.cmsCreateGrayProfileTHR(lcms.ctx, &d65, c) : NULL;
    if (c != NULL) {
        lcms.cmsFreeToneCurve(c);
    }
    if (lcms.srgb == NULL || lcms.srgb_gray == NULL) {
        tk_errf(why, whylen, "LittleCMS: cannot create the sRGB profiles");
        return;
    }
    lcms.ok = true;
}

struct tk_colour_xf {
    cmsHTRANSFORM t;
    int refs; /* under cache_lock */
};

static struct {
    uint8_t *key; /* the description's bytes + input, compared whole (no hash collisions) */
    size_t key_len;
    struct tk_colour_xf *xf;
} cache[CACHE_SLOTS];
static size_t cache_next; /* slot to evict next: oldest first */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

void tk_colour_src_free(struct tk_colour_src *src) {
    free(src->icc);
    memset(src, 0, sizeof(*src));
}

void tk_colour_srgb_primaries(double xy[4][2]) {
    static const double bt709[4][2] = {{0.64, 0.33}, {0.30, 0.60}, {0.15, 0.06}, {0.3127, 0.3290}};
    memcpy(xy, bt709, sizeof(bt709));
}

static bool params_are_srgb(const struct tk_colour_src *src, bool gray) {
    if (src->transfer != TK_TRANSFER_SRGB) {
        return false;
    }
    double want[4][2];
    tk_colour_srgb_primaries(want);
    for (int i = 0; i < 4 && !gray; i++) {
        for (int j = 0; j < 2; j++) {
            double d = src->xy[i][j] - want[i][j];
            if (d > 0.002 || d < -0.002) {
                return false;
            }
        }
    }
    return true;
}

static bool input_is_gray(enum tk_colour_input in) {
    return in == TK_COLOUR_IN_GRAY || in == TK_COLOUR_IN_GRAY_ALPHA;
}

static cmsUInt32Number lcms_format(enum tk_colour_input in, bool inverted) {
    switch (in) {
    case TK_COLOUR_IN_GRAY:
        return TYPE_GRAY_8;
    case TK_COLOUR_IN_GRAY_ALPHA:
        return TYPE_GRAYA_8;
    case TK_COLOUR_IN_RGBA:
        return TYPE_RGBA_8;
    case TK_COLOUR_IN_CMYK:
        return inverted ? TYPE_CMYK_8_REV : TYPE_CMYK_8;
    default:
        return TYPE_RGB_8;
    }
}

static cmsUInt32Number output_format(enum tk_colour_input in) {
    return in == TK_COLOUR_IN_CMYK ? TYPE_RGB_8 : lcms_format(in, false);
}

/* The source profile for @p src, or NULL with @p warn set. */
static cmsHPROFILE open_source(const struct tk_colour_src *src, enum tk_colour_input in, char *warn,
                               size_t warnlen) {
    if (src->kind == TK_COLOUR_ICC) {
        cmsHPROFILE p =
            lcms.cmsOpenProfileFromMemTHR(lcms.ctx, src->icc, (cmsUInt32Number)src->icc_size);
        if (p == NULL) {
            tk_errf(warn, warnlen, "the embedded ICC profile is malformed: ignored");
        }
        return p;
    }
    cmsHPROFILE p = NULL;
    cmsToneCurve *c = curve_for(src->transfer, src->gamma);
    cmsCIExyY white = {src->xy[3][0], src->xy[3][1], 1.0};
    if (c != NULL && input_is_gray(in)) {
        p = lcms.cmsCreateGrayProfileTHR(lcms.ctx, &white, c);
    } else if (c != NULL) {
        cmsCIExyYTRIPLE prim = {{src->xy[0][0], src->xy[0][1], 1.0},
                                {src->xy[1][0], src->xy[1][1], 1.0},
                                {src->xy[2][0], src->xy[2][1], 1.0}};
        cmsToneCurve *curves[3] = {c, c, c};
        p = lcms.cmsCreateRGBProfileTHR(lcms.ctx, &white, &prim, curves);
    }
    if (c != NULL) {
        lcms.cmsFreeToneCurve(c);
    }
    if (p == NULL) {
        tk_errf(warn, warnlen, "the image's primaries and transfer make no profile: ignored");
    }
    return p;
}

static struct tk_colour_xf *build(const struct tk_colour_src *src, enum tk_colour_input in,
                                  char *warn, size_t warnlen) {
    cmsHPROFILE from = open_source(src, in, warn, warnlen);
    if (from == NULL) {
        return NULL;
    }
    cmsUInt32Number flags = cmsFLAGS_NOCACHE | cmsFLAGS_BLACKPOINTCOMPENSATION;
    if (in == TK_COLOUR_IN_GRAY_ALPHA || in == TK_COLOUR_IN_RGBA) {
        flags |= cmsFLAGS_COPY_ALPHA;
    }
    cmsHPROFILE to = input_is_gray(in) ? lcms.srgb_gray : lcms.srgb;
    cmsHTRANSFORM t = lcms.cmsCreateTransformTHR(
        lcms.ctx, from, lcms_format(in, src->cmyk_inverted), to, output_format(in), INTENT, flags);
    lcms.cmsCloseProfile(from);
    struct tk_colour_xf *xf = t != NULL ? calloc(1, sizeof(*xf)) : NULL;
    if (xf == NULL) {
        if (t != NULL) {
            lcms.cmsDeleteTransform(t);
        }
        tk_errf(warn, warnlen, "the embedded colour profile cannot be used: ignored");
        return NULL;
    }
    xf->t = t;
    xf->refs = 1;
    return xf;
}

/* The cache key: input, inversion and the description's bytes. */
static uint8_t *make_key(const struct tk_colour_src *src, enum tk_colour_input in, size_t *len) {
    uint8_t head[2] = {(uint8_t)in, (uint8_t)src->cmyk_inverted};
    size_t body = src->kind == TK_COLOUR_ICC
                      ? src->icc_size
                      : sizeof(src->xy) + sizeof(src->transfer) + sizeof(src->gamma);
    if (body > CACHE_MAX_KEY) {
        return NULL;
    }
    uint8_t *k = malloc(sizeof(head) + body);
    if (k == NULL) {
        return NULL;
    }
    memcpy(k, head, sizeof(head));
    if (src->kind == TK_COLOUR_ICC) {
        memcpy(k + sizeof(head), src->icc, body);
    } else {
        uint8_t *p = k + sizeof(head);
        memcpy(p, src->xy, sizeof(src->xy));
        memcpy(p + sizeof(src->xy), &src->transfer, sizeof(src->transfer));
        memcpy(p + sizeof(src->xy) + sizeof(src->transfer), &src->gamma, sizeof(src->gamma));
    }
    *len = sizeof(head) + body;
    return k;
}

static void drop(struct tk_colour_xf *xf) {
    if (xf != NULL && --xf->refs == 0) {
        lcms.cmsDeleteTransform(xf->t);
        free(xf);
    }
}

/* Look up @p key; on a miss build and insert. Takes ownership of @p key. */
static struct tk_colour_xf *cached(uint8_t *key, size_t key_len, const struct tk_colour_src *src,
                                   enum tk_colour_input in, char *warn, size_t warnlen) {
    struct tk_colour_xf *xf = NULL;
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; key != NULL && i < CACHE_SLOTS; i++) {
        if (cache[i].key_len == key_len && memcmp(cache[i].key, key, key_len) == 0) {
            xf = cache[i].xf;
            xf->refs++;
            break;
        }
    }
    if (xf == NULL) {
        /* Built under the lock: two threads meeting the same new profile build it once. */
        xf = build(src, in, warn, warnlen);
        if (xf != NULL && key != NULL) {
            size_t s = cache_next;
            cache_next = (cache_next + 1) % CACHE_SLOTS;
            free(cache[s].key);
            drop(cache[s].xf);
            cache[s].key = key;
            cache[s].key_len = key_len;
            cache[s].xf = xf;
            xf->refs++;
            key = NULL;
        }
    }
    pthread_mutex_unlock(&cache_lock);
    free(key);
    return xf;
}

static const char *space_name(enum tk_icc_space s) {
    static const char *const names[] = {"not RGB, gray or CMYK", "gray", "RGB", "CMYK"};
    return names[s];
}

/* Does an ICC profile of space @p s fit pixels of @p in? */
static bool fits(enum tk_icc_space s, enum tk_colour_input in) {
    return in == TK_COLOUR_IN_CMYK ? s == TK_ICC_CMYK
           : input_is_gray(in)     ? s == TK_ICC_GRAY
                                   : s == TK_ICC_RGB;
}

void tk_colour_acquire(const struct tk_colour_src *src, enum tk_colour_input in,
                       struct tk_colour_xf **xf, const char **what, char *warn, size_t warnlen) {
    *xf = NULL;
    *what = "none";
    if (src->kind == TK_COLOUR_NONE) {
        return;
    }
    if (src->kind == TK_COLOUR_SRGB ||
        (src->kind == TK_COLOUR_PARAMS && params_are_srgb(src, input_is_gray(in)))) {
        *what = "srgb";
        return;
    }
    if (src->kind == TK_COLOUR_ICC) {
        struct tk_icc_info info;
        if (!tk_icc_inspect(src->icc, src->icc_size, &info)) {
            tk_errf(warn, warnlen, "the embedded ICC profile is malformed: ignored");
            return;
        }
        if (!fits(info.space, in) && info.srgb) {
            *what = "srgb"; /* an sRGB profile on gray pixels, as some tools leave it: harmless */
            return;
        }
        if (!fits(info.space, in)) {
            tk_errf(warn, warnlen, "the embedded ICC profile is %s but the pixels are %s: ignored",
                    space_name(info.space),
                    in == TK_COLOUR_IN_CMYK ? "CMYK"
                    : input_is_gray(in)     ? "gray"
                                            : "RGB");
            return;
        }
        if (info.srgb) {
            *what = "srgb";
            return;
        }
    }
    pthread_once(&lcms_once, load_lcms);
    if (!lcms.ok) {
        tk_errf(warn, warnlen, "colour not managed: %s", lcms.why);
        return;
    }
    size_t key_len = 0;
    uint8_t *key = make_key(src, in, &key_len);
    *xf = cached(key, key_len, src, in, warn, warnlen);
    if (*xf != NULL) {
        *what = "converted";
    }
}

void tk_colour_apply(const struct tk_colour_xf *xf, struct tk_image *img) {
    size_t row = (size_t)img->width * (size_t)img->layout;
    if (img->stride == row && (uint64_t)img->width * img->height <= UINT32_MAX) {
        lcms.cmsDoTransform(xf->t, img->pixels, img->pixels,
                            (cmsUInt32Number)((size_t)img->width * img->height));
        return;
    }
    for (uint32_t y = 0; y < img->height; y++) {
        uint8_t *p = img->pixels + (size_t)y * img->stride;
        lcms.cmsDoTransform(xf->t, p, p, img->width);
    }
}

void tk_colour_cmyk_row(const struct tk_colour_xf *xf, const uint8_t *cmyk, uint8_t *rgb,
                        uint32_t w) {
    lcms.cmsDoTransform(xf->t, cmyk, rgb, w);
}

void tk_colour_release(struct tk_colour_xf *xf) {
    if (xf == NULL) {
        return;
    }
    pthread_mutex_lock(&cache_lock);
    drop(xf);
    pthread_mutex_unlock(&cache_lock);
}
