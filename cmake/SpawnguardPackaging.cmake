# What `cmake --install` puts beside the targets' own rules, and the CPack
# Debian packages built from it (scripts/package.sh): spawnguard-lint (component
# lint: the binary, the clang-tidy plugin and the check pages) and libspawnguard-dev (component dev:
# the runtime's headers, library, CMake package and monitoring files).
include(GNUInstallDirs)

if(SPAWNGUARD_BUILD_ANALYZER)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/checks
    DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/spawnguard-lint COMPONENT lint
    FILES_MATCHING PATTERN "*.md")
  install(FILES ${PROJECT_SOURCE_DIR}/docs/configuration.md
    DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/spawnguard-lint COMPONENT lint)
  set(CPACK_COMPONENTS_ALL lint dev)
else()
  set(CPACK_COMPONENTS_ALL dev)
endif()

set(SPAWNGUARD_PACKAGE_MAINTAINER "spawnguard maintainers <spawnguard@invalid>"
  CACHE STRING "The Maintainer field of the Debian packages")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME spawnguard)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${SPAWNGUARD_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON) # the release build's debug info stays in the build tree
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # <name>_<version>_<arch>.deb

set(CPACK_DEBIAN_LINT_PACKAGE_NAME spawnguard-lint)
set(CPACK_DEBIAN_LINT_PACKAGE_SECTION devel)
# Descriptions: a summary line, then the long text (no project-wide summary
# prepended: CPACK_PACKAGE_DESCRIPTION_SUMMARY stays empty).
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
set(CPACK_DEBIAN_LINT_DESCRIPTION "Lint for unbounded task spawns in Boost.Asio services
spawnguard-lint, a Clang 19 LibTooling program, flags task spawns (co_spawn,
post, std::thread, ...) repeated per event with nothing bounding them, and
spawned tasks that wait on the network or a database with no deadline.")
# The LLVM 19 runtime libraries are found by dpkg-shlibdeps from the binary;
# clang's builtin headers (stddef.h, ...) are no library, so they are named.
set(CPACK_DEBIAN_LINT_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_LINT_PACKAGE_DEPENDS "libclang-common-19-dev")
# The clang-tidy plugin (lib/spawnguard/libSpawnguardTidyModule.so) is loaded by
# clang-tidy-19, which the lint itself does not need.
set(CPACK_DEBIAN_LINT_PACKAGE_SUGGESTS "clang-tidy-19")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libspawnguard-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_DESCRIPTION "Runtime guard against unbounded task spawns (development files)
The spawnguard runtime library, spawnguard::runtime for Boost.Asio services and
spawnguard::runtime_standalone for standalone Asio ones: spawn wrappers that
count live tasks per spawn site, watch memory against the real limit and alert
or shed load before the OOM killer. Headers, static libraries, CMake package
(find_package(spawnguard)) and Prometheus/Grafana files.")
# Headers only the compiler reads: find_package(spawnguard) finds these. Either
# Asio will do: the package gives the targets of the one(s) installed.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libboost1.81-dev | libasio-dev, libfmt-dev")
set(CPACK_DEBIAN_DEV_PACKAGE_SUGGESTS "libasio-dev")

include(CPack)
