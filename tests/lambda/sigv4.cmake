# SigV4 tests (see tests/lambda/sigv4/): the official suite and aws-c-auth's suite stage by
# stage, unit tests, and a comparison with botocore through the small `sigv4_tool` CLI.
if(NOT TARGET PkgConfig::CJSON)
  pkg_check_modules(CJSON REQUIRED IMPORTED_TARGET libcjson)
endif()

set(TK_SIGV4_TEST_DIR ${CMAKE_CURRENT_LIST_DIR}/sigv4)

add_executable(test_sigv4_vectors ${TK_SIGV4_TEST_DIR}/test_sigv4_vectors.c
                                  ${TK_SIGV4_TEST_DIR}/reqfile.c)
target_link_libraries(test_sigv4_vectors PRIVATE tk_lambda_sigv4 PkgConfig::CJSON)
add_test(NAME sigv4_official_suite COMMAND test_sigv4_vectors official ${TK_TEST_DATA}/sigv4)
add_test(NAME sigv4_aws_c_auth_suite COMMAND test_sigv4_vectors aws-c-auth ${TK_TEST_DATA}/sigv4)

add_executable(test_sigv4_unit ${TK_SIGV4_TEST_DIR}/test_sigv4_unit.c)
target_link_libraries(test_sigv4_unit PRIVATE tk_lambda_sigv4)
add_test(NAME sigv4_unit COMMAND test_sigv4_unit)

add_executable(sigv4_tool ${TK_SIGV4_TEST_DIR}/sigv4_tool.c)
target_link_libraries(sigv4_tool PRIVATE tk_lambda_sigv4 PkgConfig::CJSON)

# botocore is the reference: python3 from PATH (pyenv here, with botocore installed). The
# script exits 77 (ctest: skipped, not passed) only when botocore cannot be imported.
find_program(TK_SIGV4_PYTHON3 python3)
if(TK_SIGV4_PYTHON3)
  add_test(NAME sigv4_botocore_compare
           COMMAND ${TK_SIGV4_PYTHON3} ${TK_SIGV4_TEST_DIR}/botocore_compare.py
                   --tool $<TARGET_FILE:sigv4_tool> --count 200 --client-count 40
                   --seed 20150830)
  set_tests_properties(sigv4_botocore_compare PROPERTIES SKIP_RETURN_CODE 77)
endif()

# Every allocation of the signer made to fail in turn (NULL result, no leak under ASan).
add_executable(test_sigv4_alloc ${TK_SIGV4_TEST_DIR}/test_sigv4_alloc.c)
target_link_libraries(test_sigv4_alloc PRIVATE tk_lambda_sigv4)
target_link_options(test_sigv4_alloc PRIVATE
                    -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup)
add_test(NAME sigv4_alloc_failures COMMAND test_sigv4_alloc)
