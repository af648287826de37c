# Runtime tests (see tests/lambda/e2e/): unit tests of the pure runtime parts, and the end-to-end
# suite that drives the real `bootstrap` through the project's Runtime API emulator
# (tests/lambda/emulator/) against a moto server the tests start themselves.
set(TK_E2E_DIR ${CMAKE_CURRENT_LIST_DIR}/e2e)

add_executable(test_runtime_unit ${TK_E2E_DIR}/c/test_runtime_unit.c)
target_link_libraries(test_runtime_unit PRIVATE tk_lambda_runtime)
add_test(NAME lambda_runtime_unit COMMAND test_runtime_unit)

# The reference thumbnail (same configuration, same engine) the e2e tests compare S3 objects with.
add_executable(tk_e2e_reference ${TK_E2E_DIR}/c/reference_thumb.c)
target_link_libraries(tk_e2e_reference PRIVATE tk_lambda_events thumbkit)

# python3 from PATH (pyenv here: boto3 + moto_server). Exits 77 (skipped) when boto3 or
# moto_server are missing.
find_program(TK_E2E_PYTHON3 python3)
if(TK_E2E_PYTHON3)
  foreach(suite Pipeline Failures Auth EventFile)
    add_test(NAME lambda_e2e_${suite}
             COMMAND ${TK_E2E_PYTHON3} ${TK_E2E_DIR}/test_e2e.py -v ${suite})
    set_tests_properties(lambda_e2e_${suite} PROPERTIES
      SKIP_RETURN_CODE 77
      TIMEOUT 300
      ENVIRONMENT "TK_BOOTSTRAP=$<TARGET_FILE:bootstrap>;TK_E2E_REFERENCE=$<TARGET_FILE:tk_e2e_reference>;TK_TEST_DATA=${TK_TEST_DATA}")
  endforeach()
endif()
