/*
 * rs_dispatch.h — choosing the kernels once per process. Internal; tests use
 * tk_isa_choose() to check the fallback rules without changing the CPU.
 */
#ifndef TK_RS_DISPATCH_H
#define TK_RS_DISPATCH_H

#include "rs_kernels.h"
#include "tk_resample.h"

/**
 * The ISA to use given the TK_SIMD value @p request (NULL when unset) and the
 * best ISA the machine supports @p detected: the requested level, lowered to
 * @p detected when the machine lacks it; @p detected for NULL or an unknown name.
 */
enum tk_isa tk_isa_choose(const char *request, enum tk_isa detected);

/** @return nonzero when this CPU and OS can run the kernels of @p isa. Thread-safe. */
int tk_isa_supported(enum tk_isa isa);

/** @return the kernel table of tk_isa_active(), chosen once. Thread-safe. */
const struct tk_kernels *tk_kernels_active(void);

#endif /* TK_RS_DISPATCH_H */
