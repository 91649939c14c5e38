# Builds whisper.cpp once per (version, flags, compiler) into a cache folder outside any build tree,
# so `mvn clean`, a second checkout or CI on a kept machine reuse it instead of paying the build
# again (200 s on this project's 2 cores on 2026-11-24; 432 s on an earlier machine of that kind).
#
# Result: WHISPER_CPP_PREFIX, a folder with
#   bin/      every library (libwhisperjava-whisper, libwhisperjava-ggml, libwhisperjava-ggml-base: our
#             names, cpp/patches/whisper-java-sonames.patch; libggml-cpu-<variant>...) and
#             whisper-cli / whisper-quantize / whisper-bench, flat, each with RUNPATH $ORIGIN
#   WHISPER_CPP_LIBRARIES: the three libraries to link against, in bin/
#   include/  whisper.h and the ggml headers
#   examples/ miniaudio.h and stb_vorbis.c, the audio decoders whisper-cli is built with (our shim
#             decodes MP3/FLAC/Vorbis with them); added to a cache built before they were kept
#   COMPLETE  written last; a folder without it is an interrupted build and is rebuilt

include(${CMAKE_CURRENT_LIST_DIR}/WhisperCppSource.cmake)

# The flags, patches and key inputs of the CPU build, set in the caller's scope: the GPU backend builds
# below start from exactly these, so their ggml-base is the one the CPU jar ships.
macro(_whisper_cpp_inputs)
  set(_flags
      -DCMAKE_BUILD_TYPE=Release
      -DBUILD_SHARED_LIBS=ON
      -DGGML_BACKEND_DL=ON
      -DGGML_CPU_ALL_VARIANTS=ON
      -DGGML_NATIVE=OFF
      # no libgomp to ship; measured no slower here (shared/WHISPER_CPP_NOTES.md)
      -DGGML_OPENMP=OFF
      -DWHISPER_BUILD_TESTS=OFF
      -DWHISPER_BUILD_EXAMPLES=ON
      -DWHISPER_BUILD_SERVER=OFF
      -DWHISPER_SDL2=OFF
      -DWHISPER_CURL=OFF
      # libraries find each other in whatever folder the jar extracts them to
      -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON
      "-DCMAKE_INSTALL_RPATH=\$ORIGIN")

  # our patches to the pinned source (cpp/patches/*.patch, applied in name order) are part of the key
  file(GLOB _patches "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../patches/*.patch")
  list(SORT _patches)
  set(_patch_sums "")
  foreach(_p ${_patches})
    # only the diff counts, not the explanation above it: rewording that must not cost a rebuild
    file(READ "${_p}" _text)
    string(FIND "${_text}" "\n--- " _at)
    if(_at GREATER_EQUAL 0)
      string(SUBSTRING "${_text}" ${_at} -1 _text)
    endif()
    string(SHA256 _s "${_text}")
    list(APPEND _patch_sums "${_s}")
  endforeach()

  # aarch64 alone: its own patches (cpp/patches/aarch64/) and the cross toolchain. Added to the key only
  # there, so the x86-64 key, and every x86-64 cache already built, stays what it was.
  set(_configure_extra "")
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
    file(GLOB _arm_patches "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../patches/aarch64/*.patch")
    list(SORT _arm_patches)
    foreach(_p ${_arm_patches})
      file(READ "${_p}" _text)
      string(FIND "${_text}" "\n--- " _at)
      string(SUBSTRING "${_text}" ${_at} -1 _text)
      string(SHA256 _s "${_text}")
      list(APPEND _patch_sums "${_s}")
    endforeach()
    list(APPEND _patches ${_arm_patches})
    if(CMAKE_CROSSCOMPILING)
      # the toolchain file's path is not in the key: a second checkout must reuse the cache
      list(APPEND _configure_extra "-DCMAKE_TOOLCHAIN_FILE=${CMAKE_TOOLCHAIN_FILE}")
    endif()
  endif()
endmacro()

function(whisper_cpp_build)
  _whisper_cpp_inputs()
  string(SHA256 _key "${WHISPER_CPP_VERSION};${_flags};${_patch_sums};${CMAKE_C_COMPILER_ID}-${CMAKE_C_COMPILER_VERSION};${CMAKE_SYSTEM_PROCESSOR}")
  string(SUBSTRING "${_key}" 0 12 _key)

  if(DEFINED ENV{WHISPER_JAVA_BUILD_CACHE})
    set(_cache_root "$ENV{WHISPER_JAVA_BUILD_CACHE}")
  elseif(DEFINED ENV{XDG_CACHE_HOME})
    set(_cache_root "$ENV{XDG_CACHE_HOME}/whisper-java/build")
  else()
    set(_cache_root "$ENV{HOME}/.cache/whisper-java/build")
  endif()
  set(_name "whisper.cpp-${WHISPER_CPP_VERSION}-${_key}")
  set(_prefix "${_cache_root}/${_name}")
  set(WHISPER_CPP_PREFIX "${_prefix}" PARENT_SCOPE)
  set(WHISPER_CPP_LIBRARIES "${_prefix}/bin/libwhisperjava-whisper.so" "${_prefix}/bin/libwhisperjava-ggml.so"
      "${_prefix}/bin/libwhisperjava-ggml-base.so" PARENT_SCOPE)

  file(MAKE_DIRECTORY "${_cache_root}")
  # Two builds at once (two checkouts, two Maven runs) must not both build or see a half-written cache.
  file(LOCK "${_cache_root}/${_name}.lock" GUARD FUNCTION TIMEOUT 3600)

  if(EXISTS "${_prefix}/COMPLETE")
    message(STATUS "whisper.cpp ${WHISPER_CPP_VERSION}: cached build ${_prefix}")
    if(NOT EXISTS "${_prefix}/examples/COMPLETE")
      # a cache from before the audio decoders were kept: fetch the pinned source again for them alone
      set(_work "${_cache_root}/${_name}.examples")
      whisper_cpp_resolve_source("${_work}/source")
      _whisper_cpp_audio_sources("${WHISPER_CPP_SOURCE}" "${_work}/examples")
      file(REMOVE_RECURSE "${_prefix}/examples")
      file(RENAME "${_work}/examples" "${_prefix}/examples")
      file(REMOVE_RECURSE "${_work}")
    endif()
    return()
  endif()

  string(TIMESTAMP _t0 "%s")
  set(_work "${_cache_root}/${_name}.work")
  file(REMOVE_RECURSE "${_work}" "${_prefix}")
  whisper_cpp_resolve_source("${_work}/source")
  _whisper_cpp_patch("${_work}" "${_patches}")

  include(ProcessorCount)
  ProcessorCount(_jobs)
  if(_jobs EQUAL 0)
    set(_jobs 2)
  endif()
  message(STATUS "whisper.cpp ${WHISPER_CPP_VERSION}: building into ${_prefix} (${_jobs} jobs; minutes, once)")
  execute_process(COMMAND "${CMAKE_COMMAND}" -S "${WHISPER_CPP_SOURCE}" -B "${_work}/build"
                          -G "Unix Makefiles" ${_flags} ${_configure_extra}
                  RESULT_VARIABLE _rc OUTPUT_FILE "${_work}/configure.log" ERROR_FILE "${_work}/configure.err")
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "whisper.cpp configure failed (${_rc}); see ${_work}/configure.err")
  endif()
  # Only what we ship or run: the libraries, every ggml backend module (the CPU variants, CUDA when on),
  # and the tools tests and benchmarks use. `all` would also build parakeet and a dozen examples.
  execute_process(COMMAND "${CMAKE_COMMAND}" --build "${_work}/build" --target help
                  OUTPUT_VARIABLE _help RESULT_VARIABLE _rc)
  string(REGEX MATCHALL "\\.\\.\\. ggml-(cpu|cuda)[a-z0-9_.-]*" _backend_lines "${_help}")
  set(_targets whisper whisper-cli whisper-quantize whisper-bench)
  foreach(_l ${_backend_lines})
    string(REPLACE "... " "" _t "${_l}")
    list(APPEND _targets "${_t}")
  endforeach()
  message(STATUS "whisper.cpp targets: ${_targets}")
  execute_process(COMMAND "${CMAKE_COMMAND}" --build "${_work}/build" -j ${_jobs} --target ${_targets}
                  RESULT_VARIABLE _rc OUTPUT_FILE "${_work}/build.log" ERROR_FILE "${_work}/build.err")
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "whisper.cpp build failed (${_rc}); see ${_work}/build.log and build.err")
  endif()

  set(_stage "${_work}/prefix")
  file(MAKE_DIRECTORY "${_stage}/bin" "${_stage}/include")
  file(GLOB _outputs "${_work}/build/bin/*")
  file(COPY ${_outputs} DESTINATION "${_stage}/bin")
  file(GLOB _headers "${WHISPER_CPP_SOURCE}/include/*.h" "${WHISPER_CPP_SOURCE}/ggml/include/*.h")
  file(COPY ${_headers} DESTINATION "${_stage}/include")
  _whisper_cpp_audio_sources("${WHISPER_CPP_SOURCE}" "${_stage}/examples")
  string(TIMESTAMP _t1 "%s")
  math(EXPR _secs "${_t1} - ${_t0}")
  file(WRITE "${_stage}/COMPLETE" "whisper.cpp ${WHISPER_CPP_VERSION}\nflags: ${_flags}\nbuild seconds: ${_secs}\n")
  file(RENAME "${_stage}" "${_prefix}")
  file(REMOVE_RECURSE "${_work}")
  message(STATUS "whisper.cpp ${WHISPER_CPP_VERSION}: built in ${_secs} s, cached at ${_prefix}")
endfunction()

# miniaudio.h (MIT-0 or public domain) and stb_vorbis.c (MIT or public domain), as whisper.cpp
# v1.9.1 ships them in examples/: the files whisper-cli decodes audio with, so the shim decodes as it
# does. Checked against pinned hashes (a local WHISPER_CPP_SOURCE_DIR is otherwise checked by version
# only); COMPLETE is written last.
set(WHISPER_CPP_MINIAUDIO_SHA256 "c029554572ae71a94b7825ef1ab9bd7e646344a79e2e852a03f8b18e428c1443")
set(WHISPER_CPP_STB_VORBIS_SHA256 "4c7cb2ff1f7011e9d67950446b7eb9ca044f2e464d76bfbb0b84dd2e23e65636")

function(_whisper_cpp_audio_sources source dest)
  file(REMOVE_RECURSE "${dest}")
  file(MAKE_DIRECTORY "${dest}")
  _whisper_cpp_copy_pinned("${source}/examples/miniaudio.h" "${WHISPER_CPP_MINIAUDIO_SHA256}" "${dest}")
  _whisper_cpp_copy_pinned("${source}/examples/stb_vorbis.c" "${WHISPER_CPP_STB_VORBIS_SHA256}" "${dest}")
  file(WRITE "${dest}/COMPLETE" "from ${source}/examples\n")
endfunction()

function(_whisper_cpp_copy_pinned file sha256 dest)
  file(SHA256 "${file}" _sum)
  if(NOT _sum STREQUAL sha256)
    message(FATAL_ERROR "${file} is not the file of whisper.cpp v${WHISPER_CPP_VERSION} "
                        "(SHA-256 ${_sum}, expected ${sha256})")
  endif()
  file(COPY "${file}" DESTINATION "${dest}")
endfunction()

# Applies our patches to a copy of the resolved tree (a local WHISPER_CPP_SOURCE_DIR is never modified)
# and points WHISPER_CPP_SOURCE at the copy. git apply (git is how the repository arrived), else patch.
function(_whisper_cpp_patch work patches)
  if(NOT patches)
    return()
  endif()
  set(_tree "${work}/patched")
  file(REMOVE_RECURSE "${_tree}")
  file(COPY "${WHISPER_CPP_SOURCE}/" DESTINATION "${_tree}")
  find_program(GIT_EXECUTABLE git)
  find_program(PATCH_EXECUTABLE patch)
  foreach(_p ${patches})
    if(GIT_EXECUTABLE)
      set(_cmd "${GIT_EXECUTABLE}" apply -p1 "${_p}")
    elseif(PATCH_EXECUTABLE)
      set(_cmd "${PATCH_EXECUTABLE}" -p1 --forward --batch -i "${_p}")
    else()
      message(FATAL_ERROR "neither git nor patch found to apply ${_p}; install git")
    endif()
    execute_process(COMMAND ${_cmd} WORKING_DIRECTORY "${_tree}" RESULT_VARIABLE _rc ERROR_VARIABLE _err
                    OUTPUT_VARIABLE _out)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR "whisper.cpp: ${_p} does not apply to v${WHISPER_CPP_VERSION}: ${_err}${_out}")
    endif()
    message(STATUS "whisper.cpp: applied ${_p}")
  endforeach()
  set(WHISPER_CPP_SOURCE "${_tree}" PARENT_SCOPE)
endfunction()

# A GPU backend module of ggml (vulkan, cuda) for the natives artifact of that name (whisper-jni-<backend>):
# whisper.cpp configured with the CPU build's flags and patches plus GGML_<BACKEND>=ON, and only
# libggml-<backend>.so built, into a cache folder of its own (whisper.cpp-<version>-<backend>-<key>); the
# CPU build and its key are untouched. With GGML_BACKEND_DL the module is dlopen()ed by ggml's loader
# from the folder the CPU jar extracts to, and needs nothing of this build but ggml-base, which is built
# from the same source, patches and flags. Sets WHISPER_CPP_BACKEND_LIB to the module's path.
#   extra_flags: what the backend itself needs (e.g. CMAKE_CUDA_ARCHITECTURES), part of the key.
function(whisper_cpp_build_backend backend extra_flags)
  _whisper_cpp_inputs()
  string(TOUPPER "${backend}" _upper)
  list(APPEND _flags "-DGGML_${_upper}=ON" ${extra_flags})
  # patches for this backend alone (cpp/patches/<backend>/): part of its key, never of the CPU build's
  file(GLOB _backend_patches "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../patches/${backend}/*.patch")
  list(SORT _backend_patches)
  foreach(_p ${_backend_patches})
    file(READ "${_p}" _text)
    string(FIND "${_text}" "\n--- " _at)
    string(SUBSTRING "${_text}" ${_at} -1 _text)
    string(SHA256 _s "${_text}")
    list(APPEND _patch_sums "${_s}")
  endforeach()
  list(APPEND _patches ${_backend_patches})
  string(SHA256 _key "${WHISPER_CPP_VERSION};${_flags};${_patch_sums};${CMAKE_C_COMPILER_ID}-${CMAKE_C_COMPILER_VERSION};${CMAKE_SYSTEM_PROCESSOR}")
  string(SUBSTRING "${_key}" 0 12 _key)
  if(DEFINED ENV{WHISPER_JAVA_BUILD_CACHE})
    set(_cache_root "$ENV{WHISPER_JAVA_BUILD_CACHE}")
  elseif(DEFINED ENV{XDG_CACHE_HOME})
    set(_cache_root "$ENV{XDG_CACHE_HOME}/whisper-java/build")
  else()
    set(_cache_root "$ENV{HOME}/.cache/whisper-java/build")
  endif()
  set(_name "whisper.cpp-${WHISPER_CPP_VERSION}-${backend}-${_key}")
  set(_prefix "${_cache_root}/${_name}")
  set(_lib "${_prefix}/bin/libggml-${backend}.so")
  set(WHISPER_CPP_BACKEND_LIB "${_lib}" PARENT_SCOPE)
  file(MAKE_DIRECTORY "${_cache_root}")
  file(LOCK "${_cache_root}/${_name}.lock" GUARD FUNCTION TIMEOUT 7200)
  if(EXISTS "${_prefix}/COMPLETE")
    message(STATUS "whisper.cpp ${WHISPER_CPP_VERSION} ${backend} backend: cached build ${_prefix}")
    return()
  endif()

  string(TIMESTAMP _t0 "%s")
  set(_work "${_cache_root}/${_name}.work")
  file(REMOVE_RECURSE "${_work}" "${_prefix}")
  whisper_cpp_resolve_source("${_work}/source")
  _whisper_cpp_patch("${_work}" "${_patches}")
  include(ProcessorCount)
  ProcessorCount(_jobs)
  if(_jobs EQUAL 0)
    set(_jobs 2)
  endif()
  message(STATUS "whisper.cpp ${WHISPER_CPP_VERSION}: building the ${backend} backend into ${_prefix} "
                 "(${_jobs} jobs; long, once)")
  execute_process(COMMAND "${CMAKE_COMMAND}" -S "${WHISPER_CPP_SOURCE}" -B "${_work}/build"
                          -G "Unix Makefiles" ${_flags} ${_configure_extra}
                  RESULT_VARIABLE _rc OUTPUT_FILE "${_work}/configure.log" ERROR_FILE "${_work}/configure.err")
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "whisper.cpp configure with GGML_${_upper}=ON failed (${_rc}); see ${_work}/configure.err")
  endif()
  execute_process(COMMAND "${CMAKE_COMMAND}" --build "${_work}/build" -j ${_jobs} --target "ggml-${backend}"
                  RESULT_VARIABLE _rc OUTPUT_FILE "${_work}/build.log" ERROR_FILE "${_work}/build.err")
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "ggml-${backend} build failed (${_rc}); see ${_work}/build.log and build.err")
  endif()
  file(MAKE_DIRECTORY "${_work}/prefix/bin")
  file(COPY "${_work}/build/bin/libggml-${backend}.so" DESTINATION "${_work}/prefix/bin")
  string(TIMESTAMP _t1 "%s")
  math(EXPR _secs "${_t1} - ${_t0}")
  file(WRITE "${_work}/prefix/COMPLETE"
       "whisper.cpp ${WHISPER_CPP_VERSION} ggml-${backend}\nflags: ${_flags}\nbuild seconds: ${_secs}\n")
  file(RENAME "${_work}/prefix" "${_prefix}")
  file(REMOVE_RECURSE "${_work}")
  message(STATUS "whisper.cpp ${WHISPER_CPP_VERSION} ${backend} backend: built in ${_secs} s, cached at ${_prefix}")
endfunction()
