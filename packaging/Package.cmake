# `cmake --build build --target lambda-package` writes dist/function.zip and
# dist/layer.zip (packaging/build-package: a separate -DTK_PACKAGE=ON build in
# build-pkg/, static curl/OpenSSL/libjpeg, checked for Amazon Linux 2023).
# Included from the top-level CMakeLists.txt.
if(TK_PACKAGE)
  return() # the packaging build itself does not package
endif()
add_custom_target(lambda-package
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/build-package
          --build-dir ${PROJECT_SOURCE_DIR}/build-pkg --out ${PROJECT_SOURCE_DIR}/dist
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  COMMENT "Building dist/function.zip and dist/layer.zip for provided.al2023"
  USES_TERMINAL
  VERBATIM)
