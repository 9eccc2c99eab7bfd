# Faster builds when the tools are there: lld for linking, ccache for compiling.
if(PROJECT_IS_TOP_LEVEL)
  find_program(SPAWNGUARD_CCACHE ccache)
  if(SPAWNGUARD_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
    set(CMAKE_CXX_COMPILER_LAUNCHER ${SPAWNGUARD_CCACHE})
  endif()

  include(CheckLinkerFlag)
  check_linker_flag(CXX -fuse-ld=lld SPAWNGUARD_HAVE_LLD)
  if(SPAWNGUARD_HAVE_LLD)
    add_link_options(-fuse-ld=lld)
  endif()
endif()
