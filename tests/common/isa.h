/*
 * isa.h — tests that run once per instruction set (ctest passes the ISA name and sets
 * TK_SIMD): skip where the CPU lacks the ISA, and prove the forced ISA is the one running.
 */
#ifndef TK_TESTS_ISA_H
#define TK_TESTS_ISA_H

#include "tk_resample.h"

/**
 * Parse the ISA name @p name into @p *isa and check that this CPU and OS can run it.
 * @return 0; CHECK_SKIP (check.h) with a note on stdout when the machine lacks it;
 *         2 with a message on stderr for an unknown name
 */
int test_isa_available(const char *name, enum tk_isa *isa);

/**
 * test_isa_available(), then check that TK_SIMD is @p name and the resampler really
 * runs that ISA (tk_isa_active()).
 * @return 0; CHECK_SKIP when the machine lacks it; 1 with a message on stderr when
 *         another ISA runs; 2 for an unknown name
 */
int test_isa_forced(const char *name);

#endif /* TK_TESTS_ISA_H */
