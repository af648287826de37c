# `cmake --build build --target lambda-package` writes dist/<arch>/function.zip and
# dist/<arch>/layer.zip for x86_64 and arm64 (packaging/build-package --arch: a separate
# -DTK_PACKAGE=ON build in build-pkg/<arch>, static curl/OpenSSL/libjpeg, checked for
# Amazon Linux 2023; arm64 cross-built). Included from the top-level CMakeLists.txt.
if(TK_PACKAGE)
  return() # the packaging build itself does not package
endif()
add_custom_target(lambda-package
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/build-package --arch x86_64
          --build-dir ${PROJECT_SOURCE_DIR}/build-pkg/x86_64 --out ${PROJECT_SOURCE_DIR}/dist/x86_64
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/build-package --arch arm64
          --build-dir ${PROJECT_SOURCE_DIR}/build-pkg/arm64 --out ${PROJECT_SOURCE_DIR}/dist/arm64
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  COMMENT "Building dist/{x86_64,arm64}/{function,layer}.zip for provided.al2023"
  USES_TERMINAL
  VERBATIM)
