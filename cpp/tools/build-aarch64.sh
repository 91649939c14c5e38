#!/usr/bin/env bash
# Cross-compiles the linux-aarch64 natives (whisper.cpp with ggml's ARM CPU variants, and our shim) on
# an x86-64 Debian 12 machine and stages them as native/linux-aarch64/ into STAGE_DIR (the whisper-jni
# module stages them for the same jar as the x86-64 ones). whisper.cpp is built once
# into the same cache as the x86-64 build, under its own key (cpp/cmake/WhisperCppBuild.cmake).
# Run by whisper-jni with -P aarch64 or -P release (STAGE_DIR: its target/natives-aarch64, which only
# those profiles put in the jar); by hand: cpp/tools/build-aarch64.sh STAGE_DIR [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
stage="${1:?stage folder, e.g. whisper-jni/target/natives-aarch64}"
build="${2:-$root/whisper-jni/target/cmake-aarch64}"
"$root/cpp/tools/aarch64-toolchain.sh" compiler
: "${JAVA_HOME:=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
export JAVA_HOME   # jni.h for the shim (cpp/CMakeLists.txt, cross branch)
cmake -S "$root" -B "$build" -G "Unix Makefiles" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_TOOLCHAIN_FILE="$root/cpp/cmake/aarch64-linux-gnu.toolchain.cmake" \
      -DWHISPER_JAVA_STAGE_DIR="$stage" -DWHISPER_JAVA_CUDA=OFF
cmake --build "$build" -j "$(nproc)"
test -s "$stage/native/linux-aarch64/libs.txt"
