# Prints the source files a build for one system compiles, one a line, relative to the
# repository: cmake -DSYSTEM=macos -P cmake/list_sources.cmake (tests/cli/macos_sources.sh).
include(${CMAKE_CURRENT_LIST_DIR}/sources.cmake)
nono_sources(${SYSTEM})
foreach(file IN LISTS NONO_PLAN_SOURCES NONO_COMPILER_SOURCES NONO_RUNTIME_SOURCES NONOC_SOURCES NONO_SOURCES NONO_UNIT_TEST_SOURCES)
  file(RELATIVE_PATH relative ${NONO_SOURCE_ROOT} ${file})
  message(NOTICE ${relative})
endforeach()
