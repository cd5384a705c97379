# Precompiled headers for the project's larger targets. nlohmann/json.hpp
# comes into almost every unit through the SDK headers and, with the standard
# headers below (and gtest in the tests), is most of what a unit parses; a
# target parses them once instead of once per unit. Targets of a few units
# go without: building their header would cost about what it saves. Each
# target builds its own: sharing one (REUSE_FROM) needs identical definitions
# and PIC flags, which a library, its plugins and the programs do not have.
# scripts/lint checks the units without them, so that every unit still
# includes what it uses.
option(ATOMIXTEST_PCH "Precompile the common headers of the larger targets" ON)

set(ATOMIXTEST_PCH_HEADERS
  <nlohmann/json.hpp> <algorithm> <chrono> <filesystem> <fstream> <functional>
  <map> <memory> <optional> <regex> <set> <sstream> <string> <thread> <vector>)

# GCC before 13 does not keep #pragma GCC diagnostic in a precompiled header
# (GCC PR 64117), so the few libstdc++ 12 silences around its own false
# positives (char_traits.h: -Warray-bounds, -Wstringop-overflow/-overread on
# string concatenation) are lost, and they fire on every `s + "..."`. Those
# three are turned off in the units that use the header, with GCC 12 only;
# clang's lane (scripts/test --sanitize) keeps them, with ASan behind it.
set(ATOMIXTEST_PCH_GCC12_OPTIONS -Wno-array-bounds -Wno-stringop-overflow -Wno-stringop-overread)

# atomixtest_precompile(TARGET [HEADER...]): the common headers and these.
# In a unity build a header is parsed once a batch anyway, so a target of
# one or two batches goes without: building the header (about 3.5 s) would
# cost more than it saves.
function(atomixtest_precompile target)
  if(NOT ATOMIXTEST_PCH)
    return()
  endif()
  if(ATOMIXTEST_UNITY)
    get_target_property(sources ${target} SOURCES)
    list(LENGTH sources source_count)
    math(EXPR two_batches "2 * ${CMAKE_UNITY_BUILD_BATCH_SIZE}")
    if(source_count LESS_EQUAL two_batches)
      return()
    endif()
  endif()
  target_precompile_headers(${target} PRIVATE ${ATOMIXTEST_PCH_HEADERS} ${ARGN})
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE ${ATOMIXTEST_PCH_GCC12_OPTIONS})
  endif()
endfunction()
