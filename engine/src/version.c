/* version.c — library version and the active resampler kernels. */
#include "thumbkit.h"
#include "tk_resample.h"

const char *tk_version(void) {
    return TK_VERSION_STRING;
}

const char *tk_simd_name(void) {
    return tk_isa_name(tk_isa_active());
}
