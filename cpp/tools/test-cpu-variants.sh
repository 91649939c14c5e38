#!/usr/bin/env bash
# Runs whisper-java's tests with ggml's CPU variant chosen instead of picked, so a suite that passes on
# this machine is known to pass on machines whose processor makes ggml pick another one (a CPU without
# AVX-512 gets haswell where this one may get zen4; every x86-64 machine can run x64). Near-equal logits
# of a random-weights fixture can go another way when the matrix kernels differ, so the tests that
# decode one are what this guards.
#   cpp/tools/test-cpu-variants.sh [VARIANT ...]   default: x64, the baseline every x86-64 machine has
#                                                  (slow: without SIMD the set below takes over 30 min)
#   CPU_VARIANT_TESTS=all                          the whole whisper-java suite instead of the default set
#   CPU_VARIANT_TESTS='A,B#m'                      or any -Dtest pattern
# For each variant it makes target/cpu-variants/<variant>/ holding the natives of the whisper-jni build
# (libs.txt naming that one libggml-cpu-<variant>.so) and a copy of whisper-cli's folder with only that
# variant beside it; the JVM loads the former through -Dwhisper.native.path, the tests run whisper-cli
# from the latter (whisper.cpp.bin), so both compute with the same kernels. Every variant runs; it fails
# when any run failed or its JVM reported a CPU backend but the one asked for (ggml refuses a variant
# this processor cannot run).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=(x64)
# the test classes that assert something of what the random-weights fixture decodes (text, tokens,
# segments, where a fitted window goes wrong). ConcurrencyTest, ShutdownTest and HostileInputTest decode
# it too but only compare it with itself or load it: on x64, without SIMD, they take many times longer
# and add nothing a variant can break (CPU_VARIANT_TESTS=all runs them)
fixture_tests="CliParityTest,Utf8TextTest,CompressedAudioTranscriptionTest,FittedWindowTest,VadTest"
tests="${CPU_VARIANT_TESTS:-$fixture_tests}"
[ "$tests" != all ] || tests='*Test'
natives="whisper-jni/target/classes/native/linux-x86_64"
bin="whisper-jni/target/cmake/whisper.cpp/bin"
if [ ! -f "$natives/libs.txt" ] || [ ! -x "$bin/whisper-cli" ]; then
  echo "building whisper-jni first (the natives and whisper-cli)"
  mvn -B -q install -DskipTests -pl whisper-jni
fi
summary=()
failed=0
for v in "${variants[@]}"; do
  if [ ! -f "$natives/libggml-cpu-$v.so" ]; then
    echo "no libggml-cpu-$v.so in $natives; variants: $(ls "$natives" | sed -n 's/^libggml-cpu-\(.*\)\.so$/\1/p' | tr '\n' ' ')" >&2
    exit 2
  fi
  out="$root/target/cpu-variants/$v"
  rm -rf "$out"
  mkdir -p "$out/natives" "$out/bin"
  # the natives: every library but the other variants, and a libs.txt that lists only what is there
  for f in "$natives"/*; do
    name="$(basename "$f")"
    case "$name" in libggml-cpu-*.so) [ "$name" = "libggml-cpu-$v.so" ] || continue ;; esac
    cp -p "$f" "$out/natives/"
  done
  grep -v -E "^backend libggml-cpu-" "$natives/libs.txt" > "$out/natives/libs.txt"
  grep -E "^backend libggml-cpu-$v\.so " "$natives/libs.txt" >> "$out/natives/libs.txt"
  # whisper-cli's folder: ggml searches the executable's own folder (and the working directory, the
  # module folder, which holds no backend) for libggml-cpu-*.so
  for f in "$bin"/*; do
    name="$(basename "$f")"
    case "$name" in libggml-cpu-*.so) [ "$name" = "libggml-cpu-$v.so" ] || continue ;; esac
    cp -P -p "$f" "$out/bin/"
  done
  log="$root/target/cpu-variants/$v.log"
  echo "== ggml CPU variant $v: tests $tests"
  start=$(date +%s)
  set +e
  mvn -B test -pl whisper-java -am -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
      -Dwhisper.native.path="$out/natives" -Dwhisper.cpp.bin="$out/bin" > "$log" 2>&1
  rc=$?
  set -e
  secs=$(( $(date +%s) - start ))
  grep -E "^\[(INFO|ERROR|WARNING)\] Tests run:|<<< FAIL|^\[ERROR\]   " "$log" | cut -c1-400 | tail -20
  backends="$(grep -o "CPU backend [a-z0-9_.]*" "$log" | sort -u | tr '\n' ';')"
  if [ "$backends" != "CPU backend $v;" ]; then
    summary+=("$v: FAILED, the JVM reported '$backends', not 'CPU backend $v' (log: $log)")
    failed=1
  elif [ $rc -ne 0 ]; then
    summary+=("$v: FAILED after ${secs} s (log: $log)")
    failed=1
  else
    summary+=("$v: passed in ${secs} s")
  fi
done
printf 'ggml CPU variant %s\n' "${summary[@]}"
exit $failed
