#!/usr/bin/env bash
# The test command of the README: installs what a fresh Debian 12 machine lacks, then builds and runs
# every test (unit tests in whisper-java, again on a second ggml CPU variant for those that assert what a
# random-weights fixture decodes, fresh-JVM tests of the packaged transcribe.jar in examples, the
# Spring AI module, the Spark job in local[2], the Vulkan backend on lavapipe, the aarch64 natives under qemu-user, the
# container image under podman).
set -euo pipefail
cd "$(dirname "$0")"
need=()
command -v cmake >/dev/null || need+=(cmake)
command -v gcc >/dev/null || need+=(gcc g++ make)
command -v npm >/dev/null || need+=(npm)
command -v mvn >/dev/null || need+=(maven)
command -v git >/dev/null || need+=(git)   # applies cpp/patches to the whisper.cpp source
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
started=$(mktemp)
trap 'rm -f "$started"' EXIT
mvn -B verify "$@"
# the tests that assert what a random-weights fixture decodes, once more on another ggml CPU variant than
# the best one the run above used: what noise the fixture decodes may go another way there
# (cpp/tools/test-cpu-variants.sh). haswell (AVX2) on a processor with AVX-512, sandybridge (AVX) on one
# without: variants without AVX2 take 3 to 10 times as long (x64, the baseline, more than 15 min for
# CliParityTest alone), which CI's 90 minutes cannot hold; run it by hand.
if [ "$(uname -m)" = x86_64 ]; then
  if grep -qw avx512f /proc/cpuinfo; then
    bash cpp/tools/test-cpu-variants.sh haswell
  elif grep -qw avx2 /proc/cpuinfo; then
    bash cpp/tools/test-cpu-variants.sh sandybridge
  fi
fi
# the Spark module (profile spark, whose 156 jars the default build does not download): the real job in
# local[2]; -Dtest keeps whisper-java's unit suite, run just above, from running twice
mvn -B verify -P spark -pl spark -am -Dtest='io.github.whisperjava.spark.*Test' -Dsurefire.failIfNoSpecifiedTests=false "$@"
# ggml's Vulkan backend (whisper-jni-vulkan) on Mesa's lavapipe, a Vulkan device on the CPU (docs/gpu.md):
# installs what its build and tests need when missing; the backend builds once per machine (10 min on 2 cores)
if [ "$(uname -m)" = x86_64 ]; then
  vk=()
  [ -e /usr/include/vulkan/vulkan.hpp ] || vk+=(libvulkan-dev)
  command -v glslc >/dev/null || vk+=(glslc)
  [ -e /usr/share/cmake/SPIRV-Headers/SPIRV-HeadersConfig.cmake ] || vk+=(spirv-headers)
  [ -e /usr/share/vulkan/icd.d/lvp_icd.x86_64.json ] || vk+=(mesa-vulkan-drivers)
  if [ ${#vk[@]} -gt 0 ]; then
    echo "installing: ${vk[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${vk[@]}"
  fi
  mvn -B verify -P vulkan -pl whisper-jni-vulkan -am -Dtest='VulkanTest' -Dsurefire.failIfNoSpecifiedTests=false "$@"
fi
# linux-aarch64: the cross-built natives in an arm64 JVM under qemu-user, once per emulated CPU, each
# checked for the ggml variant it must pick (installs the cross compilers, qemu-user and Debian's arm64
# JRE when missing; about 6 min on a 2-core machine once the cross build is cached)
bash cpp/tools/test-aarch64.sh
# the container image (Containerfile, compose.yaml) with podman: build, small and medium from one image,
# --read-only with an arbitrary UID, compose up and down, the API key. Installs podman when missing (as
# root on Debian), and skips, saying why, where containers cannot run (docs/server.md, "Container image")
bash container/test-image.sh
# a crash anywhere (tests fork JVMs) leaves an hs_err_pid file; that is a failure even if Maven passed.
# Only this run's: a crash file left by an earlier run in this tree was reported by that run.
crashes=$(find . -name 'hs_err_pid*.log' -newer "$started")
if [ -n "$crashes" ]; then
  echo "JVM crash files found:"; echo "$crashes"
  exit 1
fi
