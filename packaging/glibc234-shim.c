/* glibc234-shim.c — two glibc functions newer than Amazon Linux 2023's glibc 2.34, defined
 * inside the libheif.so that packaging/build-codecs links (hidden: never exported), so that
 * the static libstdc++ and libgcc of Debian 12 (GCC 12, built against glibc 2.36) bind to
 * these instead of GLIBC_2.35/2.36 symbol versions AL2023 does not have.
 *
 *  - arc4random (2.36): std::random_device's default source. From getrandom (2.25).
 *  - _dl_find_object (2.35): how GCC 12's unwinder finds the .eh_frame of a PC. From
 *    dl_iterate_phdr (2.2.5), which is what the unwinder used before 2.35. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/random.h>

__attribute__((visibility("hidden"))) uint32_t arc4random(void) {
    uint32_t v = 0;
    while (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v)) {
        /* interrupted or not yet seeded: try again, as arc4random itself does */
    }
    return v;
}

struct find {
    uintptr_t pc;
    struct dl_find_object *out;
    int found;
};

static int visit(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    struct find *f = data;
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    const ElfW(Phdr) *eh = NULL;
    int hit = 0;
    for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *p = &info->dlpi_phdr[i];
        if (p->p_type == PT_LOAD) {
            uintptr_t s = info->dlpi_addr + p->p_vaddr, e = s + p->p_memsz;
            lo = s < lo ? s : lo;
            hi = e > hi ? e : hi;
            hit |= f->pc >= s && f->pc < e;
        } else if (p->p_type == PT_GNU_EH_FRAME) {
            eh = p;
        }
    }
    if (!hit) {
        return 0;
    }
    f->out->dlfo_flags = 0;
    f->out->dlfo_map_start = (void *)lo;
    f->out->dlfo_map_end = (void *)hi;
    f->out->dlfo_link_map = NULL;
    f->out->dlfo_eh_frame = eh != NULL ? (void *)(info->dlpi_addr + eh->p_vaddr) : NULL;
    f->found = 1;
    return 1;
}

__attribute__((visibility("hidden"))) int _dl_find_object(void *pc, struct dl_find_object *out) {
    struct find f = {(uintptr_t)pc, out, 0};
    dl_iterate_phdr(visit, &f);
    return f.found ? 0 : -1;
}
