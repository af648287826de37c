# tk_lambda_sigv4: pure AWS Signature Version 4 signing (see sigv4.h). libcrypto only.
add_library(tk_lambda_sigv4 STATIC ${CMAKE_CURRENT_LIST_DIR}/sigv4.c)
target_include_directories(tk_lambda_sigv4 PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(tk_lambda_sigv4 PUBLIC PkgConfig::OPENSSL)
