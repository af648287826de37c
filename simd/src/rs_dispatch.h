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
 * best ISA the machine supports @p detected: the requested ISA when it is at or
 * below @p detected on @p detected's ladder (tk_isa_within()), else @p detected
 * (a higher level, another architecture's ISA, NULL or an unknown name).
 */
enum tk_isa tk_isa_choose(const char *request, enum tk_isa detected);

/**
 * @return nonzero when @p isa is @p top or a level below it on @p top's ladder
 * (scalar is below every ISA; sse41 below avx2 below avx512; neon only above scalar).
 */
int tk_isa_within(enum tk_isa isa, enum tk_isa top);

/** @return the kernel table of tk_isa_active(), chosen once. Thread-safe. */
const struct tk_kernels *tk_kernels_active(void);

#endif /* TK_RS_DISPATCH_H */
