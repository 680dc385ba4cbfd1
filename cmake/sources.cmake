# The source files of each program, by the system it is built for: one place that the build
# (CMakeLists.txt, tests/CMakeLists.txt) and tests/cli/macos_sources.sh (through
# cmake/list_sources.cmake) both read, so that the test checks the files a macOS build compiles.
#
# Files are found by folder and compiled on both systems unless listed below as one system's:
# a new file of runtime/ or cli/nono/ is portable until said otherwise, and
# tests/cli/macos_sources.sh fails when a file compiled for macOS uses Linux.

get_filename_component(NONO_SOURCE_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)

# Linux's sandbox: Landlock, seccomp, capabilities, namespaces, the run's cgroup, network
# mediation (seccomp user notification), the proxy's epoll loop, openat2, clone3, pidfds.
set(NONO_LINUX_ONLY_SOURCES
  runtime/event_loop_epoll.cpp
  runtime/mediate_metadata.cpp
  runtime/mediate_network.cpp
  runtime/mediate_pidfd.cpp
  runtime/mediation.cpp
  runtime/namespaces.cpp
  runtime/process_linux.cpp
  runtime/protected_files.cpp
  runtime/run_cgroup.cpp
  runtime/sandbox.cpp
  cli/nono/target_linux.cpp
  # Unit tests of Linux's parts, or compared with libseccomp or the Linux headers.
  tests/unit/fuzz_smoke_test.cpp
  tests/unit/landlock_test.cpp
  tests/unit/limits_test.cpp
  tests/unit/linux_constants_test.cpp
  tests/unit/linux_uapi_test.cpp
  tests/unit/mediate_metadata_test.cpp
  tests/unit/net_address_test.cpp
  tests/unit/network_syscalls_test.cpp
  tests/unit/path_facts_test.cpp
  tests/unit/protected_files_test.cpp
  tests/unit/proxy_test.cpp
  tests/unit/seccomp_differential_test.cpp
  tests/unit/seccomp_disasm_test.cpp
  tests/unit/seccomp_emit_test.cpp
  tests/unit/seccomp_golden_test.cpp)
# macOS's: Seatbelt (<sandbox.h>), kqueue, libproc.
set(NONO_MACOS_ONLY_SOURCES
  runtime/process_macos.cpp
  runtime/seatbelt.cpp
  cli/nono/target_seatbelt.cpp)

# nono_sources(linux|macos) sets, in the caller's scope, as absolute paths:
#   NONO_PLAN_SOURCES      plan/: the plan format, pure, below both the compiler and the runtime
#   NONO_COMPILER_SOURCES  core/, grammar/, yaml/ and compiler/: the compiler, the same on both systems
#   NONO_RUNTIME_SOURCES   runtime/: what this system's nono applies
#   NONOC_SOURCES          nonoc's main and commands
#   NONO_SOURCES           nono's main and commands, with its target (cli/nono/target.hpp)
#   NONO_UNIT_TEST_SOURCES tests/unit/
function(nono_sources system)
  if(system STREQUAL "linux")
    set(other ${NONO_MACOS_ONLY_SOURCES})
  elseif(system STREQUAL "macos")
    set(other ${NONO_LINUX_ONLY_SOURCES})
  else()
    message(FATAL_ERROR "nono_sources: no system \"${system}\" (linux or macos)")
  endif()
  # A script (cmake -P) cannot ask to glob again at build time.
  set(again CONFIGURE_DEPENDS)
  if(CMAKE_SCRIPT_MODE_FILE)
    set(again "")
  endif()
  set(globs_plan plan/*.cpp)
  set(globs_compiler core/*.cpp grammar/*.cpp yaml/*.cpp compiler/*.cpp compiler/emitters/*.cpp compiler/emitters/*/*.cpp)
  set(globs_runtime runtime/*.cpp)
  set(globs_nonoc cli/nonoc/*.cpp cli/common/*.cpp)
  set(globs_nono cli/nono/*.cpp cli/common/*.cpp)
  set(globs_unit tests/unit/*.cpp)
  foreach(group IN ITEMS plan compiler runtime nonoc nono unit)
    list(TRANSFORM globs_${group} PREPEND ${NONO_SOURCE_ROOT}/)
    file(GLOB found ${again} RELATIVE ${NONO_SOURCE_ROOT} ${globs_${group}})
    list(REMOVE_ITEM found ${other})
    list(SORT found)
    list(TRANSFORM found PREPEND ${NONO_SOURCE_ROOT}/)
    set(files_${group} ${found})
  endforeach()
  set(NONO_PLAN_SOURCES ${files_plan} PARENT_SCOPE)
  set(NONO_COMPILER_SOURCES ${files_compiler} PARENT_SCOPE)
  set(NONO_RUNTIME_SOURCES ${files_runtime} PARENT_SCOPE)
  set(NONOC_SOURCES ${files_nonoc} PARENT_SCOPE)
  set(NONO_SOURCES ${files_nono} PARENT_SCOPE)
  set(NONO_UNIT_TEST_SOURCES ${files_unit} PARENT_SCOPE)
endfunction()
