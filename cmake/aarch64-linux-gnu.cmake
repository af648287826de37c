# Cross-compiling for arm64 Linux (AWS Graviton) on a Debian x86_64 machine:
#   cmake -S . -B build-arm64 -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
# Compiler: Debian's gcc-aarch64-linux-gnu. Libraries: Debian's multiarch :arm64
# packages (dpkg --add-architecture arm64; libjpeg62-turbo-dev:arm64 ...), which
# install into /usr/lib/aarch64-linux-gnu and /usr/include/aarch64-linux-gnu, where
# Debian's cross compiler already looks. Tests run under qemu-aarch64 user-mode
# emulation (qemu-user-static): ctest prefixes every test executable with it.
# scripts/install-deps installs all of it; scripts/test-arm64 builds and tests.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(TK_CROSS_TRIPLET aarch64-linux-gnu)

set(CMAKE_C_COMPILER ${TK_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${TK_CROSS_TRIPLET}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${TK_CROSS_TRIPLET})

# Find the target's libraries and headers only, the build machine's programs only.
set(CMAKE_FIND_ROOT_PATH /usr/${TK_CROSS_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# pkg-config reads the arm64 .pc files of multiarch only (an overlay given in
# PKG_CONFIG_PATH, as packaging/build-package writes, still comes first).
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${TK_CROSS_TRIPLET}/pkgconfig:/usr/share/pkgconfig")

# The loader and libraries come from the multiarch libc6:arm64 at /lib and /usr/lib.
find_program(TK_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
if(TK_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${TK_QEMU_AARCH64})
endif()
