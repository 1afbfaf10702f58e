# The compiled form of the JKN rulebook's hardest decisions (`kaidah dump`), held in
# tests/golden/jkn-compiled.txt: fails if the compile stage now gives another form. After a
# deliberate change, `make reference` rewrites the file (UPDATE=1); read its diff before committing.
set(decisions iuran_worker,arrears_month_prices,arrears_amount,denda,rehab_installments_allowed,rehab_installment_amount,pemutihan_amount_written_off)
set(golden ${SOURCE_DIR}/tests/golden/jkn-compiled.txt)
execute_process(COMMAND ${KAIDAH} dump rules/jkn --decisions ${decisions} WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_FILE ${OUTPUT} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "kaidah dump failed (${status})")
endif()
if(UPDATE)
  file(COPY_FILE ${OUTPUT} ${golden})
  return()
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUTPUT} ${golden} RESULT_VARIABLE different)
if(different)
  message(FATAL_ERROR "the compiled form of JKN decisions differs from tests/golden/jkn-compiled.txt: "
                      "compare `kaidah dump rules/jkn --decisions ${decisions}` with it; if the change is meant, "
                      "`make reference` rewrites it")
endif()
