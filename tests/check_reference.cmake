# Fails if rules/jkn/REFERENCE.md is not what `kaidah reference` generates now.
execute_process(COMMAND ${KAIDAH} reference rules/jkn WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_FILE ${OUTPUT} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "kaidah reference failed (${status})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUTPUT} ${SOURCE_DIR}/rules/jkn/REFERENCE.md
                RESULT_VARIABLE different)
if(different)
  message(FATAL_ERROR "rules/jkn/REFERENCE.md is out of date: run `make reference` and commit it")
endif()
