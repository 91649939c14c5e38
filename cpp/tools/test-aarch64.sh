#!/usr/bin/env bash
# Runs whisper-java's load, transcribe (for-tests model), close, bad-model and bad-audio tests in an
# arm64 JVM (Debian's openjdk-17 for arm64, under qemu-user) against the cross-built linux-aarch64
# natives, once per emulated CPU, and checks which ggml CPU variant each one chose: it fails when a
# CPU's run loaded any libggml-cpu-<variant>.so but the one expected for that CPU.
#   cpp/tools/test-aarch64.sh                 CPUs cortex-a57 (ARMv8.0, no dotprod) and neoverse-n1
#                                             (ARMv8.2 + dotprod + fp16); AARCH64_CPUS="a b" to choose
#   AARCH64_EXPECT="cpu=variant ..."          the expected variant of a CPU not listed below (or another
#                                             one for a listed CPU); a CPU with no expectation fails
# Surefire forks the arm64 JVM through a wrapper (target/jvm-aarch64/bin/java) that starts it under
# qemu-aarch64 with QEMU_CPU; Maven itself and the compilers run natively. Needs the natives built:
# this script runs the whisper-jni build with -P aarch64 first (cached after the first time).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
cpus="${AARCH64_CPUS:-cortex-a57 neoverse-n1}"
# The variant ggml's selection must pick for each emulated CPU, from the features qemu gives it and
# ggml's list (armv8.0_1; armv8.2_1 dotprod; armv8.2_2 + fp16; armv8.2_3 + SVE; armv8.6_1 + i8mm;
# armv8.6_2 + SVE2): cortex-a57 has none of them, neoverse-n1 dotprod and fp16 but no SVE, max all.
# As measured (docs/natives.md, Platforms).
declare -A expect=([cortex-a57]=armv8.0_1 [neoverse-n1]=armv8.2_2 [max]=armv8.6_2)
for e in ${AARCH64_EXPECT:-}; do
  [[ "$e" == *=* ]] || { echo "AARCH64_EXPECT: '$e' is not cpu=variant" >&2; exit 2; }
  expect["${e%%=*}"]="${e#*=}"
done
for cpu in $cpus; do
  # before minutes of emulation, not after
  [ -n "${expect[$cpu]:-}" ] || { echo "no expected ggml variant for QEMU_CPU=$cpu: set AARCH64_EXPECT=\"$cpu=<variant>\"" >&2; exit 2; }
done
# Under emulation one transcription of jfk.wav takes minutes, so: every bad-model and bad-audio case
# that fails before the encoder, use after close, and one full transcription with a listener
# (LifecycleTest's close-while-running waits 60 s for a call: too short here).
bad="missingModelFile+directoryAsModel+zeroLengthModel+randomBytesModel+textFileAsModel+truncatedModel"
bad="$bad+corruptHyperParameters+brokenWavHeader+wavTruncatedInsideHeader+nonAudioFile+emptyAudio"
bad="$bad+nonFiniteSamples+useAfterCloseAndDoubleClose+absurdParams"
tests="${AARCH64_TESTS:-NativePlatformTest,BadInputTest#$bad,ForTestsModelsTest#listenerSeesProgressAndSegmentsInOrder+reportsSystemInfoAndVersion}"
sysroot="$(cpp/tools/aarch64-toolchain.sh runtime | tail -1)"
jre="$sysroot/usr/lib/jvm/java-17-openjdk-arm64"

# a JDK-shaped folder (bin/java, release) so surefire takes it for a Java 17 home
wrap="$root/whisper-java/target/jvm-aarch64"
mkdir -p "$wrap/bin"
cp "$jre/release" "$wrap/release"
cat > "$wrap/bin/java" <<WRAP
#!/bin/sh
# arm64 java under qemu-user: glibc and libstdc++ from the cross toolchain's root, libz from the JRE's
exec qemu-aarch64 -L /usr/aarch64-linux-gnu \\
  -E LD_LIBRARY_PATH=$sysroot/lib/aarch64-linux-gnu \\
  "$jre/bin/java" "\$@"
WRAP
chmod +x "$wrap/bin/java"

summary=""
status=0
for cpu in $cpus; do
  echo "=== aarch64 tests, QEMU_CPU=$cpu ==="
  start=$(date +%s)
  rc=0
  # reports of the previous CPU's run must not count as this one's
  rm -rf whisper-java/target/surefire-reports
  QEMU_CPU="$cpu" mvn -B -P aarch64 -pl whisper-jni,whisper-java verify \
      -Djvm="$wrap/bin/java" -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
      | tee "$wrap/mvn-$cpu.log" || rc=$?
  secs=$(( $(date +%s) - start ))
  # NativeLoader logs the variant ggml mapped ("CPU backend armv8.2_2", "unknown" if none); surefire
  # keeps the forks' output. Every JVM of the run that loaded the natives must have picked the same one.
  variants=$({ grep -rhoE 'CPU backend [A-Za-z0-9._-]+' "$wrap/mvn-$cpu.log" whisper-java/target/surefire-reports 2>/dev/null \
                || true; } | awk '{print $3}' | sort -u | paste -sd' ' -)
  want="${expect[$cpu]}"
  if [ "$variants" = "$want" ]; then
    verdict="as expected"
  else
    verdict="FAILED: expected $want, got ${variants:-no NativeLoader report}"
    [ "$rc" -ne 0 ] || rc=1
  fi
  line="QEMU_CPU=$cpu: ggml variant ${variants:-unknown} ($verdict), maven exit $rc, ${secs} s"
  echo "$line"
  summary="$summary$line"$'\n'
  [ "$rc" -eq 0 ] || status=$rc
done
echo "=== aarch64 summary ==="
printf '%s' "$summary"
exit $status
