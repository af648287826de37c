# tk_lambda_runtime: Runtime API client, HTTP over libcurl, S3 client, retries and the
# per-invocation handler; `bootstrap` is main.c on top of it.
add_library(tk_lambda_runtime STATIC
  ${CMAKE_CURRENT_LIST_DIR}/http.c
  ${CMAKE_CURRENT_LIST_DIR}/retry.c
  ${CMAKE_CURRENT_LIST_DIR}/s3.c
  ${CMAKE_CURRENT_LIST_DIR}/runtime_api.c
  ${CMAKE_CURRENT_LIST_DIR}/handler.c
)
target_include_directories(tk_lambda_runtime PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(tk_lambda_runtime PUBLIC
  thumbkit tk_lambda_sigv4 tk_lambda_events
  PkgConfig::CURL PkgConfig::OPENSSL PkgConfig::CJSON Threads::Threads)

add_executable(bootstrap ${CMAKE_CURRENT_LIST_DIR}/main.c)
target_link_libraries(bootstrap PRIVATE tk_lambda_runtime)
