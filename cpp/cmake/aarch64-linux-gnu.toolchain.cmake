# Cross-compiles the linux-aarch64 natives on an x86-64 Debian 12 machine with Debian's
# gcc-aarch64-linux-gnu / g++-aarch64-linux-gnu (cpp/tools/aarch64-toolchain.sh installs them).
# Used for whisper.cpp (passed on by WhisperCppBuild.cmake) and for our shim alike.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
# Debian's cross glibc and libstdc++ live under /usr/aarch64-linux-gnu; libraries and headers come
# from there only, programs (cmake's helpers, objdump) from the host.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
