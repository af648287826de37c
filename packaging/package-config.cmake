# Injected right after project() by packaging/build-package
# (-DCMAKE_PROJECT_INCLUDE=...), for the Lambda package build only:
#  - libcurl (trimmed), OpenSSL and libjpeg-turbo come from the pkg-config
#    overlay that build-package writes, which names static archives;
#  - libgcc is linked statically (AL2023 would otherwise need libgcc_s);
#  - sections are garbage-collected to keep the bootstrap small.
if(NOT TK_PACKAGE)
  message(FATAL_ERROR "package-config.cmake is for -DTK_PACKAGE=ON builds (packaging/build-package)")
endif()
if(NOT DEFINED ENV{PKG_CONFIG_PATH} OR NOT "$ENV{PKG_CONFIG_PATH}" MATCHES "deps/pkgconfig")
  message(FATAL_ERROR "run packaging/build-package: it sets PKG_CONFIG_PATH to its static overlay")
endif()
message(STATUS "thumbkit: Lambda package configuration (static curl/OpenSSL/libjpeg, static libgcc)")

add_compile_options(-ffunction-sections -fdata-sections)
if(TK_PACKAGE_PREFIX_MAP)
  separate_arguments(tk_prefix_map UNIX_COMMAND "${TK_PACKAGE_PREFIX_MAP}")
  add_compile_options(${tk_prefix_map})
endif()
add_link_options(-static-libgcc -Wl,--gc-sections -Wl,-O1 -Wl,--as-needed)
