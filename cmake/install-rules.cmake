include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS kaidah EXPORT kaidahTargets FILE_SET HEADERS)
install(TARGETS kaidah_cli RUNTIME)
set(KAIDAH_RULES_INSTALL_DIR ${CMAKE_INSTALL_DATADIR}/kaidah/rules)
install(DIRECTORY rules/ DESTINATION ${KAIDAH_RULES_INSTALL_DIR})  # the bundled rulebooks
install(EXPORT kaidahTargets NAMESPACE kaidah:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kaidah)
configure_package_config_file(cmake/kaidahConfig.cmake.in kaidahConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kaidah PATH_VARS KAIDAH_RULES_INSTALL_DIR)
write_basic_package_version_file(kaidahConfigVersion.cmake COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/kaidahConfig.cmake ${PROJECT_BINARY_DIR}/kaidahConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kaidah)
