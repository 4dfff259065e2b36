# What `cmake --install` puts under the prefix besides programs, models and configs (apps/):
# libemo and its headers (lib/), the CMake package (find_package(emo CONFIG) -> emo::emo), emo.pc
# for pkg-config, and what `cpack -G DEB` needs for a Debian package.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
set(EMO_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/emo)
set(EMO_MODEL_INSTALL_DIR ${CMAKE_INSTALL_DATADIR}/emo/models)
install(EXPORT emoTargets NAMESPACE emo:: DESTINATION ${EMO_CMAKE_INSTALL_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/emoConfig.cmake.in ${PROJECT_BINARY_DIR}/emoConfig.cmake
                              INSTALL_DESTINATION ${EMO_CMAKE_INSTALL_DIR} PATH_VARS EMO_MODEL_INSTALL_DIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/emoConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/emoConfig.cmake ${PROJECT_BINARY_DIR}/emoConfigVersion.cmake
        DESTINATION ${EMO_CMAKE_INSTALL_DIR})
file(RELATIVE_PATH EMO_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${CMAKE_CURRENT_LIST_DIR}/emo.pc.in ${PROJECT_BINARY_DIR}/emo.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/emo.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

set(CPACK_PACKAGE_NAME emo)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "emo developers <emo@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "multimodal emotion recognition: programs, libemo, Python module, models")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Depends: computed by dpkg-shlibdeps from what the installed binaries link.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
