# Resolves the pinned whisper.cpp source tree into WHISPER_CPP_SOURCE.
#
# Order, first that works wins:
#   1. a local tree named by WHISPER_CPP_SOURCE_DIR (cmake variable or environment);
#   2. the upstream release archive of the tag, checked against a pinned SHA-256;
#   3. the npm package nodejs-whisper, which carries the same release unchanged under
#      package/cpp/whisper.cpp, checked against the registry's pinned SHA-512 integrity.
# A host whose name does not resolve (GitHub on machines without internet) fails at once; one that
# resolves but sends nothing is given up after 20 s without data; npm applies its own retries, within
# a 10-minute limit.

set(WHISPER_CPP_UPSTREAM_URL
    "https://github.com/ggml-org/whisper.cpp/archive/refs/tags/v${WHISPER_CPP_VERSION}.tar.gz")
set(WHISPER_CPP_UPSTREAM_SHA256 "147267177eef7b22ec3d2476dd514d1b12e160e176230b740e3d1bd600118447")
set(WHISPER_CPP_NPM_PACKAGE "nodejs-whisper@0.3.1")
# `npm view nodejs-whisper@0.3.1 dist.integrity`, decoded from base64.
set(WHISPER_CPP_NPM_SHA512
    "71ea2295456b691b91e459cdc97a46413d9ab80478f0e7370100449a45e75694a7f6237ac95473401142a954c659b93a59d8bde4d86fc1737316fb91edeacb5b")

function(_whisper_cpp_check_tree dir out)
  if(EXISTS "${dir}/include/whisper.h" AND EXISTS "${dir}/ggml/CMakeLists.txt"
     AND EXISTS "${dir}/CMakeLists.txt")
    file(STRINGS "${dir}/CMakeLists.txt" _proj REGEX "project\\(\"whisper.cpp\" VERSION")
    if(_proj MATCHES "VERSION ${WHISPER_CPP_VERSION}\\)")
      set(${out} TRUE PARENT_SCOPE)
      return()
    endif()
    message(WARNING "whisper.cpp tree ${dir} is not version ${WHISPER_CPP_VERSION} (${_proj})")
  endif()
  set(${out} FALSE PARENT_SCOPE)
endfunction()

function(whisper_cpp_resolve_source work_dir)
  if(NOT WHISPER_CPP_SOURCE_DIR AND DEFINED ENV{WHISPER_CPP_SOURCE_DIR})
    set(WHISPER_CPP_SOURCE_DIR "$ENV{WHISPER_CPP_SOURCE_DIR}")
  endif()
  if(WHISPER_CPP_SOURCE_DIR)
    _whisper_cpp_check_tree("${WHISPER_CPP_SOURCE_DIR}" _ok)
    if(NOT _ok)
      message(FATAL_ERROR "WHISPER_CPP_SOURCE_DIR=${WHISPER_CPP_SOURCE_DIR} is not a whisper.cpp "
                          "v${WHISPER_CPP_VERSION} source tree")
    endif()
    message(STATUS "whisper.cpp source: local tree ${WHISPER_CPP_SOURCE_DIR}")
    set(WHISPER_CPP_SOURCE "${WHISPER_CPP_SOURCE_DIR}" PARENT_SCOPE)
    return()
  endif()

  file(REMOVE_RECURSE "${work_dir}")
  file(MAKE_DIRECTORY "${work_dir}")

  # 2. Upstream archive.
  set(_archive "${work_dir}/whisper.cpp-v${WHISPER_CPP_VERSION}.tar.gz")
  message(STATUS "whisper.cpp source: trying ${WHISPER_CPP_UPSTREAM_URL}")
  file(DOWNLOAD "${WHISPER_CPP_UPSTREAM_URL}" "${_archive}"
       TIMEOUT 600 INACTIVITY_TIMEOUT 20 STATUS _st)
  list(GET _st 0 _code)
  if(_code EQUAL 0)
    file(SHA256 "${_archive}" _sum)
    if(_sum STREQUAL WHISPER_CPP_UPSTREAM_SHA256)
      file(ARCHIVE_EXTRACT INPUT "${_archive}" DESTINATION "${work_dir}/upstream")
      set(_tree "${work_dir}/upstream/whisper.cpp-${WHISPER_CPP_VERSION}")
      _whisper_cpp_check_tree("${_tree}" _ok)
      if(_ok)
        message(STATUS "whisper.cpp source: upstream archive, SHA-256 verified")
        set(WHISPER_CPP_SOURCE "${_tree}" PARENT_SCOPE)
        return()
      endif()
    else()
      message(WARNING "whisper.cpp upstream archive SHA-256 mismatch: expected "
                      "${WHISPER_CPP_UPSTREAM_SHA256}, got ${_sum}; not used")
    endif()
  else()
    message(STATUS "whisper.cpp source: upstream unreachable (${_st})")
  endif()

  # 3. npm package.
  find_program(NPM_EXECUTABLE npm)
  if(NOT NPM_EXECUTABLE)
    message(FATAL_ERROR "whisper.cpp source: upstream unreachable and npm not found; install npm "
                        "or set WHISPER_CPP_SOURCE_DIR to a v${WHISPER_CPP_VERSION} tree")
  endif()
  message(STATUS "whisper.cpp source: trying npm pack ${WHISPER_CPP_NPM_PACKAGE}")
  execute_process(COMMAND "${NPM_EXECUTABLE}" pack "${WHISPER_CPP_NPM_PACKAGE}"
                          --silent --pack-destination "${work_dir}"
                  WORKING_DIRECTORY "${work_dir}" TIMEOUT 600
                  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  file(GLOB _tgz "${work_dir}/nodejs-whisper-*.tgz")
  if(NOT _rc EQUAL 0 OR NOT _tgz)
    message(FATAL_ERROR "whisper.cpp source: npm pack failed (${_rc}): ${_err}")
  endif()
  file(SHA512 "${_tgz}" _sum)
  if(NOT _sum STREQUAL WHISPER_CPP_NPM_SHA512)
    message(FATAL_ERROR "whisper.cpp source: ${_tgz} SHA-512 mismatch: expected "
                        "${WHISPER_CPP_NPM_SHA512}, got ${_sum}")
  endif()
  file(ARCHIVE_EXTRACT INPUT "${_tgz}" DESTINATION "${work_dir}/npm"
       PATTERNS "package/cpp/whisper.cpp/*")
  set(_tree "${work_dir}/npm/package/cpp/whisper.cpp")
  _whisper_cpp_check_tree("${_tree}" _ok)
  if(NOT _ok)
    message(FATAL_ERROR "whisper.cpp source: ${WHISPER_CPP_NPM_PACKAGE} does not hold v${WHISPER_CPP_VERSION}")
  endif()
  message(STATUS "whisper.cpp source: ${WHISPER_CPP_NPM_PACKAGE}, SHA-512 verified")
  set(WHISPER_CPP_SOURCE "${_tree}" PARENT_SCOPE)
endfunction()
